"""Where a read model keeps its rows: plain SQL tables beside the library's tracking table.

A view is the library's tracking recorder for the store in use, extended with
the read model's tables. Rows and the tracking position of the event that
produced them are written in one transaction, tracking first: if the event was
already applied (a replay, or another runner got there first), the tracking
insert fails, the transaction rolls back and the event is skipped.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking, TrackingRecorder
from eventsourcing.postgres import PostgresTrackingRecorder

from application.sql import Statements
from application.sqlite_store import SQLiteTrackingRecorder

Write = Callable[[Statements], None]


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

    def bind(self, tables: Sequence[Table], suffix: str) -> None:
        self.tables, self.suffix = tables, suffix
        self.names = {t.name: self.qualified(t.name + suffix) for t in tables}
        with self.transaction() as sql:
            for table in tables:
                for statement in self.table_ddl(table, suffix):
                    sql.run(statement)

    def table_ddl(self, table: Table, suffix: str) -> list[str]:
        physical = self.qualified(table.name + suffix)
        return [f"CREATE TABLE IF NOT EXISTS {physical} ({table.columns})"] + [
            f"CREATE INDEX IF NOT EXISTS {table.name}{suffix}_{i} ON {physical} ({columns})"
            for i, columns in enumerate(table.indexes)]

    def qualified(self, physical: str) -> str:
        return physical if self.is_sqlite else f'"{self.datastore.schema}".{physical}'

    @contextmanager
    def transaction(self) -> Iterator[Statements]:
        with self.datastore.transaction(commit=True) as cursor:
            yield Statements(cursor, self.is_sqlite, self.names)

    def read(self, statement: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self.datastore.transaction(commit=False) as cursor:
            return Statements(cursor, self.is_sqlite, self.names).run(statement, params)

    def record(self, items: Sequence[tuple[Tracking, Write | None]]) -> int:
        """Applies a batch in one transaction; if any was applied already, one by one."""
        try:
            with self.datastore.transaction(commit=True) as cursor:
                return self.record_in(cursor, items)
        except AlreadyApplied:
            if len(items) == 1:
                return 0
        return sum(self.record([item]) for item in items)

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
