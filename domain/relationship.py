"""What a brand remembers of its relationship with a creator, beyond their profile: notes,
the log of contacts (who, when, by which channel, what was said, when to follow up),
and the colleague who owns the relationship. Kept on the creator, so it stays with the
brand when people leave; what was said is personal data, sealed like contact details
and erased with them."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from domain.rules import Problems, check_day, check_name

MAX_NOTE = 4000
CLOCK_SKEW = timedelta(minutes=5)


class Channel(StrEnum):
    WECHAT = "wechat"
    EMAIL = "email"
    PHONE = "phone"
    IN_PERSON = "in_person"
    OTHER = "other"


@dataclass(frozen=True)
class Note:
    """Words about a person (its subject): sealed at rest, erased on request."""

    text: str
    subject_id: str | None = None
    erased: bool = False

    @classmethod
    def erased_for(cls, subject_id: str) -> "Note":
        return cls(text="", subject_id=subject_id, erased=True)

    def problems(self, path: str) -> Problems:
        return check_name(path, self.text, MAX_NOTE)


@dataclass(frozen=True)
class Contacted:
    """One contact: by whom (the event's actor), when, by which channel, what was said,
    and when to follow up (none: nothing to chase)."""

    channel: Channel
    at: datetime
    summary: Note
    next_follow_up: date | None = None

    def problems(self, now: datetime) -> Problems:
        errors = self.summary.problems("summary") | check_day("next_follow_up",
                                                              self.next_follow_up)
        if self.at.tzinfo is None:
            errors["at"] = "needs a time zone"
        elif self.at > now + CLOCK_SKEW:
            errors["at"] = "is in the future: log a contact once it happened"
        if self.next_follow_up is not None and self.at.tzinfo is not None and \
                self.next_follow_up < self.at.date():
            errors["next_follow_up"] = "is before the contact itself"
        return errors


@dataclass(frozen=True)
class KeptNote:
    by: str  # the colleague who wrote it
    at: datetime
    note: Note


@dataclass(frozen=True)
class KeptContact:
    by: str  # the colleague who was in touch
    contact: Contacted
