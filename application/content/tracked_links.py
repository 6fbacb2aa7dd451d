"""Following a tracked link: find where it leads, count the visit, keep abuse out.

A visit is counted per code, day and channel (link or QR scan) and nothing
else: no address, no user agent, no cookie is stored. To keep one visitor
(or a script) from inflating the figures, each visitor is recognised by a
keyed hash of address and user agent, held in memory only, under a key made
afresh each time the process starts: a visitor counts once per code per
quarter hour, and one that asks too often is told to slow down.
"""

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from application.errors import ApplicationError, NotFound
from application.infrastructure.sql import SqlDatabase
from domain.tracking import is_tracking_code, tracking_code

COUNT_ONCE_PER_SECONDS = 15 * 60
MAX_VISITS_PER_MINUTE = 30
MAX_REMEMBERED = 100_000  # visitors kept in memory before old entries are dropped
# Link previews and crawlers fetch links nobody clicked.
NOT_PEOPLE = ("bot", "spider", "crawler", "preview", "facebookexternalhit", "slurp",
              "whatsapp", "telegram", "curl/", "python-requests", "wget")


class Channel(StrEnum):
    LINK = "link"
    QR = "qr"


class TooManyVisits(ApplicationError):
    """Raised when one visitor follows tracked links faster than a person would."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("Too many visits from here; try again in a minute.")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Visit:
    link: str  # where to send the visitor
    counted: bool


class VisitorLimits:
    """Per-process memory of recent visitors, by keyed hash only."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.key = secrets.token_bytes(32)
        self.lock = threading.Lock()
        self.counted: dict[tuple[str, str], float] = {}  # (visitor, code) -> when counted
        self.recent: dict[str, list[float]] = {}  # visitor -> visit times in the last minute

    def visitor(self, address: str, user_agent: str) -> str:
        return hmac.new(self.key, f"{address}\n{user_agent}".encode(),
                        hashlib.sha256).hexdigest()

    def admit(self, visitor: str, code: str) -> bool:
        """Raises TooManyVisits beyond the rate; returns whether this visit counts."""
        now = self.clock()
        with self.lock:
            self._forget_old(now)
            times = [t for t in self.recent.get(visitor, []) if now - t < 60]
            if len(times) >= MAX_VISITS_PER_MINUTE:
                raise TooManyVisits(retry_after=int(60 - (now - times[0])) + 1)
            self.recent[visitor] = [*times, now]
            last = self.counted.get((visitor, code))
            if last is not None and now - last < COUNT_ONCE_PER_SECONDS:
                return False
            self.counted[(visitor, code)] = now
            return True

    def _forget_old(self, now: float) -> None:
        if len(self.counted) + len(self.recent) < MAX_REMEMBERED:
            return
        self.counted = {k: t for k, t in self.counted.items()
                        if now - t < COUNT_ONCE_PER_SECONDS}
        self.recent = {v: ts for v, ts in self.recent.items() if ts and now - ts[-1] < 60}


def is_person(user_agent: str) -> bool:
    agent = user_agent.casefold()
    return bool(agent) and not any(word in agent for word in NOT_PEOPLE)


class Rows(Protocol):
    """The tracked-links read model, as the redirect reads it."""

    def read(self, statement: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]: ...


class TrackedLinks:
    """Finds links by code (from the tracked-links read model) and counts visits."""

    def __init__(self, database: SqlDatabase, links_view: Rows, today: Callable[[], str],
                 limits: VisitorLimits | None = None) -> None:
        self.database, self.links_view, self.today = database, links_view, today
        self.limits = limits or VisitorLimits()
        self.table = database.table("kolpact_tracked_visits")

    def create_table(self) -> None:
        with self.database.transaction() as sql:
            sql.run(f"CREATE TABLE IF NOT EXISTS {self.table} (code TEXT NOT NULL, "
                    "day TEXT NOT NULL, channel TEXT NOT NULL, visits BIGINT NOT NULL, "
                    "PRIMARY KEY (code, day, channel))")

    def resolve(self, code: str) -> str:
        """Where the code leads."""
        row = self._link(code)
        if row is None:
            raise NotFound("No tracked link with that code.")
        return str(row["link"])

    def follow(self, code: str, channel: Channel, address: str, user_agent: str) -> Visit:
        """Where the code leads, counting the visit unless the limits say otherwise."""
        link = self.resolve(code)
        first_in_a_while = self.limits.admit(self.limits.visitor(address, user_agent), code)
        counted = first_in_a_while and is_person(user_agent)
        if counted:
            self._count(code, channel)
        return Visit(link, counted)

    def visits(self, deliverable_ids: list[str]) -> dict[str, dict[str, int]]:
        """Counted visits per deliverable and channel."""
        codes = {tracking_code(d): d for d in deliverable_ids}
        if not codes:
            return {}
        with self.database.transaction() as sql:
            rows = sql.run(f"SELECT code, channel, SUM(visits) AS visits FROM {self.table} "
                           f"WHERE code IN ({', '.join(['%s'] * len(codes))}) "
                           "GROUP BY code, channel", list(codes))
        found: dict[str, dict[str, int]] = {}
        for row in rows:
            found.setdefault(codes[row["code"]], {})[row["channel"]] = int(row["visits"])
        return found

    def _link(self, code: str) -> dict[str, Any] | None:
        if not is_tracking_code(code):
            return None
        rows = self.links_view.read("SELECT deliverable_id, link FROM {tracked_links} "
                                    "WHERE code = %s", [code])
        return rows[0] if rows else None

    def _count(self, code: str, channel: Channel) -> None:
        with self.database.transaction() as sql:
            sql.run(f"INSERT INTO {self.table} AS v (code, day, channel, visits) "
                    "VALUES (%s, %s, %s, 1) ON CONFLICT (code, day, channel) "
                    "DO UPDATE SET visits = v.visits + 1",
                    [code, self.today(), channel.value])
