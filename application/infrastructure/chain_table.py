"""The table that keeps the event chain's links, beside the events of every application.

The recorders of both stores call `append_links` inside the transaction that
inserts the events, after the insert has taken the log's write lock (the
table lock on PostgreSQL, the database lock on SQLite), so links are written
in log order and an event never exists without its link.
"""

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent

from application.infrastructure.event_chain import GENESIS, ChainedEvent, Link, links_for
from application.infrastructure.sql import Statements

TABLE = "event_chain"


def create_statements(table: str) -> list[str]:
    return [f"CREATE TABLE IF NOT EXISTS {table} (application TEXT NOT NULL, "
            "position BIGINT NOT NULL, originator_id TEXT NOT NULL, "
            "originator_version INTEGER NOT NULL, hash TEXT NOT NULL, "
            "PRIMARY KEY (application, position))",
            f"CREATE INDEX IF NOT EXISTS event_chain_aggregate ON {table} "
            "(originator_id, originator_version)"]


def application_of(events_table: str) -> str:
    return events_table.rsplit(".", 1)[-1].strip('"').removesuffix("_events")


def link_inserted(cursor: Any, is_sqlite: bool, table: str, events_table: str,
                  stored_events: Sequence[StoredEvent], positions: Sequence[int] | None,
                  previous: str | None = None) -> None:
    """What both stores' recorders call right after inserting events, in that transaction
    (`previous`: the log's last link, when the recorder read it already under the lock)."""
    append_links(Statements(cursor, is_sqlite), table, application_of(events_table),
                 stored_events, positions or [], previous)


def append_links(sql: Statements, table: str, application: str,
                 stored_events: Sequence[StoredEvent], positions: Sequence[int],
                 previous: str | None = None) -> None:
    if previous is None:
        _, previous = previous_link(sql, table, application)
    events = [ChainedEvent.of(application, position, s.originator_id, s.originator_version,
                              s.topic, s.state)
              for s, position in zip(stored_events, positions, strict=True)]
    for link in links_for(previous, events):
        sql.run(f"INSERT INTO {table} (application, position, originator_id, "
                "originator_version, hash) VALUES (%s, %s, %s, %s, %s)",
                (link.application, link.position, link.originator_id,
                 link.originator_version, link.hash))


HEAD = "SELECT position, hash FROM {table} WHERE application = %s ORDER BY position DESC LIMIT 1"


def head_hash(rows: Sequence[dict[str, Any]]) -> str:
    """The hash of the last link, from the rows of HEAD."""
    return str(rows[0]["hash"]) if rows else GENESIS


def previous_link(sql: Statements, table: str, application: str,
                  before: int | None = None) -> tuple[int | None, str]:
    """The position and hash of the log's last link (before a position), or the genesis."""
    rows = sql.run(f"SELECT position, hash FROM {table} WHERE application = %s "
                   "AND position < %s ORDER BY position DESC LIMIT 1",
                   (application, before if before is not None else 2 ** 62))
    return (int(rows[0]["position"]), str(rows[0]["hash"])) if rows else (None, GENESIS)


def as_link(row: dict[str, Any]) -> Link:
    return Link(row["application"], int(row["position"]), row["originator_id"],
                int(row["originator_version"]), row["hash"])
