"""Keyset pagination with opaque cursors: pages neither skip nor repeat rows while rows are
being added, because a page continues strictly after the last row the client saw."""

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from application.ports.read_models import Page
from domain.errors import InvalidValue
from projections.view import ReadModelView

MAX_CURSOR_TEXT = 1000


@dataclass(frozen=True)
class Sort:
    column: str  # qualified, e.g. "c.created_at"
    key: str  # unique tie-breaker, e.g. "c.contract_id"
    descending: bool
    name: str  # as the client wrote it, e.g. "-created_at"


def sort_by(requested: str, columns: dict[str, str], key: str) -> Sort:
    name = requested.removeprefix("-")
    if name not in columns:
        raise InvalidValue({"sort": f"sort by one of {', '.join(sorted(columns))}, "
                                    "with '-' in front for descending"})
    return Sort(columns[name], key, requested.startswith("-"), requested)


def fetch_page(view: ReadModelView, select: str, conditions: list[tuple[str, list[Any]]],
               sort: Sort, cursor: str | None, limit: int) -> Page:
    conditions = list(conditions)
    if cursor is not None:
        conditions.append(_after(sort, *_decode(cursor, sort)))
    where = " AND ".join(f"({sql})" for sql, _ in conditions) or "TRUE"
    direction = "DESC" if sort.descending else "ASC"
    rows = view.read(f"{select} WHERE {where} ORDER BY {sort.column} {direction}, "
                     f"{sort.key} {direction} LIMIT %s",
                     [p for _, params in conditions for p in params] + [limit + 1])
    items = rows[:limit]
    more = len(rows) > limit
    return Page(items, _encode(sort, items[-1]) if more else None)


def _after(sort: Sort, value: Any, key: Any) -> tuple[str, list[Any]]:
    beyond = "<" if sort.descending else ">"
    return (f"{sort.column} {beyond} %s OR ({sort.column} = %s AND {sort.key} {beyond} %s)",
            [value, value, key])


def _encode(sort: Sort, row: dict[str, Any]) -> str:
    last = [sort.name, row[_bare(sort.column)], row[_bare(sort.key)]]
    return base64.urlsafe_b64encode(json.dumps(last).encode()).decode().rstrip("=")


def _decode(cursor: str, sort: Sort) -> tuple[Any, Any]:
    try:
        name, value, key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError, binascii.Error) as error:
        raise InvalidValue({"cursor": "is not a cursor this list gave out"}) from error
    if name != sort.name:
        raise InvalidValue({"cursor": f"was given for sort '{name}', not '{sort.name}'"})
    # Every sort column and key is text (a null sorts first): anything else was not
    # given out here, and would reach the database as the wrong type.
    if not (value is None or _short_text(value)) or not _short_text(key):
        raise InvalidValue({"cursor": "is not a cursor this list gave out"})
    return value, key


def _short_text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= MAX_CURSOR_TEXT


def _bare(column: str) -> str:
    return column.rsplit(".", 1)[-1]
