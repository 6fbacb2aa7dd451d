"""SQLite persistence with one events table per application, as on PostgreSQL.

The library's SQLite factory puts every application's events in one shared
table, so each application's notification log would also carry the others'
events. Naming the tables per application keeps logs, projections and
tracking positions the same on both stores.
"""

from eventsourcing import sqlite
from eventsourcing.persistence import AggregateRecorder, ApplicationRecorder


class SQLiteFactory(sqlite.SQLiteFactory):
    def _table(self, purpose: str) -> str:
        return f"{self.env.name.lower() or 'stored'}_{purpose}"

    def aggregate_recorder(self, purpose: str = "events") -> AggregateRecorder:
        recorder = sqlite.SQLiteAggregateRecorder(self.datastore, self._table(purpose))
        if self.env_create_table():
            recorder.create_table()
        return recorder

    def application_recorder(self) -> ApplicationRecorder:
        recorder = sqlite.SQLiteApplicationRecorder(self.datastore, self._table("events"))
        if self.env_create_table():
            recorder.create_table()
        return recorder
