"""Where a read model keeps its rows: plain SQL tables beside the library's tracking table.

A view is the library's tracking recorder for the store in use, extended with
the read model's tables. Rows and the tracking position of the event that
produced them are written in one transaction, tracking first: if the event was
already applied (a replay, or another runner got there first), the tracking
insert fails, the transaction rolls back and the event is skipped.
"""

import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from eventsourcing.persistence import (
    IntegrityError,
    OperationalError,
    Tracking,
    TrackingRecorder,
)
from eventsourcing.postgres import PostgresTrackingRecorder

from application.infrastructure.sql import Statements, run_alone
from application.infrastructure.sqlite_store import SQLiteTrackingRecorder
from application.infrastructure.sqlite_transaction import write_transaction

Write = Callable[[Statements], None]


ATTEMPTS = 6
T = TypeVar("T")


def retried(operation: Callable[[], T]) -> T:
    """Runs a write transaction, again if SQLite refused it as "database is locked".

    SQLite refuses at once, without waiting, a transaction whose snapshot went
    stale before its first write (it read the schema, say, while another
    process committed). The refused transaction rolled back; trying again is safe.
    """
    for attempt in range(ATTEMPTS):
        try:
            return operation()
        except (OperationalError, sqlite3.OperationalError) as error:
            if "locked" not in str(error) or attempt == ATTEMPTS - 1:
                raise
            time.sleep(0.02 * 2**attempt)
    raise AssertionError("unreachable")


class AlreadyApplied(Exception):
    """Raised when an event's tracking position is already recorded in this view."""


@dataclass(frozen=True)
class Table:
    name: str
    columns: str
    indexes: tuple[str, ...] = ()


class ReadModelView(TrackingRecorder):
    """Mixed into the tracking recorder of each store (see the two classes below)."""

    datastore: Any
    tracking_table_name: str
    create_table: Callable[[], None]
    _insert_tracking: Callable[[Any, Tracking], None]
    names: dict[str, str]
    tables: Sequence[Table]
    is_sqlite: bool
    table_migration_identifier: str
    max_tracking_id_statement: Any  # PostgreSQL's (the SQLite recorder has its own)

    def bind(self, tables: Sequence[Table], suffix: str) -> None:
        self.tables, self.suffix = tables, suffix
        self.names = {t.name: self.qualified(t.name + suffix) for t in tables}
        retried(lambda: self.run_all([s for t in tables for s in self.table_ddl(t, suffix)]))

    def run_all(self, statements: Sequence[str]) -> None:
        """Runs complete statements (table names already in place) in one transaction."""
        with self.write_transaction() as cursor:
            sql = Statements(cursor, self.is_sqlite)
            for statement in statements:
                sql.run(statement)

    def table_ddl(self, table: Table, suffix: str) -> list[str]:
        physical = self.qualified(table.name + suffix)
        return [f"CREATE TABLE IF NOT EXISTS {physical} ({table.columns})"] + [
            f"CREATE INDEX IF NOT EXISTS {table.name}{suffix}_{i} ON {physical} ({columns})"
            for i, columns in enumerate(table.indexes)]

    def qualified(self, physical: str) -> str:
        return physical if self.is_sqlite else f'"{self.datastore.schema}".{physical}'

    @contextmanager
    def write_transaction(self) -> Iterator[Any]:
        """A transaction for writing, yielding the library's cursor (on SQLite begun
        IMMEDIATE: see application.infrastructure.sqlite_store)."""
        if not self.is_sqlite:
            with self.datastore.transaction(commit=True) as cursor:
                yield cursor
            return
        with write_transaction(self.datastore) as cursor:
            yield cursor

    def read(self, statement: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        if self.is_sqlite:
            with self.datastore.transaction(commit=False) as cursor:
                return Statements(cursor, True, self.names).run(statement, params)
        return run_alone(self.datastore, statement, params, self.names)

    def applied_positions(self, applications: Sequence[str]) -> dict[str, int]:
        """The last event applied from each application, read in one round trip."""
        if self.is_sqlite:
            return {name: self.max_tracking_id(name) or 0 for name in applications}
        with self.datastore.get_connection() as conn:
            with conn.pipeline():
                cursors = [conn.cursor() for _ in applications]
                for cursor, name in zip(cursors, applications, strict=True):
                    cursor.execute(self.max_tracking_id_statement, (name,), prepare=True)
            return {name: cursor.fetchone()["max"] or 0
                    for cursor, name in zip(cursors, applications, strict=True)}

    def record(self, items: Sequence[tuple[Tracking, Write | None]]) -> int:
        """Applies a batch in one transaction; if any was applied already, one by one."""
        try:
            return retried(lambda: self._record_now(items))
        except AlreadyApplied:
            if len(items) == 1:
                return 0
        return sum(self.record([item]) for item in items)

    def _record_now(self, items: Sequence[tuple[Tracking, Write | None]]) -> int:
        with self.write_transaction() as cursor:
            return self.record_in(cursor, items)

    def record_in(self, cursor: Any, items: Sequence[tuple[Tracking, Write | None]]) -> int:
        """Applies a batch within a transaction the caller holds."""
        for tracking, write in items:
            self._apply(cursor, tracking, write)
        return len(items)

    def _apply(self, cursor: Any, tracking: Tracking, write: Write | None) -> None:
        try:
            self._insert_tracking(cursor, tracking)
        except IntegrityError as error:
            raise AlreadyApplied(str(tracking)) from error
        if write is not None:  # a failure here is a bug in a handler: it propagates
            write(Statements(cursor, self.is_sqlite, self.names))


class SQLiteView(ReadModelView, SQLiteTrackingRecorder):
    is_sqlite = True


class PostgresView(ReadModelView, PostgresTrackingRecorder):
    is_sqlite = False


class ScratchView(SQLiteView):
    """A rebuild's copy in memory (projections.rebuild): filled once from the start of the
    log by one writer, so no event can come twice and only a batch's last position per
    application need be recorded (a row per event was an eighth of a rebuild's time)."""

    def record_in(self, cursor: Any, items: Sequence[tuple[Tracking, Write | None]]) -> int:
        sql = Statements(cursor, True, self.names)
        for _, write in items:
            if write is not None:
                write(sql)
        for tracking in {t.application_name: t for t, _ in items}.values():
            self._insert_tracking(cursor, tracking)
        return len(items)

