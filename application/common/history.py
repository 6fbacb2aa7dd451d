"""An aggregate's audit trail: every event with who, when, why and what changed.

Changes are found by replaying the events one at a time and comparing the
aggregate's state before and after each, so the trail always agrees with
what the aggregate itself did with the event.
"""

import json
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


def readable(changed: dict[str, dict[str, Any]]) -> list[str]:
    """The changes as lines a person reads: lists are compared item by item, so an
    amended term shows as `terms.deliverables[0].due_days: 14 -> 21`."""
    lines: list[str] = []
    for path, change in changed.items():
        lines += _lines(path, change["from"], change["to"])
    return lines


def _lines(path: str, before: Any, after: Any) -> list[str]:
    if before == after:
        return []
    if isinstance(before, list | tuple) and isinstance(after, list | tuple):
        return [line for i in range(max(len(before), len(after)))
                for line in _lines(f"{path}[{i}]", _at(before, i), _at(after, i))]
    if isinstance(before, dict) and isinstance(after, dict):
        return [line for key in sorted(before.keys() | after.keys())
                for line in _lines(f"{path}.{key}", before.get(key), after.get(key))]
    if before is None:
        return [f"{path}: added {_shown(after)}"]
    if after is None:
        return [f"{path}: removed (was {_shown(before)})"]
    return [f"{path}: {_shown(before)} -> {_shown(after)}"]


def _at(items: list[Any] | tuple[Any, ...], index: int) -> Any:
    return items[index] if index < len(items) else None


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def history(app: Application, aggregate_id: UUID) -> Iterator[dict[str, Any]]:
    aggregate: Any = None
    domain_event: Any
    for domain_event in app.events.get(aggregate_id):
        before = state_of(aggregate)
        aggregate = domain_event.mutate(aggregate)
        changed = changes(before, state_of(aggregate))
        yield {
            "aggregate": type(aggregate).__name__,
            "aggregate_id": str(aggregate_id),
            "version": domain_event.originator_version,
            "event": type(domain_event).__name__,
            "time": domain_event.timestamp,
            "actor": getattr(domain_event, "actor", None),
            "reason": getattr(domain_event, "reason", None),
            "changes": changed,
            "diff": readable(changed),
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
