"""Payout: one milestone payment owed to a creator under a signed contract.

scheduled -> due -> release_requested -> approved -> submitted -> paid, or
failed (retry), held (with a reason, from any state before payment) and
released again, waived (reason), reversed (after payment, in one or more parts).
The amount may be adjusted before submission, with a reason and its cause; any
adjustment voids the approvals, since they were given for another amount.

A cut that lands while money is on its way (a make-good remedy, an amendment) is
never dropped: it waits for the attempt's outcome and is taken off the amount if
the attempt fails, or becomes an amount the creator owes back if it was paid,
to be offset against another milestone or refunded.

Maker-checker: the user who requests a release may not approve it, and each
approval must come from a different user. Every submission is an attempt with
its own number; the payment rail is asked to act at most once per attempt.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.attributed import AttributedEvent, checked_reason, required_reason
from domain.bonus import BonusCalculation
from domain.errors import HasStatus, InvalidValue, NotPermitted
from domain.money import Money
from domain.obligations import Milestone
from domain.payout_status import (
    BEFORE_SUBMISSION,
    NOT_PAID,
    SETTLED,
    P,
    PayoutStatus,
    Standing,
)

MAX_REFERENCE_LENGTH = 200


class Rail(StrEnum):
    """How the money travels: Stripe Connect, or an offline rail finance records by hand."""

    STRIPE = "stripe"
    BANK_WIRE = "bank_wire"
    WECHAT_PAY = "wechat_pay"
    ALIPAY = "alipay"
    PLATFORM_ORDER = "platform_order"  # e.g. a Xingtu order paid through the platform


@dataclass(frozen=True)
class Attempt:
    number: int
    rail: Rail
    idempotency_key: str  # sent with the transfer: a repeat of this attempt cannot pay twice


def idempotency_key(payout_id: str, attempt: int) -> str:
    return f"kolpact-payout-{payout_id}-attempt-{attempt}"


class Payout(Aggregate, HasStatus):
    class Event(AttributedEvent):
        pass

    class Scheduled(Event, Aggregate.Created):
        brand_id: str
        contract_id: str
        creator_id: str
        milestone: Milestone
        amount: Money
        campaign: str | None = None
        bonus: bool = False  # the milestone's performance bonus: calculated, then paid

    class BecameDue(Event):
        cause: str

    class ReleaseRequested(Event):
        rail: Rail
        approvals_needed: int

    class Approved(Event):
        pass

    class Submitted(Event):
        attempt: Attempt

    class Paid(Event):
        reference: str  # the Stripe transfer id, or the offline rail's reference
        proof: str | None = None

    class Failed(Event):
        attempt: int
        code: str
        message: str

    class RetryAllowed(Event):
        pass

    class Held(Event):
        pass

    class HoldReleased(Event):
        pass

    class Waived(Event):
        pass

    class Adjusted(Event):
        amount: Money
        cause: str  # what led to it, e.g. a make-good rule's breach
        calculation: BonusCalculation | None = None  # a bonus's amount, worked out

    class Reversed(Event):
        amount: Money  # this reversal's own amount (one of possibly several)
        reference: str

    class AdjustmentDeferred(Event):
        cut: int  # minor units to take off if the attempt in flight fails (< 0 gives back)
        cause: str

    class OverpaymentRecorded(Event):
        amount: Money  # paid too much by this: the creator owes it back (< 0: less owed)
        cause: str

    class OverpaymentOffset(Event):
        amount: Money
        against: str  # the payout whose amount it was taken off

    class MismatchFound(Event):
        kind: str  # paid_twice, unrecorded_transfer, missing_transfer, amount_differs, ...
        transfer_id: str | None
        detail: str

    class OverpaymentRefunded(Event):
        amount: Money
        reference: str  # how the creator paid it back

    @event(Scheduled)
    def __init__(self, actor: str, reason: str | None, brand_id: str, contract_id: str,
                 creator_id: str, milestone: Milestone, amount: Money,
                 campaign: str | None = None, bonus: bool = False) -> None:
        self.brand_id, self.contract_id, self.creator_id = brand_id, contract_id, creator_id
        self.milestone, self.amount, self.campaign = milestone, amount, campaign
        self.is_bonus = bonus
        self.calculation: BonusCalculation | None = None
        self.status = P.SCHEDULED
        self.due_cause: str | None = None
        self.rail: Rail | None = None
        self.requested_by: str | None = None
        self.approvals_needed = 1
        self.approved_by: tuple[str, ...] = ()
        self.attempts: tuple[Attempt, ...] = ()
        self.reference: str | None = None
        self.held_from: PayoutStatus | None = None
        self.hold_reason: str | None = None
        self.failure: tuple[str, str] | None = None  # (code, message) of the last attempt
        self.reversed_amount: Money | None = None
        self.reversals: tuple[str, ...] = ()  # the rail's reference of each reversal
        self.adjustments: tuple[tuple[str, int], ...] = ()  # (cause, change in minor units)
        self.deferred: tuple[tuple[str, int], ...] = ()  # (cause, cut) awaiting the outcome
        self.overpaid: tuple[tuple[str, int], ...] = ()  # (cause, minor units owed back)
        self.owed_back = 0  # overpaid, not yet offset or refunded (< 0: underpaid)
        self.mismatches: tuple[tuple[str, str | None, str], ...] = ()  # found reconciling

    @classmethod
    def schedule(cls, *, actor: str, brand_id: str, contract_id: str, creator_id: str,
                 milestone: Milestone, currency: str, campaign: str | None = None,
                 bonus: bool = False, id: Any = None) -> "Payout":
        """The milestone's payment, or (bonus=True) its performance bonus: nothing until
        the bonus is calculated."""
        amount = Money(0 if bonus else milestone.amount, currency)
        return cls._create(cls.Scheduled, id=id, actor=actor, reason=None, brand_id=brand_id,
                           contract_id=contract_id, creator_id=creator_id, milestone=milestone,
                           amount=amount, campaign=campaign, bonus=bonus)

    # The milestone's trigger fired.

    def fall_due(self, actor: str, cause: str) -> bool:
        """Returns False if it was due already (triggers may fire more than once), or if
        this is a bonus not calculated yet: a bonus falls due when calculated."""
        if self.is_bonus and self.calculation is None:
            return False
        if self.status is not P.SCHEDULED and not (
                self.status is P.HELD and self.held_from is P.SCHEDULED):
            return False
        self._became_due(actor=actor, reason=None, cause=cause)
        return True

    def settle_bonus(self, actor: str, calculation: BonusCalculation) -> bool:
        """The bonus's window closed: its amount is what the calculation says; due if
        anything was earned, waived if not. False if settled already (or waived)."""
        if not self.is_bonus or self.calculation is not None or \
                self.status not in (P.SCHEDULED, P.HELD):
            return False
        self._adjusted(actor=actor, reason=calculation.summary(),
                       amount=Money(calculation.amount, self.amount.currency),
                       cause=f"performance bonus of milestone {self.milestone.key}",
                       calculation=calculation)
        if calculation.amount:
            self.fall_due(actor, "performance bonus calculated")
        else:
            self._waived(actor=actor, reason="No performance bonus was earned.")
        return True

    # Maker-checker.

    def request_release(self, actor: str, rail: Rail, approvals_needed: int,
                        reason: str | None = None) -> None:
        self._require(self.status is P.DUE, "request its release",
                      "only a due payout is released")
        self._release_requested(actor=actor, reason=checked_reason(reason), rail=rail,
                                approvals_needed=max(1, approvals_needed))

    def approve(self, actor: str, reason: str | None = None) -> None:
        self._require(self.status is P.RELEASE_REQUESTED, "approve it",
                      "only a requested release is approved")
        if actor == self.requested_by:
            raise NotPermitted("You requested this release; a different finance user must "
                               "approve it (maker-checker).")
        if actor in self.approved_by:
            raise NotPermitted("You approved this release already; it needs another "
                               "finance user's approval.")
        self._approved(actor=actor, reason=checked_reason(reason))

    # Paying.

    def submit(self, actor: str) -> Attempt:
        """Records the intent to pay before the rail is asked, so that a crash in between
        leaves a trace the processor resumes from (with the same idempotency key)."""
        self._require(self.status is P.APPROVED, "submit it", "only an approved payout is paid")
        number = len(self.attempts) + 1
        attempt = Attempt(number, self.rail or Rail.STRIPE, idempotency_key(str(self.id), number))
        self._submitted(actor=actor, reason=None, attempt=attempt)
        return attempt

    @property
    def current_attempt(self) -> Attempt | None:
        return self.attempts[-1] if self.status is P.SUBMITTED else None

    def record_payment(self, actor: str, reference: str, proof: str | None = None) -> None:
        """The rail confirmed the money left: a Stripe transfer, or an offline payment
        that finance records with its reference (and proof) after approval. Cuts that
        waited for the outcome become amounts owed back."""
        offline = self.rail not in (None, Rail.STRIPE)
        self._require(self.money_may_be_on_its_way or (offline and self.status is P.APPROVED),
                      "record a payment", "it was not submitted or approved for an offline "
                                          "rail")
        if offline and not (proof or "").strip():
            raise InvalidValue({"proof": "is required for an offline payment (a receipt, a "
                                         "screenshot's location, a bank confirmation)"})
        deferred = _net(self.deferred)
        self._paid(actor=actor, reason=None, reference=_checked_reference(reference),
                   proof=checked_reason(proof))
        self._owe_back(actor, deferred)

    def record_found_transfer(self, actor: str, reference: str, amount: Money,
                              attempt: int | None,
                              how: str = "its answer had been lost") -> None:
        """Stripe holds a transfer for this payout that kolpact had not recorded (its
        answer was lost): it is paid, whatever state the payout was left in. Anything
        the transfer paid beyond the amount now owed is owed back."""
        self._require(self.rail in (None, Rail.STRIPE) and self.status in NOT_PAID,
                      "record a transfer Stripe made", "it is paid already or not paid "
                                                       "through Stripe")
        deferred = _net(self.deferred)
        self._paid(actor=actor, reason=f"Stripe holds transfer {reference} (attempt "
                                       f"{attempt or 'unknown'}); {how}.",
                   reference=_checked_reference(reference), proof=None)
        self._owe_back(actor, deferred)
        extra = amount.amount - self.amount.amount
        if extra > 0 and amount.currency == self.amount.currency:
            self._overpayment_recorded(actor=actor, reason="The transfer was for more than "
                                       "the payout's amount.", amount=Money(extra, amount.currency),
                                       cause=f"transfer {reference}")

    def record_failure(self, actor: str, attempt: int, code: str, message: str) -> None:
        """The rail refused the attempt: nothing was paid. Cuts that waited for the
        outcome are taken off now (which voids the approvals)."""
        self._require(self.money_may_be_on_its_way and self.attempts[-1].number == attempt,
                      "record a failure", "that attempt is not the one in progress")
        deferred = _net(self.deferred)
        self._failed(actor=actor, reason=None, attempt=attempt, code=code[:200],
                     message=message[:2000])
        for cause, cut in deferred:
            self._adjusted(actor=actor, reason="Deferred while the attempt was in flight.",
                           amount=Money(max(0, self.amount.amount - cut), self.amount.currency),
                           cause=cause)

    def allow_retry(self, actor: str, reason: str | None) -> None:
        self._require(self.status is P.FAILED, "retry it", "only a failed payout is retried")
        self._retry_allowed(actor=actor, reason=required_reason(reason, "retry a payout"))

    @property
    def money_may_be_on_its_way(self) -> bool:
        return self.status is P.SUBMITTED or (self.status is P.HELD and
                                              self.held_from is P.SUBMITTED)

    # Exceptions.

    def hold(self, actor: str, reason: str | None) -> None:
        """Any payout not yet paid: a submitted one's attempt is then not repeated until
        the hold is released (though a transfer Stripe already made is still recorded)."""
        reason = required_reason(reason, "hold a payout")
        self._require(self.status in (*BEFORE_SUBMISSION, P.SUBMITTED), "hold it",
                      "only a payout not yet paid is held")
        self._held(actor=actor, reason=reason)

    def release_hold(self, actor: str, reason: str | None) -> None:
        reason = required_reason(reason, "release a hold")
        self._require(self.status is P.HELD, "release a hold", "it is not held")
        self._hold_released(actor=actor, reason=reason)

    def waive(self, actor: str, reason: str | None) -> None:
        reason = required_reason(reason, "waive a payout")
        self._require(self._changeable, "waive it",
                      "money that may be on its way is reversed, not waived")
        self._waived(actor=actor, reason=reason)

    def milestone_removed(self, actor: str, reason: str) -> bool:
        """Its milestone left the terms (an amendment): waived, unless money may be on its
        way or a bonus was calculated, which stay as they are. True if it was waived."""
        if not self._changeable or self.calculation is not None:
            return False
        self.waive(actor, reason)
        return True

    @property
    def is_settled(self) -> bool:
        return self.status in SETTLED

    def adjust(self, actor: str, amount: Money, reason: str | None, cause: str) -> None:
        reason = required_reason(reason, "adjust a payout")
        self._require(self._changeable, "adjust it",
                      "money that may be on its way is reversed, not adjusted")
        self._require(not self.is_bonus or self.calculation is not None, "adjust it",
                      "a performance bonus is calculated when its window closes; adjust it "
                      "after that")
        errors = amount.problems("amount")
        if amount.currency != self.amount.currency:
            errors["amount.currency"] = f"must stay {self.amount.currency}"
        if not cause.strip():
            errors["cause"] = "say what led to the adjustment"
        if errors:
            raise InvalidValue(errors)
        self._adjusted(actor=actor, reason=reason, amount=amount, cause=cause.strip())

    @property
    def _changeable(self) -> bool:
        return self.status in BEFORE_SUBMISSION or (
            self.status is P.HELD and self.held_from is not P.SUBMITTED)

    def take_off(self, actor: str, cut: int, reason: str, cause: str) -> str | None:
        """Takes `cut` minor units off what the creator is owed (a make-good remedy, an
        amendment), whatever the payout's state, and says how: "adjusted" before
        submission; "deferred" while an attempt is in flight (taken off if it fails);
        "owed_back" once paid. A negative cut gives back. None if nothing changed."""
        if not cut or self.status is P.WAIVED:
            return None
        if self._changeable:
            self.adjust(actor, Money(max(0, self.amount.amount - cut), self.amount.currency),
                        reason, cause)
            return "adjusted"
        if self.money_may_be_on_its_way:
            self._adjustment_deferred(actor=actor, reason=reason, cut=cut, cause=cause)
            return "deferred"
        kept = self.amount.amount - (self.reversed_amount.amount if self.reversed_amount
                                     else 0) - self.owed_back
        owed = min(cut, kept)  # a negative cut: the creator is owed more
        if not owed:
            return None
        self._overpayment_recorded(actor=actor, reason=reason,
                                   amount=Money(owed, self.amount.currency), cause=cause)
        return "owed_back"

    @property
    def net_amount(self) -> int:
        """What this milestone is worth once the cuts waiting for an attempt and the
        amounts owed back are counted (the amount itself for an open payout)."""
        return self.amount.amount - sum(cut for _, cut in (*self.deferred, *self.overpaid))

    def change_for(self, *causes: str) -> int:
        """What the given causes have changed, in minor units, wherever it went (the
        amount, a cut awaiting the attempt's outcome, an amount owed back)."""
        return sum(delta for c, delta in self.adjustments if c in causes) - \
            sum(cut for c, cut in (*self.deferred, *self.overpaid) if c in causes)

    def undo_adjustment(self, actor: str, cause: str, because: str, reason: str) -> bool:
        """Gives back what `cause` changed, when that cause was withdrawn (`because`, e.g.
        the make-good rule was waived). False if nothing was changed for it or it was
        undone already."""
        change = self.change_for(cause)
        if not change or self.change_for(because):
            return False
        return self.take_off(actor, change, reason, because) is not None

    def offset_against(self, actor: str, other: "Payout") -> int:
        """Settles what this payout overpaid (or, when negative, underpaid) through `other`,
        another open milestone of the same contract: taken off (or added to) its amount.
        Returns how much was settled (0 if nothing could be)."""
        if not self.owed_back or other.id == self.id or other.contract_id != \
                self.contract_id or other.amount.currency != self.amount.currency or \
                not other._changeable or other.is_bonus:
            return 0
        amount = min(self.owed_back, other.amount.amount)
        if not amount:
            return 0
        other.adjust(actor, Money(other.amount.amount - amount, other.amount.currency),
                     f"Settles {abs(amount)} {other.amount.currency} "
                     f"{'over' if amount > 0 else 'under'}paid on payout {self.id}.",
                     offset_cause(str(self.id)))
        self._overpayment_offset(actor=actor, reason=None,
                                 amount=Money(amount, self.amount.currency),
                                 against=str(other.id))
        return amount

    def record_refund(self, actor: str, amount: Money, reference: str) -> None:
        """The creator paid back (part of) what was overpaid."""
        if amount.currency != self.amount.currency or not 0 < amount.amount <= self.owed_back:
            raise InvalidValue({"amount": f"must be 1-{self.owed_back} {self.amount.currency}"
                                          " (what is owed back)"})
        self._overpayment_refunded(actor=actor, reason=None, amount=amount,
                                   reference=_checked_reference(reference))

    def reverse(self, actor: str, amount: Money, reference: str, reason: str | None) -> bool:
        """One reversal of (part of) the transfer; False if this reversal was recorded
        already (the rail reports each one at least once)."""
        if reference in self.reversals:
            return False
        self._require(self.status in (P.PAID, P.REVERSED), "reverse it",
                      "only a paid payout is reversed")
        left = self.amount.amount - (self.reversed_amount.amount if self.reversed_amount
                                     else 0)
        if amount.currency != self.amount.currency or not 0 < amount.amount <= left:
            raise InvalidValue({"amount": f"must be 1-{left} {self.amount.currency}"})
        self._reversed(actor=actor, reason=checked_reason(reason), amount=amount,
                       reference=_checked_reference(reference))
        return True

    def note_mismatch(self, actor: str, kind: str, transfer_id: str | None,
                      detail: str) -> bool:
        """What reconciliation found wrong between Stripe and this payout; False if that
        very mismatch was noted already (reconciliation runs again and again)."""
        if (kind, transfer_id, detail) in self.mismatches:
            return False
        self._mismatch_found(actor=actor, reason=None, kind=kind[:100],
                             transfer_id=transfer_id, detail=detail[:2000])
        return True

    def _owe_back(self, actor: str, deferred: list[tuple[str, int]]) -> None:
        for cause, cut in deferred:
            self._overpayment_recorded(actor=actor, reason="Deferred while the attempt was "
                                       "in flight, which paid the amount before it.",
                                       amount=Money(cut, self.amount.currency), cause=cause)

    # Applying events.

    @property
    def _standing(self) -> Standing:
        # Read back by value: a snapshot's decoder may hand the statuses back as another
        # enum of the same values.
        return Standing(PayoutStatus(self.status.value),
                        None if self.held_from is None else PayoutStatus(self.held_from.value))

    def _move(self, to: Standing) -> None:
        self.status, self.held_from = to.status, to.held_from

    @event(BecameDue)
    def _became_due(self, actor: str, reason: str | None, cause: str) -> None:
        self.due_cause = cause
        self._move(self._standing.became_due())

    @event(ReleaseRequested)
    def _release_requested(self, actor: str, reason: str | None, rail: Rail,
                           approvals_needed: int) -> None:
        self._move(self._standing.release_requested())
        self.rail, self.requested_by = Rail(rail), actor
        self.approvals_needed, self.approved_by = approvals_needed, ()

    @event(Approved)
    def _approved(self, actor: str, reason: str | None) -> None:
        self.approved_by = (*self.approved_by, actor)
        self._move(self._standing.approved(len(self.approved_by) >= self.approvals_needed))

    @event(Submitted)
    def _submitted(self, actor: str, reason: str | None, attempt: Attempt) -> None:
        self._move(self._standing.submitted())
        self.attempts = (*self.attempts, attempt)

    @event(Paid)
    def _paid(self, actor: str, reason: str | None, reference: str,
              proof: str | None = None) -> None:
        self._move(self._standing.paid())
        self.reference, self.failure, self.hold_reason = reference, None, None
        self.deferred = ()  # they become amounts owed back

    @event(Failed)
    def _failed(self, actor: str, reason: str | None, attempt: int, code: str,
                message: str) -> None:
        self.failure = (code, message)
        self._move(self._standing.failed())
        self.deferred = ()  # they are taken off the amount

    @event(RetryAllowed)
    def _retry_allowed(self, actor: str, reason: str | None) -> None:
        self._move(self._standing.retry_allowed())

    @event(Held)
    def _held(self, actor: str, reason: str | None) -> None:
        self._move(self._standing.held())
        self.hold_reason = reason

    @event(HoldReleased)
    def _hold_released(self, actor: str, reason: str | None) -> None:
        self._move(self._standing.released())
        self.hold_reason = None

    @event(Waived)
    def _waived(self, actor: str, reason: str | None) -> None:
        self._move(self._standing.waived())

    @event(Adjusted)
    def _adjusted(self, actor: str, reason: str | None, amount: Money, cause: str,
                  calculation: BonusCalculation | None = None) -> None:
        self.adjustments = (*self.adjustments, (cause, amount.amount - self.amount.amount))
        self.amount = amount
        if calculation is not None:
            self.calculation = calculation
        self._move(self._standing.adjusted())
        self.approved_by, self.requested_by = (), None

    @event(Reversed)
    def _reversed(self, actor: str, reason: str | None, amount: Money, reference: str) -> None:
        earlier = self.reversed_amount.amount if self.reversed_amount else 0
        self._move(self._standing.reversed())
        self.reversed_amount = Money(earlier + amount.amount, amount.currency)
        self.reversals = (*self.reversals, reference)

    @event(AdjustmentDeferred)
    def _adjustment_deferred(self, actor: str, reason: str | None, cut: int,
                             cause: str) -> None:
        self.deferred = (*self.deferred, (cause, cut))

    @event(OverpaymentRecorded)
    def _overpayment_recorded(self, actor: str, reason: str | None, amount: Money,
                              cause: str) -> None:
        self.overpaid = (*self.overpaid, (cause, amount.amount))
        self.owed_back += amount.amount

    @event(OverpaymentOffset)
    def _overpayment_offset(self, actor: str, reason: str | None, amount: Money,
                            against: str) -> None:
        self.owed_back -= amount.amount

    @event(MismatchFound)
    def _mismatch_found(self, actor: str, reason: str | None, kind: str,
                        transfer_id: str | None, detail: str) -> None:
        self.mismatches = (*self.mismatches, (kind, transfer_id, detail))

    @event(OverpaymentRefunded)
    def _overpayment_refunded(self, actor: str, reason: str | None, amount: Money,
                              reference: str) -> None:
        self.owed_back -= amount.amount


def offset_cause(payout_id: str) -> str:
    return f"overpayment on payout {payout_id} offset"


def _net(entries: tuple[tuple[str, int], ...]) -> list[tuple[str, int]]:
    """Each cause's total, in the order causes first appear; causes that cancel out go."""
    totals: dict[str, int] = {}
    for cause, value in entries:
        totals[cause] = totals.get(cause, 0) + value
    return [(cause, total) for cause, total in totals.items() if total]


def _checked_reference(reference: str) -> str:
    reference = reference.strip()
    if not reference or len(reference) > MAX_REFERENCE_LENGTH:
        raise InvalidValue({"reference": f"must be 1-{MAX_REFERENCE_LENGTH} characters"})
    return reference
