"""The hash chain that makes the event store tamper-evident.

Every stored event is linked to the one before it in its application's log:
its link is SHA-256 over the predecessor's link and a canonical form of the
event (application, position, aggregate, version, topic and a digest of the
stored state). Links are written in the same transaction as the events, so
an event without a link was put there by something other than kolpact.

Checking needs no secret and no database: the same functions verify the
live store and an exported bundle. The stored bytes are what is hashed, so
personal data encrypted inside an event can be made unreadable (its key
destroyed) without the chain noticing.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

GENESIS = "0" * 64  # what the first event of a log links to


@dataclass(frozen=True)
class ChainedEvent:
    """One stored event, as the chain sees it."""

    application: str
    position: int
    originator_id: str
    originator_version: int
    topic: str
    state: bytes

    @classmethod
    def of(cls, application: str, position: int, originator_id: UUID | str,
           originator_version: int, topic: str, state: Any) -> "ChainedEvent":
        return cls(application, position, _canonical_id(originator_id),
                   int(originator_version), str(topic), _as_bytes(state))

    def canonical(self) -> dict[str, Any]:
        return {"application": self.application, "position": self.position,
                "originator_id": self.originator_id,
                "originator_version": self.originator_version, "topic": self.topic,
                "state_sha256": hashlib.sha256(self.state).hexdigest()}


@dataclass(frozen=True)
class Link:
    application: str
    position: int
    originator_id: str
    originator_version: int
    hash: str


def link_hash(previous: str, event: ChainedEvent) -> str:
    canonical = json.dumps(event.canonical(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{previous}\n{canonical}".encode()).hexdigest()


def links_for(previous: str, events: Iterable[ChainedEvent]) -> Iterator[Link]:
    """The links of new events appended after a link whose hash is `previous`."""
    for event in events:
        previous = link_hash(previous, event)
        yield Link(event.application, event.position, event.originator_id,
                   event.originator_version, previous)


@dataclass(frozen=True)
class Break:
    """The first place where the stored events and their chain disagree."""

    application: str
    position: int
    aggregate_id: str
    version: int
    problem: str

    def describe(self) -> str:
        return (f"{self.application}:{self.position} (aggregate {self.aggregate_id}, "
                f"version {self.version}): {self.problem}")

    def as_dict(self) -> dict[str, Any]:
        return {"application": self.application, "position": self.position,
                "aggregate_id": self.aggregate_id, "version": self.version,
                "problem": self.problem, "description": self.describe()}


def check_link(previous: str, event: ChainedEvent | None, link: Link | None) -> Break | None:
    """Whether an event still is what its link says; `previous` is the link before it."""
    if link is None:
        assert event is not None
        return _break(event, "was inserted: kolpact wrote no link for it")
    if event is None:
        return Break(link.application, link.position, link.originator_id,
                     link.originator_version, "was removed from the store")
    if (event.originator_id, event.originator_version) != (link.originator_id,
                                                           link.originator_version):
        return _break(event, f"is out of place: this position held version "
                             f"{link.originator_version} of aggregate {link.originator_id}")
    if link_hash(previous, event) != link.hash:
        return _break(event, "was altered, or an event before it was removed")
    return None


def first_break(events: Iterable[ChainedEvent], links: Iterable[Link],
                previous: str = GENESIS) -> tuple[Break | None, Link | None]:
    """Walks one application's events and links in position order (both sorted).

    Returns the first break, if any, and the last link that checked out."""
    last: Link | None = None
    for event, link in _by_position(iter(events), iter(links)):
        broken = check_link(previous, event, link)
        if broken is not None:
            return broken, last
        assert link is not None
        previous, last = link.hash, link
    return None, last


def _by_position(events: Iterator[ChainedEvent], links: Iterator[Link]
                 ) -> Iterator[tuple[ChainedEvent | None, Link | None]]:
    event, link = next(events, None), next(links, None)
    while event is not None or link is not None:
        if link is None or (event is not None and event.position < link.position):
            yield event, None
            event = next(events, None)
        elif event is None or link.position < event.position:
            yield None, link
            link = next(links, None)
        else:
            yield event, link
            event, link = next(events, None), next(links, None)


def _break(event: ChainedEvent, problem: str) -> Break:
    return Break(event.application, event.position, event.originator_id,
                 event.originator_version, problem)


def _canonical_id(originator_id: UUID | str) -> str:
    try:
        return str(UUID(str(originator_id)))
    except ValueError:  # not an id kolpact wrote: keep it as found, so the check names it
        return str(originator_id)


def _as_bytes(state: Any) -> bytes:
    """A row edited by hand may hold text where kolpact wrote bytes."""
    if isinstance(state, bytes | bytearray | memoryview):
        return bytes(state)
    return str(state).encode()


def seal_root(heads: dict[str, Any]) -> str:
    """One hash over the heads of every log ({application: {"position", "hash"}}): what a
    seal publishes."""
    canonical = json.dumps({app: [int(head["position"]), str(head["hash"])]
                            for app, head in heads.items()},
                           sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
