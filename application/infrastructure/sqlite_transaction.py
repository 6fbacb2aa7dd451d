"""SQLite write transactions that take the write lock first.

The library begins deferred: a transaction that reads before it writes (a policy
recording only its tracking, after reading) is refused at once with "database is
locked" when another process committed in between, whatever the lock timeout.
Begun IMMEDIATE, a write waits for the lock (up to the timeout) instead.
"""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from eventsourcing import sqlite
from eventsourcing.persistence import OperationalError


class ImmediateTransaction(sqlite.SQLiteTransaction):
    """The library's transaction (its commit, rollback and error translation), begun
    IMMEDIATE."""

    def __enter__(self) -> sqlite.SQLiteCursor:
        cursor = self.connection.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:  # still locked after the lock timeout
            raise OperationalError(error) from error
        return cursor


@contextmanager
def write_transaction(datastore: sqlite.SQLiteDatastore) -> Iterator[sqlite.SQLiteCursor]:
    with datastore.get_connection(commit=True) as connection, \
            ImmediateTransaction(connection, commit=True) as cursor:
        yield cursor
