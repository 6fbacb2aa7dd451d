"""Small conversions shared by read models' handlers."""

import json
from datetime import UTC, datetime
from typing import Any

from application.infrastructure.sql import Statements
from domain.values import to_primitive


def moment(value: datetime) -> str:
    """Times as fixed-width UTC ISO text, so they sort correctly as text on every store."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def as_json(value: Any) -> str:
    return json.dumps(to_primitive(value), ensure_ascii=False, sort_keys=True)


def tags(values: Any) -> str:
    """A list kept as ',a,b,' text so that `LIKE '%,a,%'` finds one value on every store."""
    return "," + ",".join(str(to_primitive(v)).casefold() for v in values) + ","


def stamped(event: Any) -> dict[str, Any]:
    """The columns every record's row keeps current: when it last changed, and its version."""
    return {"updated_at": moment(event.timestamp), "version": event.originator_version}


def insert(sql: Statements, table: str, row: dict[str, Any]) -> None:
    sql.run(f"INSERT INTO {{{table}}} ({', '.join(row)}) "
            f"VALUES ({', '.join(['%s'] * len(row))})", list(row.values()))


def update(sql: Statements, table: str, key: tuple[str, str], columns: dict[str, Any]) -> None:
    assignments = ", ".join(f"{name} = %s" for name in columns)
    sql.run(f"UPDATE {{{table}}} SET {assignments} WHERE {key[0]} = %s",
            [*columns.values(), key[1]])
