"""Remembering the outcome of requests sent with an Idempotency-Key.

The first request with a key claims it; a retry with the same key and the
same content gets the first outcome back; the same key with other content
is refused. A claim whose worker died is taken over after a while — creates
derive their ids from the key, so even then nothing is created twice.
"""

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from application.errors import ApplicationError
from application.infrastructure.sql import SqlDatabase, Statements

KEEP_FOR_SECONDS = 24 * 3600
TAKE_OVER_AFTER_SECONDS = 60
SWEEP_EVERY_SECONDS = 60
MAX_KEY_LENGTH = 255


class KeyReused(ApplicationError):
    """Raised when an Idempotency-Key comes back with a different request."""


class RequestInProgress(ApplicationError):
    """Raised when the first request with this Idempotency-Key has not finished yet."""


@dataclass(frozen=True)
class Outcome:
    status: int
    headers: dict[str, str]
    body: str


class IdempotencyStore:
    def __init__(self, database: SqlDatabase, clock: Callable[[], float] = time.time) -> None:
        self.database = database
        self.table = database.table("kolpact_idempotency")
        self.clock = clock
        self.swept_ms = 0

    def create_table(self) -> None:
        with self.database.transaction() as sql:
            sql.run(f"CREATE TABLE IF NOT EXISTS {self.table} (scope TEXT NOT NULL, "
                    "key TEXT NOT NULL, fingerprint TEXT NOT NULL, started_ms BIGINT NOT NULL, "
                    "status INTEGER, headers TEXT, body TEXT, PRIMARY KEY (scope, key))")
            # Every claim deletes expired records: find them without reading the table.
            sql.run(f"CREATE INDEX IF NOT EXISTS kolpact_idempotency_started ON {self.table} "
                    "(started_ms)")

    def claim(self, scope: str, key: str, fingerprint: str) -> Outcome | None:
        """None: go ahead and act. An Outcome: the earlier answer to give again."""
        now = int(self.clock() * 1000)
        self._forget_expired(now)
        for _ in range(3):  # again if the record went meanwhile (released, or expired)
            # The usual case, a new key, is this one statement on its own.
            if self.database.one(f"INSERT INTO {self.table} (scope, key, fingerprint, "
                                 "started_ms) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING "
                                 "RETURNING key", (scope, key, fingerprint, now)):
                return None
            with self.database.transaction() as sql:
                rows = sql.run(f"SELECT * FROM {self.table} WHERE scope = %s AND key = %s",
                               (scope, key))
                if not rows:
                    continue
                if rows[0]["started_ms"] < now - KEEP_FOR_SECONDS * 1000:
                    sql.run(f"DELETE FROM {self.table} WHERE scope = %s AND key = %s",
                            (scope, key))
                    continue
                return self._earlier(sql, rows[0], fingerprint, now)
        raise RequestInProgress("A request with this Idempotency-Key is still being "
                                "processed; retry in a moment.")

    def _earlier(self, sql: Statements, row: dict[str, Any], fingerprint: str, now: int
                 ) -> Outcome | None:
        """The outcome of the first request with the key; None if its claim is taken over."""
        if row["fingerprint"] != fingerprint:
            raise KeyReused("This Idempotency-Key was already used for a different "
                            "request; use a new key for a new request.")
        if row["status"] is not None:
            return Outcome(row["status"], json.loads(row["headers"]), row["body"])
        if now - row["started_ms"] < TAKE_OVER_AFTER_SECONDS * 1000 or not sql.run(
                f"UPDATE {self.table} SET started_ms = %s WHERE scope = %s AND key = %s "
                "AND started_ms = %s AND status IS NULL RETURNING key",
                (now, row["scope"], row["key"], row["started_ms"])):
            raise RequestInProgress("A request with this Idempotency-Key is still being "
                                    "processed; retry in a moment.")
        return None

    def _forget_expired(self, now: int) -> None:
        """Deletes records older than a day, at most once a minute per process."""
        if now - self.swept_ms < SWEEP_EVERY_SECONDS * 1000:
            return
        self.database.one(f"DELETE FROM {self.table} WHERE started_ms < %s",
                          (now - KEEP_FOR_SECONDS * 1000,))
        self.swept_ms = now

    def remember(self, scope: str, key: str, outcome: Outcome) -> None:
        self.database.one(f"UPDATE {self.table} SET status = %s, headers = %s, body = %s "
                          "WHERE scope = %s AND key = %s",
                          (outcome.status, json.dumps(outcome.headers), outcome.body, scope,
                           key))

    def release(self, scope: str, key: str) -> None:
        """Forgets an unfinished claim (the request failed on our side), so a retry may act."""
        self.database.one(f"DELETE FROM {self.table} WHERE scope = %s AND key = %s "
                          "AND status IS NULL", (scope, key))


def fingerprint_of(method: str, path: str, body: Any) -> str:
    canonical = json.dumps([method, path, body], sort_keys=True, separators=(",", ":"),
                           default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
