"""A payout's statuses and its state machine: where each event leaves the status, and
what a hold keeps for its release. The Payout aggregate applies it; the payouts
ledger projection reuses it rather than re-deriving the rules."""

from dataclasses import dataclass
from enum import StrEnum


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
NOT_PAID = (*BEFORE_SUBMISSION, P.SUBMITTED, P.HELD)
APPROVALS_GIVEN = (P.RELEASE_REQUESTED, P.APPROVED, P.FAILED)  # void once the amount changes
SETTLED = (P.PAID, P.WAIVED, P.REVERSED)  # a contract may complete with these


@dataclass(frozen=True)
class Standing:
    status: PayoutStatus
    held_from: PayoutStatus | None = None  # while held: the status its release returns to

    def became_due(self) -> "Standing":
        if self.status is P.HELD:
            return Standing(P.HELD, P.DUE)  # due while held: released, it is due
        return Standing(P.DUE, self.held_from)

    def release_requested(self) -> "Standing":
        return Standing(P.RELEASE_REQUESTED, self.held_from)

    def approved(self, enough: bool) -> "Standing":
        return Standing(P.APPROVED, self.held_from) if enough else self

    def submitted(self) -> "Standing":
        return Standing(P.SUBMITTED, self.held_from)

    def paid(self) -> "Standing":
        return Standing(P.PAID)  # a hold on a payout in flight ends with its payment

    def failed(self) -> "Standing":
        if self.status is P.HELD:
            return Standing(P.HELD, P.FAILED)  # stays held; failed once released
        return Standing(P.FAILED, self.held_from)

    def retry_allowed(self) -> "Standing":
        return Standing(P.APPROVED, self.held_from)

    def held(self) -> "Standing":
        return Standing(P.HELD, self.status)

    def released(self) -> "Standing":
        return Standing(self.held_from or P.DUE)

    def waived(self) -> "Standing":
        return Standing(P.WAIVED, self.held_from)

    def adjusted(self) -> "Standing":
        """Approvals were given for the old amount: the payout is due again."""
        return Standing(P.DUE if self.status in APPROVALS_GIVEN else self.status,
                        P.DUE if self.held_from in APPROVALS_GIVEN else self.held_from)

    def reversed(self) -> "Standing":
        return Standing(P.REVERSED, self.held_from)
