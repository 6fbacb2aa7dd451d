"""One PostgreSQL connection pool per process and database schema.

The library gives every application and every tracking recorder a factory with
a pool of its own. With six applications and eight read models that was 36
connections per process before any work, so an API, a worker and a command
line next to each other exhausted the server's 100. Here every factory of the
process that names the same database and schema shares one pool, closed when
the last of them closes.

Its recorders also link every event into the hash chain (see event_chain) in
the transaction that inserts it, while the log's table lock is held.
"""

import threading
from collections.abc import Sequence
from typing import Any, ClassVar

from eventsourcing.persistence import BaseInfrastructureFactory, StoredEvent
from eventsourcing.postgres import (
    PostgresApplicationRecorder,
    PostgresDatastore,
    PostgresFactory,
    PostgresProcessRecorder,
)
from eventsourcing.utils import Environment
from psycopg.sql import SQL

from application.infrastructure import chain_table
from application.infrastructure.settings import ConfigurationError

KEY = ("POSTGRES_DBNAME", "POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_USER", "POSTGRES_SCHEMA")


class ChainedRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        if datastore.enable_db_functions:
            raise ConfigurationError("POSTGRES_ENABLE_DB_FUNCTIONS inserts events in a "
                                     "database function, past the hash chain: unset it.")
        super().__init__(datastore, **kwargs)
        self.chain_table = f'"{datastore.schema}".{chain_table.TABLE}'
        self.sql_create_statements += [SQL(s).format() for s in  # type: ignore[arg-type]
                                       chain_table.create_statements(self.chain_table)]

        self.application = chain_table.application_of(self.events_table_name)
        self.head_statement = chain_table.HEAD.format(table=self.chain_table)
        self.heads = threading.local()  # each thread's insert, between the two calls below

    def _lock_table(self, curs: Any) -> None:
        """Locks the log and, in the same pipeline, reads the chain's last link: no other
        writer can append to this log until the commit, so that link stays the last."""
        super()._lock_table(curs)
        self.heads.cursor = curs.connection.cursor()
        self.heads.cursor.execute(self.head_statement, (self.application,), prepare=True)

    def _fetch_ids_after_insert_events(self, curs: Any, stored_events: Sequence[StoredEvent],
                                       **kwargs: Any) -> Sequence[int] | None:
        positions = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        with self.heads.cursor as head:
            previous = chain_table.head_hash(head.fetchall())
        # The links go with the COMMIT, in the pipeline: nothing waits for them on their own.
        chain_table.link_inserted(curs, False, self.chain_table, self.events_table_name,
                                  stored_events, positions, previous)
        return positions


class ChainedProcessRecorder(ChainedRecorder, PostgresProcessRecorder):
    pass


class SharedPostgresFactory(PostgresFactory):
    application_recorder_class = ChainedRecorder
    process_recorder_class = ChainedProcessRecorder
    _pools: ClassVar[dict[tuple[str | None, ...], tuple[PostgresDatastore, int]]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, env: Environment | Any) -> None:
        BaseInfrastructureFactory.__init__(self, env)
        self.key = tuple(self.env.get(name) for name in KEY)
        with self._lock:
            shared = self._pools.get(self.key)
            if shared is None:
                PostgresFactory.__init__(self, env)  # makes this process's pool
                shared = (self.datastore, 0)
            self.datastore, users = shared
            self._pools[self.key] = (self.datastore, users + 1)
        self.closed = False

    def close(self) -> None:
        with self._lock:
            if self.closed:
                return
            self.closed = True
            datastore, users = self._pools[self.key]
            if users > 1:
                self._pools[self.key] = (datastore, users - 1)
                return
            del self._pools[self.key]
        datastore.close()
