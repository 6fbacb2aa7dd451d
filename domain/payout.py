"""Payout: one milestone payment owed to a creator under a signed contract.

scheduled -> due -> release_requested -> approved -> submitted -> paid, or
failed (retry), held (with a reason, from any state before submission) and
released again, waived (reason), reversed (after payment). The amount may be
adjusted before submission, with a reason and its cause; an adjustment after
approval voids the approvals, since they were given for another amount.

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

MAX_REFERENCE_LENGTH = 200


class PayoutStatus(StrEnum):
    SCHEDULED = "scheduled"
    DUE = "due"
    RELEASE_REQUESTED = "release_requested"
    APPROVED = "approved"
    SUBMITTED = "submitted"
    PAID = "paid"
    FAILED = "failed"
    HELD = "held"
    WAIVED = "waived"
    REVERSED = "reversed"


P = PayoutStatus
BEFORE_SUBMISSION = (P.SCHEDULED, P.DUE, P.RELEASE_REQUESTED, P.APPROVED, P.FAILED)


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
        amount: Money
        reference: str

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
        self.adjustments: tuple[tuple[str, int], ...] = ()  # (cause, change in minor units)

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
        that finance records with its reference (and proof) after approval."""
        offline = self.rail not in (None, Rail.STRIPE)
        self._require(self.status is P.SUBMITTED or (offline and self.status is P.APPROVED),
                      "record a payment", "it was not submitted or approved for an offline "
                                          "rail")
        reference = reference.strip()
        if not reference or len(reference) > MAX_REFERENCE_LENGTH:
            raise InvalidValue({"reference": f"must be 1-{MAX_REFERENCE_LENGTH} characters"})
        if offline and not (proof or "").strip():
            raise InvalidValue({"proof": "is required for an offline payment (a receipt, a "
                                         "screenshot's location, a bank confirmation)"})
        self._paid(actor=actor, reason=None, reference=reference, proof=checked_reason(proof))

    def record_failure(self, actor: str, attempt: int, code: str, message: str) -> None:
        self._require(self.status is P.SUBMITTED and self.attempts[-1].number == attempt,
                      "record a failure", "that attempt is not the one in progress")
        self._failed(actor=actor, reason=None, attempt=attempt, code=code[:200],
                     message=message[:2000])

    def allow_retry(self, actor: str, reason: str | None) -> None:
        self._require(self.status is P.FAILED, "retry it", "only a failed payout is retried")
        self._retry_allowed(actor=actor, reason=required_reason(reason, "retry a payout"))

    # Exceptions.

    def hold(self, actor: str, reason: str | None) -> None:
        reason = required_reason(reason, "hold a payout")
        self._require(self.status in BEFORE_SUBMISSION, "hold it",
                      "only a payout not yet submitted is held")
        self._held(actor=actor, reason=reason)

    def release_hold(self, actor: str, reason: str | None) -> None:
        reason = required_reason(reason, "release a hold")
        self._require(self.status is P.HELD, "release a hold", "it is not held")
        self._hold_released(actor=actor, reason=reason)

    def waive(self, actor: str, reason: str | None) -> None:
        reason = required_reason(reason, "waive a payout")
        self._require(self.status in (*BEFORE_SUBMISSION, P.HELD), "waive it",
                      "money already on its way is reversed, not waived")
        self._waived(actor=actor, reason=reason)

    def adjust(self, actor: str, amount: Money, reason: str | None, cause: str) -> None:
        reason = required_reason(reason, "adjust a payout")
        self._require(self.status in (*BEFORE_SUBMISSION, P.HELD), "adjust it",
                      "money already on its way is reversed, not adjusted")
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

    def undo_adjustment(self, actor: str, cause: str, because: str, reason: str) -> bool:
        """Gives back what the adjustments for `cause` changed, when that cause was
        withdrawn (`because`, e.g. the make-good rule was waived). False if nothing was
        changed for it, it was undone already, or the money is on its way."""
        change = sum(delta for c, delta in self.adjustments if c == cause)
        if not change or any(c == because for c, _ in self.adjustments) or \
                self.status not in (*BEFORE_SUBMISSION, P.HELD):
            return False
        self.adjust(actor, Money(self.amount.amount - change, self.amount.currency), reason,
                    because)
        return True

    def reverse(self, actor: str, amount: Money, reference: str, reason: str | None) -> None:
        self._require(self.status is P.PAID, "reverse it", "only a paid payout is reversed")
        if amount.currency != self.amount.currency or not 0 < amount.amount <= \
                self.amount.amount:
            raise InvalidValue({"amount": f"must be 1-{self.amount.amount} "
                                          f"{self.amount.currency}"})
        self._reversed(actor=actor, reason=checked_reason(reason), amount=amount,
                       reference=reference)

    # Applying events.

    @event(BecameDue)
    def _became_due(self, actor: str, reason: str | None, cause: str) -> None:
        self.due_cause = cause
        if self.status is P.HELD:
            self.held_from = P.DUE  # due while held: released, it is due
        else:
            self.status = P.DUE

    @event(ReleaseRequested)
    def _release_requested(self, actor: str, reason: str | None, rail: Rail,
                           approvals_needed: int) -> None:
        self.status, self.rail, self.requested_by = P.RELEASE_REQUESTED, Rail(rail), actor
        self.approvals_needed, self.approved_by = approvals_needed, ()

    @event(Approved)
    def _approved(self, actor: str, reason: str | None) -> None:
        self.approved_by = (*self.approved_by, actor)
        if len(self.approved_by) >= self.approvals_needed:
            self.status = P.APPROVED

    @event(Submitted)
    def _submitted(self, actor: str, reason: str | None, attempt: Attempt) -> None:
        self.status, self.attempts = P.SUBMITTED, (*self.attempts, attempt)

    @event(Paid)
    def _paid(self, actor: str, reason: str | None, reference: str,
              proof: str | None = None) -> None:
        self.status, self.reference, self.failure = P.PAID, reference, None

    @event(Failed)
    def _failed(self, actor: str, reason: str | None, attempt: int, code: str,
                message: str) -> None:
        self.status, self.failure = P.FAILED, (code, message)

    @event(RetryAllowed)
    def _retry_allowed(self, actor: str, reason: str | None) -> None:
        self.status = P.APPROVED

    @event(Held)
    def _held(self, actor: str, reason: str | None) -> None:
        self.held_from, self.hold_reason = PayoutStatus(self.status.value), reason
        self.status = P.HELD

    @event(HoldReleased)
    def _hold_released(self, actor: str, reason: str | None) -> None:
        self.status, self.held_from, self.hold_reason = self.held_from or P.DUE, None, None

    @event(Waived)
    def _waived(self, actor: str, reason: str | None) -> None:
        self.status = P.WAIVED

    @event(Adjusted)
    def _adjusted(self, actor: str, reason: str | None, amount: Money, cause: str,
                  calculation: BonusCalculation | None = None) -> None:
        self.adjustments = (*self.adjustments, (cause, amount.amount - self.amount.amount))
        self.amount = amount
        if calculation is not None:
            self.calculation = calculation
        if self.status in (P.RELEASE_REQUESTED, P.APPROVED):
            self.status, self.approved_by = P.DUE, ()  # approvals were for the old amount
        if self.held_from in (P.RELEASE_REQUESTED, P.APPROVED):
            self.held_from = P.DUE

    @event(Reversed)
    def _reversed(self, actor: str, reason: str | None, amount: Money, reference: str) -> None:
        self.status, self.reversed_amount = P.REVERSED, amount
