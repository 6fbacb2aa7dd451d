"""Performance bonuses: what a creator earned on top of a milestone, and why.

The figures are cumulative counts, so an item's figure for the window is the
highest one measured inside it; items of the same deliverable add up. The
calculation is kept whole (figures, lines, cap) in the payout's history, so
anyone can redo the arithmetic.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.metrics import MetricSnapshot
from domain.money import MAX_MINOR_UNITS
from domain.obligations import Bonus, BonusTier


@dataclass(frozen=True)
class BonusLine:
    metric: str
    figure: int  # what the deliverable reached in the window
    basis: str  # "rate": figure x unit; "tier": the tier at `unit` or more was reached
    unit: int  # the rate per unit, or the tier's threshold
    amount: int  # minor units


@dataclass(frozen=True)
class BonusCalculation:
    window_opened: datetime
    window_closed: datetime
    lines: tuple[BonusLine, ...]
    earned: int  # the lines' sum, before the cap
    cap: int | None
    amount: int  # what is paid: earned, at most the cap
    currency: str

    def summary(self) -> str:
        parts = [f"{line.figure} {line.metric} x {line.unit}" if line.basis == "rate"
                 else f"{line.metric} {line.figure} "
                      f"{'reached' if line.amount else 'short of'} the {line.unit} tier"
                 for line in self.lines]
        capped = f", capped at {self.cap}" if self.cap is not None and self.earned > self.cap \
            else ""
        return (f"Performance bonus from {self.window_opened:%Y-%m-%d} to "
                f"{self.window_closed:%Y-%m-%d}: {'; '.join(parts) or 'no figures'} = "
                f"{self.earned}{capped} -> {self.amount} {self.currency} (minor units)")


def window_of(bonus: Bonus, first_published: datetime) -> tuple[datetime, datetime]:
    return first_published, first_published + timedelta(days=bonus.window_days)


def figures_in_window(items: Iterable[Sequence[MetricSnapshot]], metrics: Iterable[str],
                      opened: datetime, closes: datetime) -> dict[str, int]:
    """Per metric, the sum over items of each item's highest figure measured in the window."""
    totals = dict.fromkeys(metrics, 0)
    for snapshots in items:
        inside = [s for s in snapshots if opened <= s.measured_at <= closes]
        for metric in totals:
            totals[metric] += max((s.counts.get(metric, 0) for s in inside), default=0)
    return totals


def calculate_bonus(bonus: Bonus, figures: dict[str, int], currency: str,
                    window: tuple[datetime, datetime]) -> BonusCalculation:
    lines = []
    if bonus.rate_metric is not None and bonus.rate is not None:
        figure = figures.get(bonus.rate_metric.value, 0)
        lines.append(BonusLine(bonus.rate_metric.value, figure, "rate", bonus.rate,
                               figure * bonus.rate))
    if bonus.tier_metric is not None:
        figure = figures.get(bonus.tier_metric.value, 0)
        reached = [tier for tier in bonus.tiers if figure >= tier.at_least]
        top = max(reached, key=lambda tier: tier.at_least) if reached \
            else BonusTier(min(tier.at_least for tier in bonus.tiers), 0)  # none reached
        lines.append(BonusLine(bonus.tier_metric.value, figure, "tier", top.at_least,
                               top.amount))
    earned = sum(line.amount for line in lines)
    amount = min(earned, MAX_MINOR_UNITS if bonus.cap is None else bonus.cap)
    return BonusCalculation(window[0], window[1], tuple(lines), earned, bonus.cap, amount,
                            currency)


def metrics_of(bonus: Bonus) -> list[str]:
    return [m.value for m in (bonus.rate_metric, bonus.tier_metric) if m is not None]
