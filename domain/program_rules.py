"""The rules of a KOC distribution program, set at its start and revised as versions
(like a contract's terms): what each product pays in commission, the levels and what
reaching them takes and gives, the rewards for achievements, the monthly competition,
and the assessment external distributors must pass to keep their qualification.

Money is in the program's one currency, in minor units; rates in basis points (1,250
is 12.5 %). A product's rate may carry a second-level rate: the share of what a
distributor's recruits sell that goes to the recruiter.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from domain.money import MAX_MINOR_UNITS, is_currency
from domain.rules import MAX_COUNT, Problems, check_keys, check_name
from domain.values import parse_checked

MAX_BASIS_POINTS = 10_000
MAX_SKU = 64


class RewardKind(StrEnum):
    PHYSICAL = "physical"  # a product, shipped (a sample after the first order)
    RED_ENVELOPE = "red_envelope"  # money: paid with the month's statement
    COUPON = "coupon"
    MEMBERSHIP = "membership"
    CERTIFICATE = "certificate"  # an honour: a document to download


class CompetitionMetric(StrEnum):
    SALES = "sales"  # net of refunds, minor units
    ORDERS = "orders"


class AchievementKind(StrEnum):
    FIRST_ORDER = "first_order"
    NEW_FANS_IN_A_DAY = "new_fans_in_a_day"  # a group of `threshold` new fans in one day
    ORDERS = "orders"  # `threshold` orders in all
    SALES = "sales"  # `threshold` minor units sold in all


@dataclass(frozen=True)
class Reward:
    kind: RewardKind
    description: str
    amount: int = 0  # a red envelope's money (minor units); nothing for the others
    sku: str | None = None  # the product given, for a physical reward

    def problems(self, path: str) -> Problems:
        errors = check_name(f"{path}.description", self.description)
        if self.kind is RewardKind.RED_ENVELOPE:
            if not 0 < self.amount <= MAX_MINOR_UNITS:
                errors[f"{path}.amount"] = "a red envelope needs an amount (minor units)"
        elif self.amount:
            errors[f"{path}.amount"] = "only a red envelope carries money"
        if self.kind is RewardKind.PHYSICAL and not _sku_ok(self.sku):
            errors[f"{path}.sku"] = "a physical reward names the product (its SKU)"
        return errors


@dataclass(frozen=True)
class LevelCriteria:
    """All of them, reached over the distributor's whole time in the program."""

    orders: int = 0
    sales: int = 0  # minor units, net of refunds
    group_size: int = 0  # fans in their group
    recruits: int = 0  # active distributors they recruited

    def met_by(self, figures: "Figures") -> bool:
        return (figures.orders >= self.orders and figures.sales >= self.sales
                and figures.group_size >= self.group_size and figures.recruits >= self.recruits)

    def problems(self, path: str) -> Problems:
        return {f"{path}.{name}": f"must be 0-{MAX_COUNT}"
                for name in ("orders", "sales", "group_size", "recruits")
                if not 0 <= getattr(self, name) <= MAX_COUNT}


@dataclass(frozen=True)
class Level:
    key: str
    name: str
    criteria: LevelCriteria = LevelCriteria()
    rewards: tuple[Reward, ...] = ()  # granted once, on reaching it


@dataclass(frozen=True)
class CommissionRate:
    sku: str
    rate_bp: int
    second_level_bp: int = 0  # to the recruiter of whoever sold it

    def problems(self, path: str) -> Problems:
        errors: Problems = {}
        if not _sku_ok(self.sku):
            errors[f"{path}.sku"] = f"use 1-{MAX_SKU} characters without spaces"
        for name in ("rate_bp", "second_level_bp"):
            if not 0 <= getattr(self, name) <= MAX_BASIS_POINTS:
                errors[f"{path}.{name}"] = "must be 0-10000 basis points"
        if self.rate_bp + self.second_level_bp > MAX_BASIS_POINTS:
            errors[f"{path}.second_level_bp"] = "the two rates together exceed 100 %"
        return errors


@dataclass(frozen=True)
class Achievement:
    key: str
    name: str
    kind: AchievementKind
    threshold: int = 1
    rewards: tuple[Reward, ...] = ()


@dataclass(frozen=True)
class Prize:
    rank: int  # 1 for the month's winner
    reward: Reward


@dataclass(frozen=True)
class Competition:
    metric: CompetitionMetric = CompetitionMetric.SALES
    prizes: tuple[Prize, ...] = ()
    minimum: int = 1  # what a distributor must reach in the month to be ranked at all


@dataclass(frozen=True)
class Assessment:
    """External distributors: at the end of each period of `period_days` since they
    joined, those short of a threshold that is set (orders, sales) lose their
    qualification."""

    period_days: int = 90
    min_orders: int = 0
    min_sales: int = 0  # minor units, net of refunds, in the period


    def passed_by(self, figures: "Figures") -> bool:
        return figures.orders >= self.min_orders and figures.sales >= self.min_sales


@dataclass(frozen=True)
class Figures:
    """What a distributor did, as the rules weigh it."""

    orders: int = 0
    sales: int = 0
    group_size: int = 0
    recruits: int = 0


@dataclass(frozen=True)
class ProgramRules:
    currency: str
    commissions: tuple[CommissionRate, ...]
    levels: tuple[Level, ...] = ()  # from the first (where everyone starts) up
    achievements: tuple[Achievement, ...] = ()
    competition: Competition | None = None
    assessment: Assessment | None = None

    @classmethod
    def parse(cls, data: dict[str, Any]) -> "ProgramRules":
        rules: ProgramRules = parse_checked(cls, data, "rules")
        return rules

    def rate_for(self, sku: str) -> CommissionRate | None:
        return next((rate for rate in self.commissions if rate.sku == sku), None)

    def level_for(self, figures: Figures) -> Level | None:
        """The highest level whose criteria the figures meet (levels go up in order)."""
        reached = None
        for level in self.levels:
            if not level.criteria.met_by(figures):
                break
            reached = level
        return reached

    def rank_of(self, level_key: str | None) -> int:
        """0 before the first level; 1 for the first, and so on."""
        keys = [level.key for level in self.levels]
        return keys.index(level_key) + 1 if level_key in keys else 0

    def problems(self) -> Problems:
        errors: Problems = {}
        if not is_currency(self.currency):
            errors["currency"] = f"'{self.currency}' is not an ISO-4217 currency code"
        if not self.commissions:
            errors["commissions"] = "list the commission of at least one product"
        for i, rate in enumerate(self.commissions):
            errors |= rate.problems(f"commissions[{i}]")
        if len({rate.sku for rate in self.commissions}) != len(self.commissions):
            errors["commissions"] = "names a product twice"
        errors |= check_keys("levels", self.levels) | check_keys("achievements",
                                                                 self.achievements)
        errors |= self._level_problems()
        for i, achievement in enumerate(self.achievements):
            path = f"achievements[{i}]"
            errors |= check_name(f"{path}.name", achievement.name)
            if not 0 < achievement.threshold <= MAX_COUNT:
                errors[f"{path}.threshold"] = f"must be 1-{MAX_COUNT}"
            errors |= _rewards_problems(f"{path}.rewards", achievement.rewards)
        errors |= self._competition_problems() | self._assessment_problems()
        return errors

    def _level_problems(self) -> Problems:
        errors: Problems = {}
        for i, level in enumerate(self.levels):
            errors |= check_name(f"levels[{i}].name", level.name)
            errors |= level.criteria.problems(f"levels[{i}].criteria")
            errors |= _rewards_problems(f"levels[{i}].rewards", level.rewards)
            if i and not _at_least(level.criteria, self.levels[i - 1].criteria):
                errors[f"levels[{i}].criteria"] = ("asks less than the level below it in "
                                                   "something: levels go up")
        return errors

    def _competition_problems(self) -> Problems:
        if self.competition is None:
            return {}
        errors: Problems = {}
        ranks = [prize.rank for prize in self.competition.prizes]
        if sorted(ranks) != list(range(1, len(ranks) + 1)):
            errors["competition.prizes"] = "give prizes for ranks 1, 2, 3 … in turn"
        for i, prize in enumerate(self.competition.prizes):
            errors |= prize.reward.problems(f"competition.prizes[{i}].reward")
        if not 0 < self.competition.minimum <= MAX_COUNT:
            errors["competition.minimum"] = f"must be 1-{MAX_COUNT}"
        return errors

    def _assessment_problems(self) -> Problems:
        if self.assessment is None:
            return {}
        errors: Problems = {}
        if not 7 <= self.assessment.period_days <= 366:
            errors["assessment.period_days"] = "must be 7-366 days"
        for name in ("min_orders", "min_sales"):
            if not 0 <= getattr(self.assessment, name) <= MAX_COUNT:
                errors[f"assessment.{name}"] = f"must be 0-{MAX_COUNT}"
        if not (self.assessment.min_orders or self.assessment.min_sales):
            errors["assessment"] = "set min_orders or min_sales: what passing takes"
        return errors


def _rewards_problems(path: str, rewards: tuple[Reward, ...]) -> Problems:
    errors: Problems = {}
    for i, reward in enumerate(rewards):
        errors |= reward.problems(f"{path}[{i}]")
    return errors


def _at_least(higher: LevelCriteria, lower: LevelCriteria) -> bool:
    return all(getattr(higher, name) >= getattr(lower, name)
               for name in ("orders", "sales", "group_size", "recruits"))


def _sku_ok(sku: str | None) -> bool:
    return bool(sku) and len(sku or "") <= MAX_SKU and not any(c.isspace() for c in sku or "")
