"""UsageRight: what a brand may do with a creator's content, where, and until when.

granted -> (started) -> extended ... -> revoked | expired. Every change carries
the day it takes effect, and a question about a day only weighs the changes
in effect by then: an answer for a day never changes because of what happened
afterwards ("as things stood then").
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.attributed import AttributedEvent, required_reason
from domain.errors import HasStatus, InvalidTransition, InvalidValue
from domain.money import Money
from domain.obligations import RightStart, UsageRightTerm
from domain.rules import WORLDWIDE
from domain.vocabulary import Channel


class RightStatus(StrEnum):
    AWAITING_START = "awaiting_start"  # starts on publication, not yet published
    GRANTED = "granted"
    REVOKED = "revoked"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Extension:
    on: date  # in effect from this day
    days: int
    fee: Money | None
    terms_version: int  # the signed terms that granted it
    cause: str | None = None  # what else led to it, e.g. a make-good rule's breach


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    right_key: str
    why: str  # what allows it, or why not
    until: date | None = None  # the last day allowed (None: perpetual)


class UsageRight(Aggregate, HasStatus):
    class Event(AttributedEvent):
        pass

    class Granted(Event, Aggregate.Created):
        brand_id: str
        contract_id: str
        creator_id: str
        term: UsageRightTerm
        granted_on: date
        campaign: str | None = None

    class Started(Event):
        on: date
        cause: str

    class Extended(Event):
        extension: Extension

    class Revoked(Event):
        on: date

    class Expired(Event):
        on: date

    @event(Granted)
    def __init__(self, actor: str, reason: str | None, brand_id: str, contract_id: str,
                 creator_id: str, term: UsageRightTerm, granted_on: date,
                 campaign: str | None = None) -> None:
        self.brand_id, self.contract_id, self.creator_id = brand_id, contract_id, creator_id
        self.term, self.granted_on, self.campaign = term, granted_on, campaign
        self.starts_on = first_day(term, granted_on)
        self.status = RightStatus.GRANTED if self.starts_on else RightStatus.AWAITING_START
        self.extensions: tuple[Extension, ...] = ()
        self.revoked: tuple[date, str] | None = None

    @classmethod
    def grant(cls, *, actor: str, brand_id: str, contract_id: str, creator_id: str,
              term: UsageRightTerm, granted_on: date, campaign: str | None = None,
              id: Any = None) -> "UsageRight":
        return cls._create(cls.Granted, id=id, actor=actor, reason=None, brand_id=brand_id,
                           contract_id=contract_id, creator_id=creator_id, term=term,
                           granted_on=granted_on, campaign=campaign)

    def start(self, actor: str, on: date, cause: str) -> bool:
        """A right that starts on publication starts with the first publication."""
        if self.status is not RightStatus.AWAITING_START:
            return False
        self._started(actor=actor, reason=None, on=on, cause=cause)
        return True

    def extend(self, actor: str, on: date, days: int, fee: Money | None,
               terms_version: int, cause: str | None = None) -> None:
        self._require(self.status in (RightStatus.GRANTED, RightStatus.AWAITING_START,
                                      RightStatus.EXPIRED), "extend it", "it was revoked")
        if self.term.duration_days is None:
            raise InvalidTransition("A perpetual right needs no extension.")
        errors = {} if 0 < days <= 3650 else {"days": "must be 1-3650"}
        if fee is not None:
            errors |= fee.problems("fee")
        if errors:
            raise InvalidValue(errors)
        self._extended(actor=actor, reason=None,
                       extension=Extension(on, days, fee, terms_version, cause))

    def withdraw_extension(self, actor: str, on: date, cause: str, because: str) -> bool:
        """Takes back, from `on`, the days an extension for `cause` gave (that cause was
        withdrawn: `because`), as an extension of minus those days; answers for earlier
        days stand. False if there was none, or it was taken back already."""
        given = sum(e.days for e in self.extensions if e.cause == cause)
        if given <= 0 or any(e.cause == because for e in self.extensions):
            return False
        terms_version = next(e.terms_version for e in self.extensions if e.cause == cause)
        self._extended(actor=actor, reason=None,
                       extension=Extension(on, -given, None, terms_version, because))
        return True

    def revoke(self, actor: str, on: date, reason: str | None) -> None:
        reason = required_reason(reason, "revoke a usage right")
        self._require(self.status is not RightStatus.REVOKED, "revoke it")
        self._revoked(actor=actor, reason=reason, on=on)

    def expire(self, actor: str, today: date) -> bool:
        """Records the expiry once its last day has passed; False if not (yet) due."""
        last = self.last_day(today)
        if self.status is not RightStatus.GRANTED or last is None or today <= last:
            return False
        self._expired(actor=actor, reason=None, on=last + timedelta(days=1))
        return True

    # Questions.

    def covers(self, deliverable_key: str) -> bool:
        return not self.term.deliverable_keys or deliverable_key in self.term.deliverable_keys

    def exclusive_until(self) -> date | None:
        """The last day of its exclusivity; None while it has not started."""
        if self.starts_on is None or self.term.exclusivity_days is None:
            return None
        return self.starts_on + timedelta(days=self.term.exclusivity_days - 1)

    def excludes(self, category: str, today: date) -> bool:
        """It makes the creator exclusive in that category today or from its start."""
        held = self.term.exclusivity_category
        if self.status not in (RightStatus.GRANTED, RightStatus.AWAITING_START) or not held \
                or held.casefold() != category.casefold():
            return False
        ends = self.exclusive_until()
        return ends is None or ends >= today

    def extendable_for(self, deliverable_key: str) -> bool:
        """A make-good's extra time applies to the rights of that deliverable that run
        for a time and were not revoked."""
        return self.covers(deliverable_key) and self.term.duration_days is not None and \
            self.status is not RightStatus.REVOKED

    def last_day(self, as_of: date) -> date | None:
        """The last day of use, with the extensions in effect on `as_of`; None: perpetual
        (or not started)."""
        return last_day(self.term.duration_days, self.starts_on,
                        sum(e.days for e in self.extensions if e.on <= as_of))

    def verdict(self, channel: Channel, territory: str, on: date) -> Verdict:
        key = self.term.key
        if channel not in self.term.channels:
            return Verdict(False, key, f"not granted for {channel.value}")
        if WORLDWIDE not in self.term.territories and territory not in self.term.territories:
            return Verdict(False, key, f"not granted in {territory}")
        if self.starts_on is None or on < self.starts_on:
            # A publication after that day was not known on it: say what was known.
            known = "publication" if RightStart(self.term.starts) is \
                RightStart.ON_PUBLICATION else str(self.starts_on)
            return Verdict(False, key, f"not yet started (starts on {known})")
        if self.revoked is not None and on >= self.revoked[0]:
            return Verdict(False, key, f"revoked on {self.revoked[0]}: {self.revoked[1]}")
        last = self.last_day(on)
        if last is not None and on > last:
            return Verdict(False, key, f"expired on {last + timedelta(days=1)}")
        return Verdict(True, key, f"granted by right {key}", last)

    # Applying events.

    @event(Started)
    def _started(self, actor: str, reason: str | None, on: date, cause: str) -> None:
        self.starts_on, self.status = on, RightStatus.GRANTED

    @event(Extended)
    def _extended(self, actor: str, reason: str | None, extension: Extension) -> None:
        self.extensions = (*self.extensions, extension)
        if self.status is RightStatus.EXPIRED and extension.days > 0:
            self.status = RightStatus.GRANTED  # extended after it ran out: usable again

    @event(Revoked)
    def _revoked(self, actor: str, reason: str | None, on: date) -> None:
        self.status, self.revoked = RightStatus.REVOKED, (on, reason or "")

    @event(Expired)
    def _expired(self, actor: str, reason: str | None, on: date) -> None:
        self.status = RightStatus.EXPIRED


def first_day(term: UsageRightTerm, granted_on: date) -> date | None:
    """None: it starts on a publication that has not happened yet."""
    return {RightStart.ON_SIGNATURE: granted_on,
            RightStart.FIXED_DATE: term.start_date}.get(RightStart(term.starts))


def last_day(duration_days: int | None, starts_on: date | None, extended_days: int
             ) -> date | None:
    """None: perpetual, or not started."""
    if duration_days is None or starts_on is None:
        return None
    return starts_on + timedelta(days=duration_days + extended_days - 1)


def answer(rights: list[UsageRight], deliverable_key: str, channel: Channel, territory: str,
           on: date) -> Verdict:
    """May the brand use the deliverable there, then? The first right that allows it,
    or the reason given by the right that came closest."""
    verdicts = [r.verdict(channel, territory, on) for r in rights if r.covers(deliverable_key)]
    if not verdicts:
        return Verdict(False, "", "no usage right covers this deliverable")
    return max(verdicts, key=closeness)


def closeness(verdict: Verdict) -> int:
    """Allowed beats everything; a right for the channel and territory that was not in
    force that day says more than one for another channel or territory."""
    if verdict.allowed:
        return 3
    if verdict.why.startswith("not granted for"):
        return 0
    return 1 if verdict.why.startswith("not granted in") else 2


def days_added(earlier: UsageRightTerm | None, term: UsageRightTerm) -> int:
    """The days a signed amendment adds to a right that runs for a time: none for a
    right it brings in, one that was perpetual, or one it does not lengthen."""
    if earlier is None or earlier.duration_days is None:
        return 0
    return max(0, (term.duration_days or 0) - earlier.duration_days)


class CreatorRights(Aggregate):
    """The usage rights granted on one creator's content, whichever contract granted
    them: what a draft's exclusivity is checked against, without a read model."""

    class Event(AttributedEvent):
        pass

    class Opened(Event, Aggregate.Created):
        brand_id: str
        creator_id: str

    class RightAdded(Event):
        right_id: str

    @event(Opened)
    def __init__(self, actor: str, reason: str | None, brand_id: str, creator_id: str) -> None:
        self.brand_id, self.creator_id = brand_id, creator_id
        self.right_ids: tuple[str, ...] = ()

    @classmethod
    def open(cls, *, actor: str, brand_id: str, creator_id: str, id: Any) -> "CreatorRights":
        return cls._create(cls.Opened, id=id, actor=actor, reason=None, brand_id=brand_id,
                           creator_id=creator_id)

    def add(self, actor: str, right_id: str) -> bool:
        if right_id in self.right_ids:
            return False
        self._right_added(actor=actor, reason=None, right_id=right_id)
        return True

    @event(RightAdded)
    def _right_added(self, actor: str, reason: str | None, right_id: str) -> None:
        self.right_ids = (*self.right_ids, right_id)
