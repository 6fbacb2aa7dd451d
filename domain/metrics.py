"""Metric snapshots: what a deliverable had achieved at one moment, by one source.

Snapshots are cumulative figures ("12,400 views as of 9:00") and are only ever
appended; a later snapshot supersedes an earlier one for the figures it reports.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from domain.money import Money
from domain.rules import MAX_COUNT, Problems
from domain.vocabulary import Metric

CLOCK_SKEW = timedelta(minutes=5)
MAX_SOURCE_LENGTH = 80


# Revenue is money, kept apart; every other metric is a count.
COUNTED = tuple(metric for metric in Metric if metric is not Metric.REVENUE)


@dataclass(frozen=True)
class MetricSnapshot:
    source: str  # "douyin export", "manual", "kolpact tracking" ...
    measured_at: datetime
    counts: dict[str, int] = field(default_factory=dict)  # a COUNTED metric -> count
    revenue: Money | None = None

    def problems(self, now: datetime) -> Problems:
        errors: Problems = {}
        if not self.source.strip() or len(self.source) > MAX_SOURCE_LENGTH:
            errors["source"] = f"must be 1-{MAX_SOURCE_LENGTH} characters"
        if self.measured_at.tzinfo is None:
            errors["measured_at"] = "needs a time zone"
        elif self.measured_at > now + CLOCK_SKEW:
            errors["measured_at"] = "is in the future"
        known = {m.value for m in COUNTED}
        for name, count in self.counts.items():
            if name not in known:
                errors[f"counts.{name}"] = "is not a metric kolpact records"
            elif isinstance(count, bool) or not isinstance(count, int) \
                    or not 0 <= count <= MAX_COUNT:
                errors[f"counts.{name}"] = "must be a whole number, zero or more"
        if self.revenue is not None:
            errors |= self.revenue.problems("revenue")
        if not self.counts and self.revenue is None:
            errors["counts"] = "report at least one figure"
        return errors
