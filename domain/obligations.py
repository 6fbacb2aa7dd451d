"""The parts of contract terms: deliverables, usage rights, milestones, make-goods."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.rules import (
    MAX_DAYS,
    Problems,
    check_day,
    check_positive,
    check_reference,
    check_territories,
    check_url,
)
from domain.vocabulary import SPEC_FIELDS, Channel, DeliverableKind, Metric, Platform

DELIVERABLES = "deliverables' keys"


MAX_ITEMS = 1_000  # pieces of one deliverable: each becomes a record of its own


@dataclass(frozen=True)
class DeliverableTerm:
    key: str
    kind: DeliverableKind
    platform: Platform
    due_date: date
    quantity: int = 1
    review_required: bool = True
    spec: dict[str, int] = field(default_factory=dict)
    description: str = ""

    def problems(self, path: str) -> Problems:
        errors = check_positive(f"{path}.quantity", self.quantity, at_most=MAX_ITEMS) | \
            check_day(f"{path}.due_date", self.due_date)
        for name, value in self.spec.items():
            if name not in SPEC_FIELDS:
                errors[f"{path}.spec.{name}"] = f"unknown; use one of {', '.join(SPEC_FIELDS)}"
            else:
                errors |= check_positive(f"{path}.spec.{name}", value)
        return errors


class RightStart(StrEnum):
    ON_SIGNATURE = "on_signature"
    ON_PUBLICATION = "on_publication"
    FIXED_DATE = "fixed_date"


@dataclass(frozen=True)
class UsageRightTerm:
    key: str
    channels: tuple[Channel, ...]
    territories: tuple[str, ...]
    starts: RightStart
    start_date: date | None = None
    duration_days: int | None = None  # None: perpetual
    deliverable_keys: tuple[str, ...] = ()  # empty: every deliverable of the contract
    exclusivity_category: str | None = None
    exclusivity_days: int | None = None

    def problems(self, path: str, deliverable_keys: set[str]) -> Problems:
        errors = check_territories(f"{path}.territories", self.territories)
        if not self.channels:
            errors[f"{path}.channels"] = "name at least one channel"
        if self.starts is RightStart.FIXED_DATE and self.start_date is None:
            errors[f"{path}.start_date"] = "is required when the right starts on a fixed date"
        errors |= check_day(f"{path}.start_date", self.start_date)
        errors |= check_positive(f"{path}.duration_days", self.duration_days, required=False,
                                 at_most=MAX_DAYS)
        for i, key in enumerate(self.deliverable_keys):
            errors |= check_reference(f"{path}.deliverable_keys[{i}]", key, deliverable_keys,
                                      DELIVERABLES)
        if (self.exclusivity_category is None) != (self.exclusivity_days is None):
            errors[f"{path}.exclusivity_days"] = "give both an exclusivity category and days"
        errors |= check_positive(f"{path}.exclusivity_days", self.exclusivity_days,
                                 required=False, at_most=MAX_DAYS)
        return errors


class MilestoneTrigger(StrEnum):
    ON_SIGNATURE = "on_signature"
    ON_DELIVERABLE_ACCEPTED = "on_deliverable_accepted"
    ON_DATE = "on_date"
    ON_METRICS_REACHED = "on_metrics_reached"


@dataclass(frozen=True)
class BonusTier:
    at_least: int  # the tier metric's figure that earns this tier
    amount: int  # minor units; only the highest tier reached is paid


@dataclass(frozen=True)
class Bonus:
    """Performance pay on top of a milestone (a shared incentive), measured on one
    deliverable for `window_days` after its first publication: `rate` per unit of
    `rate_metric` (orders, redemptions) plus the highest tier reached on `tier_metric`
    (engaged views), at most `cap`. Paid as a payout of its own once the window closes."""

    deliverable_key: str
    window_days: int
    rate_metric: Metric | None = None
    rate: int | None = None  # minor units per unit of rate_metric
    tier_metric: Metric | None = None
    tiers: tuple[BonusTier, ...] = ()
    cap: int | None = None  # minor units; None: no cap

    def problems(self, path: str, deliverable_keys: set[str]) -> Problems:
        errors = check_reference(f"{path}.deliverable_key", self.deliverable_key,
                                 deliverable_keys, DELIVERABLES)
        errors |= check_positive(f"{path}.window_days", self.window_days, at_most=MAX_DAYS)
        errors |= check_positive(f"{path}.cap", self.cap, required=False)
        if self.rate_metric is None and not self.tiers:
            errors[path] = "give a rate per unit of a metric, tiers, or both"
        if (self.rate_metric is None) != (self.rate is None):
            errors[f"{path}.rate"] = "give both a rate and the metric it is paid on"
        errors |= check_positive(f"{path}.rate", self.rate, required=False)
        errors |= self._tier_problems(path)
        for name in ("rate_metric", "tier_metric"):
            if getattr(self, name) is Metric.REVENUE:
                errors[f"{path}.{name}"] = "must be a count (revenue is money)"
        return errors

    def _tier_problems(self, path: str) -> Problems:
        if not self.tiers:
            return {f"{path}.tier_metric": "tiers are missing"} if self.tier_metric else {}
        errors = {} if self.tier_metric else {f"{path}.tier_metric": "is required with tiers"}
        for i, tier in enumerate(self.tiers):
            errors |= check_positive(f"{path}.tiers[{i}].at_least", tier.at_least)
            errors |= check_positive(f"{path}.tiers[{i}].amount", tier.amount)
            if i and not errors and tier.at_least <= self.tiers[i - 1].at_least:
                errors[f"{path}.tiers[{i}].at_least"] = "tiers must rise: above the one before"
            if i and not errors and tier.amount <= self.tiers[i - 1].amount:
                # Otherwise more views would pay less: the highest tier reached is paid.
                errors[f"{path}.tiers[{i}].amount"] = "must be more than the tier below pays"
        return errors


@dataclass(frozen=True)
class Milestone:
    key: str
    label: str
    amount: int
    trigger: MilestoneTrigger
    deliverable_key: str | None = None
    due_date: date | None = None
    metric: Metric | None = None
    threshold: int | None = None
    bonus: Bonus | None = None

    # When the milestone falls due (its trigger), as the payouts policy asks.

    @property
    def due_on_signature(self) -> bool:
        return self.trigger is MilestoneTrigger.ON_SIGNATURE

    def due_on_acceptance_of(self, deliverable_key: str) -> bool:
        return self.trigger is MilestoneTrigger.ON_DELIVERABLE_ACCEPTED and \
            self.deliverable_key == deliverable_key

    def reached_by(self, deliverable_key: str, counts: dict[str, int]) -> int | None:
        """The figure that reached the milestone's threshold on that deliverable, if any."""
        if self.trigger is not MilestoneTrigger.ON_METRICS_REACHED or \
                self.deliverable_key != deliverable_key or self.metric is None:
            return None
        reached = counts.get(self.metric.value, 0)
        return reached if reached >= (self.threshold or 0) else None

    def problems(self, path: str, deliverable_keys: set[str]) -> Problems:
        errors = check_positive(f"{path}.amount", self.amount)
        if not self.label.strip():
            errors[f"{path}.label"] = "must not be blank"
        if self.trigger in (MilestoneTrigger.ON_DELIVERABLE_ACCEPTED,
                            MilestoneTrigger.ON_METRICS_REACHED):
            errors |= check_reference(f"{path}.deliverable_key", self.deliverable_key,
                                      deliverable_keys, DELIVERABLES)
        if self.trigger is MilestoneTrigger.ON_DATE and self.due_date is None:
            errors[f"{path}.due_date"] = "is required for a milestone paid on a date"
        errors |= check_day(f"{path}.due_date", self.due_date)
        if self.trigger is MilestoneTrigger.ON_METRICS_REACHED:
            if self.metric is None:
                errors[f"{path}.metric"] = "is required for a milestone paid on metrics"
            errors |= check_positive(f"{path}.threshold", self.threshold)
        if self.bonus is not None:
            errors |= self.bonus.problems(f"{path}.bonus", deliverable_keys)
        return errors


class Remedy(StrEnum):
    EXTRA_DELIVERABLE = "extra_deliverable"
    REPOST = "repost"
    FEE_REDUCTION = "fee_reduction"
    RIGHTS_EXTENSION = "rights_extension"
    REFUND = "refund"


MONEY_REMEDIES = (Remedy.FEE_REDUCTION, Remedy.REFUND)


@dataclass(frozen=True)
class MakeGoodTerm:
    """What happens when a deliverable misses its agreed performance."""

    key: str
    deliverable_key: str
    metric: Metric
    threshold: int
    window_days: int
    remedy: Remedy
    milestone_key: str | None = None
    amount: int | None = None
    percent: Decimal | None = None
    extension_days: int | None = None

    def problems(self, path: str, deliverable_keys: set[str],
                 milestone_amounts: dict[str, int]) -> Problems:
        errors = check_reference(f"{path}.deliverable_key", self.deliverable_key,
                                 deliverable_keys, DELIVERABLES)
        errors |= check_positive(f"{path}.threshold", self.threshold)
        errors |= check_positive(f"{path}.window_days", self.window_days, at_most=MAX_DAYS)
        if self.remedy in MONEY_REMEDIES:
            errors |= self._money_problems(path, milestone_amounts)
        if self.remedy is Remedy.RIGHTS_EXTENSION:
            errors |= check_positive(f"{path}.extension_days", self.extension_days,
                                     at_most=MAX_DAYS)
        return errors

    def _money_problems(self, path: str, milestone_amounts: dict[str, int]) -> Problems:
        errors = check_reference(f"{path}.milestone_key", self.milestone_key,
                                 milestone_amounts, "milestones' keys")
        if (self.amount is None) == (self.percent is None):
            errors[f"{path}.amount"] = "give either an amount or a percent of the milestone"
        elif self.percent is not None and not Decimal(0) < self.percent <= Decimal(100):
            errors[f"{path}.percent"] = "must be more than 0 and at most 100"
        elif self.amount is not None:
            errors |= check_positive(f"{path}.amount", self.amount)
            limit = milestone_amounts.get(self.milestone_key or "")
            if limit is not None and self.amount > limit:
                errors[f"{path}.amount"] = f"exceeds the milestone's amount ({limit})"
        return errors


@dataclass(frozen=True)
class Tracking:
    """Where tracked links point; one link per creator and deliverable is derived from it."""

    landing_url: str
    campaign_code: str | None = None

    def problems(self, path: str) -> Problems:
        return check_url(f"{path}.landing_url", self.landing_url)
