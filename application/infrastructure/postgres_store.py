"""One PostgreSQL connection pool per process and database schema.

The library gives every application and every tracking recorder a factory with
a pool of its own. With six applications and eight read models that was 36
connections per process before any work, so an API, a worker and a command
line next to each other exhausted the server's 100. Here every factory of the
process that names the same database and schema shares one pool, closed when
the last of them closes.

A use that finds no connection free within KOLPACT_DB_WAIT_SECONDS (every one
of the pool's in use, or the server refusing new ones) fails at once with
ConnectionsExhausted: the library would retry it ten times, each after a
full wait, as if a connection had dropped.

A follower's subscription keeps a connection of its own for LISTEN for as long
as it runs; the pool grows by one for each, so followers never take the
connections that requests wait for. It reads the log once more when LISTEN is
in force, so an event committed while it was connecting is not missed.

Its recorders also link every event into the hash chain (see event_chain) in
the transaction that inserts it, while the log's table lock is held.
"""

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar

import psycopg
from eventsourcing.persistence import (
    AggregateRecorder,
    ApplicationRecorder,
    BaseInfrastructureFactory,
    InterfaceError,
    OperationalError,
    PersistenceError,
    StoredEvent,
    Subscription,
)
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresDatastore,
    PostgresFactory,
    PostgresProcessRecorder,
    PostgresSubscription,
)
from eventsourcing.utils import Environment, retry
from psycopg import Connection
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier
from psycopg_pool import PoolTimeout

from application.infrastructure import chain_table
from application.infrastructure.settings import ConfigurationError, Settings


def connect(settings: Settings) -> psycopg.Connection[Any]:
    """A connection of its own, outside the pool (start-up, the connection budget)."""
    env = settings.persistence_env()
    return psycopg.connect(dbname=env["POSTGRES_DBNAME"], host=env["POSTGRES_HOST"],
                           port=env["POSTGRES_PORT"], user=env["POSTGRES_USER"],
                           password=env["POSTGRES_PASSWORD"], autocommit=True)


def connection_slots(settings: Settings) -> int:
    """How many connections the server lets clients like this one open in all."""
    with connect(settings) as conn:
        rows = conn.execute("SELECT current_setting('max_connections')::int - "
                            "current_setting('superuser_reserved_connections')::int").fetchone()
    return int(rows[0]) if rows else 0


KEY = ("POSTGRES_DBNAME", "POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_USER", "POSTGRES_SCHEMA")


class ConnectionsExhausted(PersistenceError):
    """No database connection was free in time; not retried (see the module's text)."""


class BoundedDatastore(PostgresDatastore):
    @contextmanager
    def get_connection(self) -> Iterator[Connection[DictRow]]:
        try:
            with super().get_connection() as conn:
                yield conn
        except OperationalError as error:
            if isinstance(error.__cause__, PoolTimeout):
                raise ConnectionsExhausted(str(error)) from error
            raise


# The latest snapshot and the events after it, in one round trip (see
# application.common.repository); ordered so the snapshot, if any, comes first.
SELECT_LATEST = SQL(
    "WITH snapshot AS (SELECT originator_version, topic, state FROM {schema}.{snapshots} "
    "WHERE originator_id = %s ORDER BY originator_version DESC LIMIT 1) "
    "SELECT true AS is_snapshot, originator_version, topic, state FROM snapshot "
    "UNION ALL "
    "SELECT false, originator_version, topic, state FROM {schema}.{events} "
    "WHERE originator_id = %s "
    "AND originator_version > COALESCE((SELECT originator_version FROM snapshot), 0) "
    "ORDER BY is_snapshot DESC, originator_version")


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


    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library's
    def select_latest(self, originator_id: Any, snapshots: AggregateRecorder
                      ) -> tuple[list[StoredEvent], list[StoredEvent]]:
        assert isinstance(snapshots, PostgresAggregateRecorder)
        statement = SELECT_LATEST.format(schema=Identifier(self.datastore.schema),
                                         snapshots=Identifier(snapshots.events_table_name),
                                         events=Identifier(self.events_table_name))
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, (originator_id, originator_id), prepare=True)
            found: tuple[list[StoredEvent], list[StoredEvent]] = ([], [])
            for row in curs.fetchall():
                found[0 if row["is_snapshot"] else 1].append(StoredEvent(
                    originator_id=originator_id, originator_version=row["originator_version"],
                    topic=row["topic"], state=bytes(row["state"])))
            return found

    def subscribe(self, gt: int | None = None, topics: Sequence[str] = ()
                  ) -> Subscription[ApplicationRecorder]:
        return ListeningSubscription(recorder=self, gt=gt, topics=topics)


class ListeningSubscription(PostgresSubscription):
    resizing: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, recorder: PostgresApplicationRecorder, gt: int | None = None,
                 topics: Sequence[str] = ()) -> None:
        self._pool_of, self._holds_place = recorder.datastore, False
        self._hold_place(True)
        try:
            super().__init__(recorder=recorder, gt=gt, topics=topics)
        except BaseException:
            self._hold_place(False)
            raise

    def __exit__(self, *args: object, **kwargs: Any) -> None:
        try:
            super().__exit__(*args, **kwargs)
        finally:
            self._hold_place(False)

    def _listen(self) -> None:
        """The library's, and once LISTEN is in force, one more pull. The library pulls
        the events already recorded while this thread is still connecting: an event
        committed in between notified nobody, and stayed unread until the next one."""
        try:
            with self._recorder.datastore.get_connection() as conn:
                conn.execute(SQL("LISTEN {0}").format(Identifier(self._recorder.channel_name)))
                self._has_been_notified.set()
                while not self._has_been_stopped and not self._thread_error:
                    for _ in conn.notifies(timeout=0.1, stop_after=1):
                        self._has_been_notified.set()
        except BaseException as error:
            if self._thread_error is None:
                self._thread_error = error
            self.stop()

    def _hold_place(self, hold: bool) -> None:
        """One more connection in the pool while this subscription listens."""
        with self.resizing:
            if self._holds_place == hold:
                return
            pool = self._pool_of.pool
            pool.resize(pool.min_size, pool.max_size + (1 if hold else -1))
            self._holds_place = hold


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
                # The library names its datastore class in the factory: this one's
                # connections fail fast when exhausted (BoundedDatastore).
                self.datastore.__class__ = BoundedDatastore
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
