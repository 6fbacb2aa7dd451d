"""One PostgreSQL connection pool per process and database schema.

The library gives every application and every tracking recorder a factory with
a pool of its own. With six applications and eight read models that was 36
connections per process before any work, so an API, a worker and a command
line next to each other exhausted the server's 100. Here every factory of the
process that names the same database and schema shares one pool, closed when
the last of them closes.
"""

import threading
from typing import Any, ClassVar

from eventsourcing.persistence import BaseInfrastructureFactory
from eventsourcing.postgres import PostgresDatastore, PostgresFactory
from eventsourcing.utils import Environment

KEY = ("POSTGRES_DBNAME", "POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_USER", "POSTGRES_SCHEMA")


class SharedPostgresFactory(PostgresFactory):
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
