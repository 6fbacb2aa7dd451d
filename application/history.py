"""An aggregate's audit trail: every event with who, when, why and what changed.

Changes are found by replaying the events one at a time and comparing the
aggregate's state before and after each, so the trail always agrees with
what the aggregate itself did with the event.
"""

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from domain.values import to_primitive

HIDDEN = ("_",)  # the library's own bookkeeping (_id, _version, _pending_events, ...)


def state_of(aggregate: Aggregate | None) -> dict[str, Any]:
    if aggregate is None:
        return {}
    return flatten({k: to_primitive(v) for k, v in vars(aggregate).items()
                    if not k.startswith(HIDDEN)})


def flatten(value: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts become dotted paths, so a change names the exact term that moved."""
    flat: dict[str, Any] = {}
    for key, item in value.items():
        path = f"{prefix}{key}"
        if isinstance(item, dict):
            flat |= flatten(item, path + ".")  # an empty dict leaves no path behind
        else:
            flat[path] = item
    return flat


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {path: {"from": before.get(path), "to": after.get(path)}
            for path in sorted(before.keys() | after.keys())
            if before.get(path) != after.get(path)}


def history(app: Application, aggregate_id: UUID) -> Iterator[dict[str, Any]]:
    aggregate: Any = None
    domain_event: Any
    for domain_event in app.events.get(aggregate_id):
        before = state_of(aggregate)
        aggregate = domain_event.mutate(aggregate)
        yield {
            "aggregate": type(aggregate).__name__,
            "aggregate_id": str(aggregate_id),
            "version": domain_event.originator_version,
            "event": type(domain_event).__name__,
            "time": domain_event.timestamp,
            "actor": getattr(domain_event, "actor", None),
            "reason": getattr(domain_event, "reason", None),
            "changes": changes(before, state_of(aggregate)),
        }


def version_at(app: Application, aggregate_id: UUID, moment: datetime) -> int | None:
    """The aggregate's version as it stood at `moment`, or None if it did not exist yet."""
    version = None
    domain_event: Any
    for domain_event in app.events.get(aggregate_id):
        if domain_event.timestamp > moment:
            break
        version = domain_event.originator_version
    return version
