"""What auditors did with the record is itself on the record.

A Seal is a checkpoint of every log's chain (position and hash of its last
link, and one root hash over them), meant to be published outside the
system: once published, nobody can rewrite what came before it unnoticed.
A ChainCheck is one verification and its outcome; an AuditExport is one
bundle handed out, with the digest that identifies it.
"""

from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.attributed import AttributedEvent


class Seal(Aggregate):
    class Recorded(AttributedEvent, Aggregate.Created):
        heads: dict[str, Any]  # application -> {"position": int, "hash": str}
        root: str

    @event(Recorded)
    def __init__(self, actor: str, reason: str | None, heads: dict[str, Any],
                 root: str) -> None:
        self.heads, self.root = heads, root

    @classmethod
    def record(cls, *, actor: str, heads: dict[str, Any], root: str) -> "Seal":
        return cls._create(cls.Recorded, actor=actor, reason=None, heads=heads, root=root)


class ChainCheck(Aggregate):
    class Recorded(AttributedEvent, Aggregate.Created):
        scope: str  # "store", "contract", or "export"
        subject: str | None  # the contract, or the bundle's digest
        passed: bool
        events_checked: int
        breaks: tuple[dict[str, Any], ...]
        brand_ids: tuple[str, ...]  # whose records it looked at; () for the whole store

    @event(Recorded)
    def __init__(self, actor: str, reason: str | None, scope: str, subject: str | None,
                 passed: bool, events_checked: int, breaks: tuple[dict[str, Any], ...],
                 brand_ids: tuple[str, ...]) -> None:
        self.scope, self.subject, self.passed = scope, subject, passed
        # Tuples come back from the store as lists.
        self.events_checked, self.breaks = events_checked, tuple(breaks)
        self.brand_ids = tuple(brand_ids)

    @classmethod
    def record(cls, *, actor: str, scope: str, subject: str | None, passed: bool,
               events_checked: int, breaks: tuple[dict[str, Any], ...],
               brand_ids: tuple[str, ...]) -> "ChainCheck":
        return cls._create(cls.Recorded, actor=actor, reason=None, scope=scope,
                           subject=subject, passed=passed, events_checked=events_checked,
                           breaks=breaks, brand_ids=brand_ids)


class AuditExport(Aggregate):
    class Recorded(AttributedEvent, Aggregate.Created):
        contract_id: str
        brand_id: str
        digest: str  # SHA-256 of the bundle's manifest, which names every file's digest
        events: int

    @event(Recorded)
    def __init__(self, actor: str, reason: str | None, contract_id: str, brand_id: str,
                 digest: str, events: int) -> None:
        self.contract_id, self.brand_id = contract_id, brand_id
        self.digest, self.events = digest, events

    @classmethod
    def record(cls, *, actor: str, contract_id: str, brand_id: str, digest: str,
               events: int) -> "AuditExport":
        return cls._create(cls.Recorded, actor=actor, reason=None, contract_id=contract_id,
                           brand_id=brand_id, digest=digest, events=events)
