"""SQLite persistence that behaves like the PostgreSQL one where kolpact relies on it.

- One events table per application: the library's SQLite factory puts every
  application's events in one shared table, so each application's
  notification log would also carry the others' events.
- One tracking table per projection (the library's is one shared `tracking`
  table keyed by application name, so two read models following the same
  application would fight over one row).
- Every event is linked into the hash chain (see event_chain) as it is
  inserted, in the same transaction.
- Subscriptions: SQLite has no LISTEN/NOTIFY, so a subscription looks for new
  events every POLL_SECONDS (writers may be other processes).
- Writes begin IMMEDIATE (application.infrastructure.sqlite_transaction).
"""

from collections.abc import Sequence
from threading import Event, Thread
from typing import Any

from eventsourcing import sqlite
from eventsourcing.persistence import (
    AggregateRecorder,
    ApplicationRecorder,
    ListenNotifySubscription,
    ProcessRecorder,
    StoredEvent,
    Subscription,
    Tracking,
)

from application.infrastructure import chain_table
from application.infrastructure.sqlite_transaction import write_transaction

POLL_SECONDS = 0.1


class PollingSubscription(ListenNotifySubscription["SQLiteApplicationRecorder"]):
    def __init__(self, recorder: "SQLiteApplicationRecorder", gt: int | None = None,
                 topics: Sequence[str] = ()) -> None:
        self._stopping = Event()
        super().__init__(recorder=recorder, gt=gt, topics=topics)
        self._ticker = Thread(target=self._tick, daemon=True)
        self._ticker.start()

    def _tick(self) -> None:
        while not self._stopping.wait(POLL_SECONDS):
            self._has_been_notified.set()

    def stop(self) -> None:
        self._stopping.set()
        super().stop()


class SQLiteApplicationRecorder(sqlite.SQLiteApplicationRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(),
                *chain_table.create_statements(chain_table.TABLE)]

    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None:
        with write_transaction(self.datastore) as c:
            return self._insert_events(c, stored_events, **kwargs)

    def _insert_events(self, c: Any, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> Sequence[int] | None:
        positions = super()._insert_events(c, stored_events, **kwargs)
        # The insert took the database's write lock: nobody links in between.
        chain_table.link_inserted(c, True, chain_table.TABLE, self.events_table_name,
                                  stored_events, positions)
        return positions

    def subscribe(self, gt: int | None = None,
                  topics: Sequence[str] = ()) -> Subscription[ApplicationRecorder]:
        return PollingSubscription(self, gt=gt, topics=topics)


class SQLiteTrackingRecorder(sqlite.SQLiteTrackingRecorder):
    def __init__(self, datastore: sqlite.SQLiteDatastore,
                 tracking_table_name: str = "tracking", **kwargs: Any) -> None:
        self.tracking_table_name = tracking_table_name
        super().__init__(datastore, **kwargs)
        self.insert_tracking_statement = self._named(self.insert_tracking_statement)
        self.select_max_tracking_id_statement = self._named(
            self.select_max_tracking_id_statement)

    def construct_create_table_statements(self) -> list[str]:
        return [self._named(s) for s in super().construct_create_table_statements()]

    def _named(self, statement: str) -> str:
        return (statement.replace("TABLE IF NOT EXISTS tracking ",
                                  f"TABLE IF NOT EXISTS {self.tracking_table_name} ")
                .replace("INTO tracking ", f"INTO {self.tracking_table_name} ")
                .replace("FROM tracking ", f"FROM {self.tracking_table_name} ")
                .replace("WHERE tracking.", f"WHERE {self.tracking_table_name}."))


class SQLiteProcessRecorder(SQLiteTrackingRecorder, SQLiteApplicationRecorder,
                            ProcessRecorder):
    """Events and the tracking of what caused them, in one transaction (for policies)."""

    def __init__(self, datastore: sqlite.SQLiteDatastore, *, events_table_name: str,
                 tracking_table_name: str) -> None:
        super().__init__(datastore, tracking_table_name=tracking_table_name,
                         events_table_name=events_table_name)

    def _insert_events(self, c: Any, stored_events: Sequence[Any], **kwargs: Any) -> Any:
        returning = super()._insert_events(c, stored_events, **kwargs)
        tracking: Tracking | None = kwargs.get("tracking")
        if tracking is not None:
            self._insert_tracking(c, tracking)
        return returning


class SQLiteFactory(sqlite.SQLiteFactory):
    tracking_recorder_class = SQLiteTrackingRecorder

    def _table(self, purpose: str) -> str:
        return f"{self.env.name.lower() or 'stored'}_{purpose}"

    def aggregate_recorder(self, purpose: str = "events") -> AggregateRecorder:
        recorder = sqlite.SQLiteAggregateRecorder(self.datastore, self._table(purpose))
        if self.env_create_table():
            recorder.create_table()
        return recorder

    def application_recorder(self) -> ApplicationRecorder:
        recorder = SQLiteApplicationRecorder(self.datastore, self._table("events"))
        if self.env_create_table():
            recorder.create_table()
        return recorder

    def process_recorder(self) -> ProcessRecorder:
        recorder = SQLiteProcessRecorder(self.datastore, events_table_name=self._table("events"),
                                         tracking_table_name=self._table("tracking"))
        if self.env_create_table():
            recorder.create_table()
        return recorder

    def tracking_recorder(self, tracking_recorder_class: Any = None) -> Any:
        recorder_class = tracking_recorder_class or self.tracking_recorder_class
        if not issubclass(recorder_class, SQLiteTrackingRecorder):
            raise TypeError(f"{recorder_class} does not name its tracking table")
        recorder = recorder_class(self.datastore, tracking_table_name=self._table("tracking"))
        if self.env_create_table():
            recorder.create_table()
        return recorder
