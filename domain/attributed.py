"""Every kolpact event says who acted and, where they gave one, why."""

from eventsourcing.domain import Aggregate

from domain.errors import InvalidValue

MAX_REASON_LENGTH = 2000


class AttributedEvent(Aggregate.Event):
    actor: str
    reason: str | None


def required_reason(reason: str | None, action: str) -> str:
    if reason is None or not reason.strip():
        raise InvalidValue({"reason": f"is required to {action}"})
    return checked_reason(reason) or ""


def checked_reason(reason: str | None) -> str | None:
    if reason is not None and len(reason) > MAX_REASON_LENGTH:
        raise InvalidValue({"reason": f"must be at most {MAX_REASON_LENGTH} characters"})
    return reason.strip() if reason and reason.strip() else None
