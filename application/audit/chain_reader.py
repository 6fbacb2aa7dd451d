"""Reads events and their links back out of the store, to check the chain."""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import StoredEvent

from application.infrastructure import chain_table
from application.infrastructure.event_chain import (
    Break,
    ChainedEvent,
    Link,
    check_link,
    first_break,
)
from application.infrastructure.settings import ConfigurationError
from application.infrastructure.sql import SqlDatabase, Statements

PAGE = 1000


@dataclass(frozen=True)
class LogCheck:
    application: str
    events: int  # how many were checked
    head: Link | None  # the last link that checked out
    broken: Break | None


@dataclass(frozen=True)
class InChain:
    event: ChainedEvent | None
    link: Link | None
    previous_position: int | None
    previous_hash: str


class StoredChain:
    def __init__(self, database: SqlDatabase, applications: Mapping[str, Application]) -> None:
        self.database = database
        self.applications = applications
        self.table = database.table(chain_table.TABLE)
        # SQLite numbers a log by rowid and keeps ids as hex; PostgreSQL has a column.
        self.position = "rowid" if database.is_sqlite else "notification_id"

    def check_log(self, application: str) -> LogCheck:
        counted = _Counted(self.events(application))
        broken, head = first_break(counted, self.links(application))
        return LogCheck(application, counted.count, head, broken)

    def check_aggregates(self, application: str, ids: Iterable[UUID]) -> tuple[int, Break | None]:
        """Checks only the events of some aggregates, each against the link before it."""
        checked = 0
        for chained in self.aggregate_chain(application, ids):
            broken = check_link(chained.previous_hash, chained.event, chained.link)
            if broken is not None:
                return checked, broken
            checked += 1
        return checked, None

    def aggregate_chain(self, application: str, ids: Iterable[UUID]) -> list["InChain"]:
        """Each event of the aggregates with its link and the link before it, by version;
        an event without a link, or a link without its event, shows as such."""
        found = []
        with self.database.transaction() as sql:
            for aggregate_id in ids:
                events = {e.originator_version: e for e in self._aggregate_events(
                    sql, application, aggregate_id)}
                links = {link.originator_version: link for link in map(
                    chain_table.as_link, sql.run(
                        f"SELECT * FROM {self.table} WHERE application = %s "
                        "AND originator_id = %s", (application, str(aggregate_id))))}
                for version in sorted(events.keys() | links.keys()):
                    event, link = events.get(version), links.get(version)
                    at = (link or event).position  # type: ignore[union-attr] # one is there
                    found.append(InChain(event, link, *chain_table.previous_link(
                        sql, self.table, application, before=at)))
        return found

    def events(self, application: str) -> Iterator[ChainedEvent]:
        recorder: Any = self.applications[application].recorder
        after = 0
        while page := recorder.select_notifications(start=after, limit=PAGE,
                                                    inclusive_of_start=False):
            for n in page:
                yield ChainedEvent.of(application, n.id, n.originator_id,
                                      n.originator_version, n.topic, n.state)
            after = page[-1].id

    def links(self, application: str, after: int = 0) -> Iterator[Link]:
        while True:
            with self.database.transaction() as sql:
                rows = sql.run(f"SELECT * FROM {self.table} WHERE application = %s "
                               "AND position > %s ORDER BY position LIMIT %s",
                               (application, after, PAGE))
            yield from map(chain_table.as_link, rows)
            if len(rows) < PAGE:
                return
            after = int(rows[-1]["position"])

    def link_at(self, application: str, position: int) -> Link | None:
        with self.database.transaction() as sql:
            rows = sql.run(f"SELECT * FROM {self.table} WHERE application = %s "
                           "AND position = %s", (application, position))
        return chain_table.as_link(rows[0]) if rows else None

    def adopt_unlinked(self, application: str) -> int:
        """A store written before there was a chain: links what it holds, once. Later,
        an event without a link is an inserted one."""
        with self.database.transaction() as sql:
            if self._has_links(sql, application):
                return 0  # the usual case, at every start: no lock taken
            if not self.database.is_sqlite:  # writers take this lock too: none slips in
                sql.run(f"LOCK TABLE {self._events_table(application)} IN EXCLUSIVE MODE")
            if self._has_links(sql, application):
                return 0  # a writer linked its events while this waited for the lock
            events = self._event_rows(sql, application, "", ())
            chain_table.append_links(
                sql, self.table, application,
                [StoredEvent(e.originator_id, e.originator_version, e.topic, e.state)
                 for e in events], [e.position for e in events])
        return len(events)

    def _has_links(self, sql: Statements, application: str) -> bool:
        return bool(sql.run(f"SELECT 1 FROM {self.table} WHERE application = %s LIMIT 1",
                            (application,)))

    def check_snapshots(self, application: str,
                        ids: Iterable[UUID] | None = None) -> list[dict[str, Any]]:
        """Snapshots are not in the chain, but loading uses them: each must be what its
        aggregate's (chained) events make of it at that version."""
        app: Any = self.applications[application]
        if app.snapshots is None:
            return []
        params: tuple[Any, ...]
        where, params = "", ()
        if ids is not None:
            wanted = [i.hex if self.database.is_sqlite else i for i in ids]
            if not wanted:
                return []
            where = f"WHERE originator_id IN ({', '.join(['%s'] * len(wanted))})"
            params = tuple(wanted)
        with self.database.transaction() as sql:
            rows = sql.run("SELECT originator_id, originator_version, topic, state FROM "
                           f"{self.database.table(f'{application}_snapshots')} {where}",
                           params)
        return [problem for row in rows
                if (problem := _snapshot_problem(app, application, row)) is not None]

    def _aggregate_events(self, sql: Statements, application: str,
                          aggregate_id: UUID) -> list[ChainedEvent]:
        key = aggregate_id.hex if self.database.is_sqlite else aggregate_id
        return self._event_rows(sql, application, "WHERE originator_id = %s", (key,))

    def _event_rows(self, sql: Statements, application: str, where: str,
                    params: tuple[Any, ...]) -> list[ChainedEvent]:
        rows = sql.run(f"SELECT {self.position} AS position, originator_id, "
                       f"originator_version, topic, state FROM "
                       f"{self._events_table(application)} {where} ORDER BY {self.position}",
                       params)
        return [ChainedEvent.of(application, int(r["position"]), r["originator_id"],
                                int(r["originator_version"]), r["topic"], r["state"])
                for r in rows]

    def _events_table(self, application: str) -> str:
        return self.database.table(f"{application}_events")


class _Counted(Iterator[ChainedEvent]):
    def __init__(self, events: Iterator[ChainedEvent]) -> None:
        self.inner, self.count = events, 0

    def __next__(self) -> ChainedEvent:
        event = next(self.inner)
        self.count += 1
        return event


def _snapshot_problem(app: Any, application: str, row: dict[str, Any]) -> dict[str, Any] | None:
    aggregate_id = UUID(str(row["originator_id"]))
    version = int(row["originator_version"])
    replayed: Any = None
    for event in app.events.get(aggregate_id, lte=version):
        replayed = event.mutate(replayed)
    if replayed is None or replayed.version != version:
        return _snapshot_break(application, aggregate_id, version,
                               "has no events that reach its version")
    snapshot_class = getattr(type(replayed), "Snapshot", type(app).snapshot_class)
    fresh = app.mapper.to_stored_event(snapshot_class.take(replayed))
    try:
        stored_state = _comparable(app, row["state"])
    except ConfigurationError:
        raise  # no key to personal data: say so, do not call the snapshot unreadable
    except Exception:  # whatever was written there, it is not a snapshot
        return _snapshot_break(application, aggregate_id, version, "is unreadable")
    if stored_state != _comparable(app, fresh.state) or row["topic"] != fresh.topic:
        return _snapshot_break(application, aggregate_id, version,
                               "does not match its events (altered)")
    return None


def _comparable(app: Any, state: Any) -> dict[str, Any]:
    """A snapshot's state as the store's transcoder reads it, without when it was taken."""
    decoded: dict[str, Any] = app.mapper.transcoder.decode(
        state.encode() if isinstance(state, str) else bytes(state))
    decoded.pop("timestamp", None)
    return decoded


def _snapshot_break(application: str, aggregate_id: UUID, version: int,
                    problem: str) -> dict[str, Any]:
    return {"application": application, "aggregate_id": str(aggregate_id),
            "version": version, "problem": f"snapshot {problem}",
            "description": f"{application} snapshot of aggregate {aggregate_id} at version "
                           f"{version} {problem}"}
