"""Plain SQL tables beside the event store (idempotency records, later read models).

Uses the eventsourcing library's own datastores, so connections, pooling and
error translation are the same as for the events. Statements are written
with %s placeholders and `{table}` names; this module adapts them to the store.
"""

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import uuid4

from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.utils import Environment

from application.infrastructure.settings import Settings
from application.infrastructure.sqlite_transaction import write_transaction


class SqlDatabase:
    def __init__(self, datastore: SQLiteDatastore | PostgresDatastore,
                 on_close: Callable[[], None] | None = None) -> None:
        self.datastore = datastore
        self.is_sqlite = isinstance(datastore, SQLiteDatastore)
        self.on_close = on_close or datastore.close

    @classmethod
    def for_settings(cls, settings: Settings) -> "SqlDatabase":
        if settings.backend == "memory":
            return cls(SQLiteDatastore(f"file:kolpact-{uuid4().hex}?mode=memory&cache=shared"))
        env = settings.persistence_env()
        if settings.backend == "sqlite":
            return cls(SQLiteDatastore(env["SQLITE_DBNAME"], lock_timeout=10))
        # The process's one pool, shared with the event store: the connections a process
        # may hold stay what the settings say (Settings.connections_per_process). Made
        # first, so it reads the environment as the applications do.
        from application.infrastructure.postgres_store import SharedPostgresFactory
        factory = SharedPostgresFactory(Environment(env={**os.environ, **env}))
        return cls(factory.datastore, on_close=factory.close)

    def table(self, name: str) -> str:
        return name if self.is_sqlite else f'"{self.datastore.schema}".{name}'  # type: ignore[union-attr]

    @contextmanager
    def transaction(self) -> Iterator["Statements"]:
        if self.is_sqlite:  # the write lock first (see application.infrastructure.sqlite_store)
            with write_transaction(self.datastore) as cursor:  # type: ignore[arg-type]
                yield Statements(cursor, self.is_sqlite)
            return
        with self.datastore.transaction(commit=True) as cursor:
            yield Statements(cursor, self.is_sqlite)

    def one(self, statement: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """One statement on its own, atomic by itself: on PostgreSQL it runs without
        BEGIN and COMMIT around it (two round trips fewer)."""
        if self.is_sqlite:
            with self.transaction() as sql:
                return sql.run(statement, params)
        return run_alone(self.datastore, statement, params)  # type: ignore[arg-type]

    def close(self) -> None:
        self.on_close()


def run_alone(datastore: PostgresDatastore, statement: str, params: Sequence[Any] = (),
              names: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """One statement in autocommit: no BEGIN and COMMIT/ROLLBACK round trips around it
    (and a ROLLBACK would make psycopg forget the connection's prepared statements)."""
    with datastore.get_connection() as conn, conn.cursor() as cursor:
        return Statements(cursor, False, names).run(statement, params)


class Statements:
    """Runs statements in one transaction and returns rows as dicts.

    `{name}` in a statement is replaced by the table that `names` maps it to.
    """

    def __init__(self, cursor: Any, is_sqlite: bool, names: dict[str, str] | None = None
                 ) -> None:
        # The library wraps sqlite3's cursor; use the raw one for `description`.
        self.cursor = getattr(cursor, "sqlite_cursor", cursor)
        self.is_sqlite = is_sqlite
        self.names = names

    def run(self, statement: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        if self.names is not None:
            statement = statement.format_map(self.names)
        if self.is_sqlite:
            statement = statement.replace("%s", "?")
        self.cursor.execute(statement, tuple(params))
        # In psycopg's pipeline mode (the library's event inserts) a result has no
        # description until it is fetched: a statement that returns rows is fetched anyway.
        if self.cursor.description is None and not _returns_rows(statement):
            return []
        rows = self.cursor.fetchall()
        columns = [column[0] for column in self.cursor.description]
        return [dict(zip(columns, row, strict=True)) if not isinstance(row, dict) else row
                for row in rows]


def _returns_rows(statement: str) -> bool:
    return statement.lstrip().upper().startswith("SELECT") or " RETURNING " in statement.upper()
