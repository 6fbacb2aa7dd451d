"""Events a read model or policy could not apply, set aside so the rest keeps flowing.

One log serves every brand: an event that a handler cannot apply (a value its
table cannot hold, a bug) must not stop every other brand's lists and policies.
It is set aside here with its error, the processor moves on, and an operator
retries it once the cause is fixed (`kolpact projections retry`) or skips it
for good (`kolpact projections skip`). Errors that may pass by themselves (a
lock, a lost connection, a record changing under a policy) are not set aside:
the follower waits and tries again, as before.

The event gets no tracking row while it is set aside, so retrying applies it
exactly once; a skipped one is tracked with nothing written.
"""

import logging
import sqlite3
import time
from collections.abc import Sequence
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError, Tracking

from application.errors import ConcurrentChange
from application.infrastructure.postgres_store import ConnectionsExhausted
from application.infrastructure.sql import SqlDatabase

log = logging.getLogger(__name__)

# No connection free in time (ConnectionsExhausted) passes too: setting the event aside
# would track the events after it, and a list waiting for it would show it missing.
PASSING = (OperationalError, InterfaceError, sqlite3.OperationalError, psycopg.OperationalError,
           ConnectionsExhausted, ConcurrentChange)
MAX_ERROR_LENGTH = 2000


class SetAside:
    def __init__(self, database: SqlDatabase) -> None:
        self.database = database
        self.table = database.table("kolpact_set_aside")

    def create_table(self) -> None:
        with self.database.transaction() as sql:
            sql.run(f"CREATE TABLE IF NOT EXISTS {self.table} (processor TEXT NOT NULL, "
                    "application TEXT NOT NULL, position BIGINT NOT NULL, "
                    "event TEXT NOT NULL, error TEXT NOT NULL, at_ms BIGINT NOT NULL, "
                    "PRIMARY KEY (processor, application, position))")

    def record(self, processor: str, tracking: Tracking, event: Any, error: Exception) -> None:
        log.error("set aside %s:%s for %s: %s", tracking.application_name,
                  tracking.notification_id, processor, error)
        with self.database.transaction() as sql:
            sql.run(f"INSERT INTO {self.table} (processor, application, position, event, "
                    "error, at_ms) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    (processor, tracking.application_name, tracking.notification_id,
                     type(event).__qualname__, f"{type(error).__name__}: {error}"[
                         :MAX_ERROR_LENGTH], int(time.time() * 1000)))

    def rows(self) -> list[dict[str, Any]]:
        with self.database.transaction() as sql:
            return sql.run(f"SELECT processor, application, position, event, error, at_ms "
                           f"FROM {self.table} ORDER BY at_ms, application, position")

    def remove(self, processor: str, application: str, position: int) -> None:
        with self.database.transaction() as sql:
            sql.run(f"DELETE FROM {self.table} WHERE processor = %s AND application = %s "
                    "AND position = %s", (processor, application, position))

    def process(self, processor: Any, batch: Sequence[tuple[Any, Tracking]]) -> int:
        """Applies a batch; if an event in it cannot be applied, the others are applied
        one by one and that one is set aside. Errors that may pass are raised."""
        try:
            return int(processor.process(list(batch)))
        except PASSING:
            raise
        except Exception as error:
            if len(batch) > 1:
                return sum(self.process(processor, [item]) for item in batch)
            ((event, tracking),) = batch
            self.record(processor.name, tracking, event, error)
            return 0
