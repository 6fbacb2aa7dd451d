"""Statement: what a distributor earned in a month, issued once when the month is over
(its id is derived from the distributor and the month) and kept as it was stated. A
refund recorded later counts in the month it is recorded in, so a closed month's
statement never changes; paying it is the payout rails' work."""

from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.attributed import AttributedEvent


class Statement(Aggregate):
    class Event(AttributedEvent):
        pass

    class Issued(Event, Aggregate.Created):
        brand_id: str
        program_id: str
        distributor_id: str
        month: str  # YYYY-MM
        currency: str
        sales: int  # as the seller, net of the month's refunds (minor units)
        earned: int  # commission, both levels
        taken_back: int  # by the month's refunds (negative)
        reward_money: int  # red envelopes granted in the month
        payable: int  # nothing for a disqualified distributor (forfeited)

    @event(Issued)
    def __init__(self, actor: str, reason: str | None, brand_id: str, program_id: str,
                 distributor_id: str, month: str, currency: str, sales: int, earned: int,
                 taken_back: int, reward_money: int, payable: int) -> None:
        self.brand_id, self.program_id = brand_id, program_id
        self.distributor_id, self.month, self.currency = distributor_id, month, currency
        self.sales, self.earned, self.taken_back = sales, earned, taken_back
        self.reward_money, self.payable = reward_money, payable

    @classmethod
    def issue(cls, *, actor: str, id: Any, **figures: Any) -> "Statement":
        return cls._create(cls.Issued, id=id, actor=actor, reason=None, **figures)
