"""AttributedOrder: one shop order a distributor brought in, recorded once (its id is
derived from the program and the shop's order id), with the commission lines it
earned at the rules of its time; a refund or a cancellation of some or all of its
lines takes back exactly what those lines accrued."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.attributed import AttributedEvent, checked_reason
from domain.commission import CommissionLine, Order, reversal
from domain.errors import InvalidTransition, InvalidValue


class ReversalKind(StrEnum):
    REFUND = "refund"
    CANCELLATION = "cancellation"


class AttributedOrder(Aggregate):
    class Event(AttributedEvent):
        pass

    class Recorded(Event, Aggregate.Created):
        brand_id: str
        program_id: str
        distributor_id: str
        order: Order
        lines: tuple[CommissionLine, ...]
        rules_version: int
        recorded_at: datetime | None = None  # when it was booked (the statements' month)

    class Reversed(Event):
        kind: ReversalKind
        order_lines: tuple[int, ...]
        lines: tuple[CommissionLine, ...]
        at: datetime | None = None  # when it was booked

    @event(Recorded)
    def __init__(self, actor: str, reason: str | None, brand_id: str, program_id: str,
                 distributor_id: str, order: Order, lines: tuple[CommissionLine, ...],
                 rules_version: int, recorded_at: datetime | None = None) -> None:
        self.brand_id, self.program_id, self.distributor_id = brand_id, program_id, distributor_id
        self.order, self.lines, self.rules_version = order, tuple(lines), rules_version
        self.reversed_lines: tuple[int, ...] = ()
        self.reversals: tuple[CommissionLine, ...] = ()

    @classmethod
    def record(cls, *, actor: str, brand_id: str, program_id: str, distributor_id: str,
               order: Order, lines: tuple[CommissionLine, ...], rules_version: int,
               id: Any, recorded_at: datetime | None = None) -> "AttributedOrder":
        return cls._create(cls.Recorded, id=id, actor=actor, reason=None, brand_id=brand_id,
                           program_id=program_id, distributor_id=distributor_id, order=order,
                           lines=lines, rules_version=rules_version, recorded_at=recorded_at)

    @property
    def fully_reversed(self) -> bool:
        return len(self.reversed_lines) == len(self.order.lines)

    def reverse(self, actor: str, kind: ReversalKind, order_lines: tuple[int, ...] | None,
                reason: str | None = None, at: datetime | None = None) -> bool:
        """Those order lines (all, if none are named) refunded or cancelled; False if
        every one of them was reversed before (a refund sent twice takes nothing twice)."""
        numbers = range(1, len(self.order.lines) + 1)
        wanted = tuple(numbers) if order_lines is None else tuple(dict.fromkeys(order_lines))
        unknown = [n for n in wanted if n not in numbers]
        if unknown:
            raise InvalidValue({"lines": f"the order has no line {unknown[0]} (it has "
                                         f"{len(self.order.lines)})"})
        new = tuple(n for n in wanted if n not in self.reversed_lines)
        if not new:
            return False
        if kind is ReversalKind.CANCELLATION and self.reversed_lines:
            raise InvalidTransition("Cannot cancel the order: part of it was refunded "
                                    "already; refund the rest.")
        self._reversed(actor=actor, reason=checked_reason(reason), kind=kind,
                       order_lines=new, lines=reversal(self.lines, set(new)), at=at)
        return True

    @event(Reversed)
    def _reversed(self, actor: str, reason: str | None, kind: ReversalKind,
                  order_lines: tuple[int, ...], lines: tuple[CommissionLine, ...],
                  at: datetime | None = None) -> None:
        self.reversed_lines = (*self.reversed_lines, *order_lines)  # stored, they are lists
        self.reversals = (*self.reversals, *lines)
