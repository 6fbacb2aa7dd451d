"""MakeGoodRule: the remedy agreed for content that misses its target.

armed -> (window opens at publication) -> evaluated: met | breached ->
remedy_applied, or waived by legal (reason). The evaluation uses the metric
snapshots measured within the window and records the figures it used; a rule
is evaluated once and its remedy applied at most once.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.attributed import AttributedEvent, required_reason
from domain.errors import HasStatus
from domain.metrics import MetricSnapshot
from domain.money import Money
from domain.obligations import MakeGoodTerm, Remedy


class RuleStatus(StrEnum):
    ARMED = "armed"  # waiting for publication, then for the window to close
    MET = "met"
    BREACHED = "breached"
    REMEDY_APPLIED = "remedy_applied"
    WAIVED = "waived"


@dataclass(frozen=True)
class Figures:
    """What an evaluation used: the best figure inside the window, and where it came from."""

    value: int
    threshold: int
    measured_at: datetime | None  # None: no snapshot inside the window
    source: str | None
    snapshots: int  # how many snapshots of the metric fell inside the window


class MakeGoodRule(Aggregate, HasStatus):
    class Event(AttributedEvent):
        pass

    class Armed(Event, Aggregate.Created):
        brand_id: str
        contract_id: str
        creator_id: str
        term: MakeGoodTerm

    class WindowOpened(Event):
        published_at: datetime

    class Evaluated(Event):
        met: bool
        figures: Figures

    class RemedyApplied(Event):
        detail: str  # what was done, e.g. "payout signing adjusted to 40000 CNY"

    class Waived(Event):
        pass

    @event(Armed)
    def __init__(self, actor: str, reason: str | None, brand_id: str, contract_id: str,
                 creator_id: str, term: MakeGoodTerm) -> None:
        self.brand_id, self.contract_id, self.creator_id = brand_id, contract_id, creator_id
        self.term, self.status = term, RuleStatus.ARMED
        self.published_at: datetime | None = None
        self.figures: Figures | None = None
        self.remedy_detail: str | None = None

    @classmethod
    def arm(cls, *, actor: str, brand_id: str, contract_id: str, creator_id: str,
            term: MakeGoodTerm, id: Any = None) -> "MakeGoodRule":
        return cls._create(cls.Armed, id=id, actor=actor, reason=None, brand_id=brand_id,
                           contract_id=contract_id, creator_id=creator_id, term=term)

    def open_window(self, actor: str, published_at: datetime) -> bool:
        """The window runs from the first publication; False if it is open already."""
        if self.published_at is not None or self.status is not RuleStatus.ARMED:
            return False
        self._window_opened(actor=actor, reason=None, published_at=published_at)
        return True

    @property
    def window_closes(self) -> datetime | None:
        if self.published_at is None:
            return None
        return window_closes(self.published_at, self.term.window_days)

    def evaluate(self, actor: str, snapshots: list[MetricSnapshot], now: datetime) -> bool:
        """Met or breached, from the snapshots measured inside the window; False while the
        window is still open (or was never opened), or once evaluated."""
        closes = self.window_closes
        if self.status is not RuleStatus.ARMED or closes is None or now < closes:
            return False
        metric = self.term.metric.value
        inside = [s for s in snapshots if metric in s.counts and self.published_at is not None
                  and self.published_at <= s.measured_at <= closes]
        best = max(inside, key=lambda s: (s.counts[metric], s.measured_at), default=None)
        figures = Figures(best.counts[metric] if best else 0, self.term.threshold,
                          best.measured_at if best else None, best.source if best else None,
                          len(inside))
        self._evaluated(actor=actor, reason=None, met=figures.value >= self.term.threshold,
                        figures=figures)
        return True

    def record_remedy(self, actor: str, detail: str) -> bool:
        """False if the remedy was applied already: it never is twice."""
        if self.status is not RuleStatus.BREACHED:
            return False
        self._remedy_applied(actor=actor, reason=None, detail=detail)
        return True

    def waive(self, actor: str, reason: str | None) -> None:
        reason = required_reason(reason, "waive a make-good rule")
        self._require(self.status in (RuleStatus.ARMED, RuleStatus.BREACHED), "waive it",
                      "its remedy was applied, or it was met")
        self._waived(actor=actor, reason=reason)

    @event(WindowOpened)
    def _window_opened(self, actor: str, reason: str | None, published_at: datetime) -> None:
        self.published_at = published_at

    @event(Evaluated)
    def _evaluated(self, actor: str, reason: str | None, met: bool, figures: Figures) -> None:
        self.status, self.figures = (RuleStatus.MET if met else RuleStatus.BREACHED), figures

    @event(RemedyApplied)
    def _remedy_applied(self, actor: str, reason: str | None, detail: str) -> None:
        self.status, self.remedy_detail = RuleStatus.REMEDY_APPLIED, detail

    @event(Waived)
    def _waived(self, actor: str, reason: str | None) -> None:
        self.status = RuleStatus.WAIVED


def window_closes(published_at: datetime, window_days: int) -> datetime:
    return published_at + timedelta(days=window_days)


def reduced(amount: Money, term: MakeGoodTerm) -> Money:
    """A milestone's amount after a fee reduction or refund: by an amount or a percent
    of the milestone, never below zero."""
    if term.percent is not None:
        cut = (Decimal(amount.amount) * Decimal(term.percent) / 100).quantize(
            Decimal(1), rounding=ROUND_HALF_UP)
    else:
        cut = Decimal(term.amount or 0)
    return Money(max(0, amount.amount - int(cut)), amount.currency)


def remedy_is_money(term: MakeGoodTerm) -> bool:
    return Remedy(term.remedy) in (Remedy.FEE_REDUCTION, Remedy.REFUND)

