"""KOC distribution: a brand's Program (rules versioned, a training cohort that moves
recruiting -> training -> trained -> ended) and its Distributors (creators of kind KOC,
internal fans or external distributors, each with a level, a recruiter and a status:
active -> suspended, back to active, or out for good: eliminated at an assessment, or
disqualified by legal for a breach, which forfeits what was not paid yet).

Rewards are granted once each: a grant has a key ("level:gold", "competition:2026-11:1")
and a second grant of the same key changes nothing, so a worker that runs twice, or
two that run at once, give nothing twice.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.attributed import AttributedEvent, checked_reason, required_reason
from domain.errors import HasStatus, InvalidTransition, InvalidValue
from domain.program_rules import (
    Achievement,
    AchievementKind,
    Assessment,
    Figures,
    Level,
    ProgramRules,
    Reward,
)
from domain.rules import check_name
from domain.snapshots import TypedSnapshot
from domain.tracking import derived_code

MAX_GRANT_KEY = 100


class CohortStage(StrEnum):
    RECRUITING = "recruiting"
    TRAINING = "training"
    TRAINED = "trained"
    ENDED = "ended"


STAGES = list(CohortStage)


@dataclass(frozen=True)
class RulesVersion:
    version: int  # 1 for the rules the program started with
    effective_from: datetime
    rules: ProgramRules


@dataclass(frozen=True)
class Winner:
    rank: int
    distributor_id: str
    figure: int  # what won: sales (minor units) or orders, as the competition counts
    reward: Reward


class Program(Aggregate):
    Snapshot = TypedSnapshot  # programs are snapshotted: these types come back from one
    stage: CohortStage
    versions: tuple[RulesVersion, ...]
    decided: tuple[str, ...] = ()

    class Event(AttributedEvent):
        pass

    class Created(Event, Aggregate.Created):
        brand_id: str
        name: str
        rules: ProgramRules
        effective_from: datetime

    class RulesRevised(Event):
        version: int
        rules: ProgramRules
        effective_from: datetime

    class StageMoved(Event):
        stage: CohortStage

    class CompetitionDecided(Event):
        month: str  # YYYY-MM
        winners: tuple[Winner, ...]

    @event(Created)
    def __init__(self, actor: str, reason: str | None, brand_id: str, name: str,
                 rules: ProgramRules, effective_from: datetime) -> None:
        self.brand_id, self.name = brand_id, name
        self.versions: tuple[RulesVersion, ...] = (RulesVersion(1, effective_from, rules),)
        self.stage = CohortStage.RECRUITING
        self.decided: tuple[str, ...] = ()  # the months whose competition was decided

    @classmethod
    def create(cls, *, actor: str, brand_id: str, name: str, rules: ProgramRules,
               now: datetime, began_on: date | None = None, id: Any = None) -> "Program":
        """`began_on`: for a program run elsewhere before (its orders since then are
        recorded at these rules), a day up to a year back; by default now."""
        problems = check_name("name", name)
        if began_on is not None and not now.date() - timedelta(days=366) <= began_on <= \
                now.date():
            problems["began_on"] = "must be today or a day in the past year"
        if problems:
            raise InvalidValue(problems)
        started = now if began_on is None else datetime.combine(began_on, datetime.min.time(),
                                                                UTC)
        return cls._create(cls.Created, id=id, actor=actor, reason=None, brand_id=brand_id,
                           name=name.strip(), rules=rules, effective_from=started)

    @property
    def began(self) -> datetime:
        """The first day of the program (UTC): orders from then on are its own."""
        return datetime.combine(self.versions[0].effective_from.astimezone(UTC).date(),
                                datetime.min.time(), UTC)

    @property
    def rules(self) -> ProgramRules:
        return self.versions[-1].rules

    def rules_at(self, moment: datetime) -> RulesVersion:
        """The rules in force at that moment (the first ones before the program began)."""
        in_force = self.versions[0]
        for version in self.versions:
            if version.effective_from <= moment:
                in_force = version
        return in_force

    def revise_rules(self, actor: str, rules: ProgramRules, effective_from: datetime,
                     now: datetime, reason: str | None) -> None:
        """From now or later, never back in time: what was accrued keeps its rate."""
        reason = required_reason(reason, "revise a program's rules")
        if self.stage is CohortStage.ENDED:
            raise InvalidTransition("Cannot revise the rules: the program has ended.")
        if effective_from < now or effective_from < self.versions[-1].effective_from:
            raise InvalidValue({"effective_from": "must be now or later, and not before the "
                                                  "last revision"})
        if rules.currency != self.rules.currency:
            raise InvalidValue({"rules.currency": "a program keeps its currency: its "
                                                  "ledger is in it"})
        self._rules_revised(actor=actor, reason=reason, version=len(self.versions) + 1,
                            rules=rules, effective_from=effective_from)

    def move_to(self, actor: str, stage: CohortStage, reason: str | None = None) -> None:
        """Forward only: recruiting -> training -> trained -> ended."""
        if STAGES.index(stage) <= STAGES.index(self.stage):
            raise InvalidTransition(f"Cannot move the cohort to {stage.value}: it is "
                                    f"{self.stage.value}, and stages only go forward.")
        self._stage_moved(actor=actor, reason=checked_reason(reason), stage=stage)

    def decide_competition(self, actor: str, month: str, ranked: list[tuple[str, int]],
                           rules: ProgramRules) -> tuple[Winner, ...] | None:
        """The month's winners, once: those ranked (distributor, figure) best first get
        the prizes in turn. None if the month was decided before or has no prizes."""
        if month in self.decided or rules.competition is None or \
                not rules.competition.prizes:
            return None
        winners = tuple(Winner(prize.rank, distributor_id, figure, prize.reward)
                        for prize, (distributor_id, figure)
                        in zip(rules.competition.prizes, ranked, strict=False))
        self._competition_decided(actor=actor, reason=None, month=month, winners=winners)
        return winners

    @event(CompetitionDecided)
    def _competition_decided(self, actor: str, reason: str | None, month: str,
                             winners: tuple[Winner, ...]) -> None:
        self.decided = (*self.decided, month)

    @event(RulesRevised)
    def _rules_revised(self, actor: str, reason: str | None, version: int,
                       rules: ProgramRules, effective_from: datetime) -> None:
        self.versions = (*self.versions, RulesVersion(version, effective_from, rules))

    @event(StageMoved)
    def _stage_moved(self, actor: str, reason: str | None, stage: CohortStage) -> None:
        self.stage = CohortStage(stage)  # stored as text


class Origin(StrEnum):
    INTERNAL = "internal"  # the brand's own fans
    EXTERNAL = "external"  # distributors from outside: assessed each period


class DistributorStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    ELIMINATED = "eliminated"
    DISQUALIFIED = "disqualified"


IN_PROGRAM = (DistributorStatus.ACTIVE, DistributorStatus.SUSPENDED)


@dataclass(frozen=True)
class Grant:
    key: str  # once per key: "level:gold", "achievement:first-order", "competition:2026-11:1"
    reward: Reward
    why: str


class Distributor(Aggregate, HasStatus):
    Snapshot = TypedSnapshot  # distributors are snapshotted: these types come back from one
    origin: Origin
    status: DistributorStatus
    grants: tuple[Grant, ...]
    joined_on: date

    class Event(AttributedEvent):
        pass

    class Enrolled(Event, Aggregate.Created):
        brand_id: str
        program_id: str
        creator_id: str
        origin: Origin
        recruiter_id: str | None
        tracking_code: str
        joined_on: date

    class Promoted(Event):
        level: str
        figures: Figures

    class RewardGranted(Event):
        grant: Grant
        at: datetime | None = None  # when it was granted (the statement's month)

    class Suspended(Event):
        pass

    class Reinstated(Event):
        pass

    class Eliminated(Event):
        period_ended: date
        figures: Figures
        assessment: Assessment

    class Disqualified(Event):
        forfeited: int  # minor units earned and not paid: not to be paid now

    @event(Enrolled)
    def __init__(self, actor: str, reason: str | None, brand_id: str, program_id: str,
                 creator_id: str, origin: Origin, recruiter_id: str | None, tracking_code: str,
                 joined_on: date) -> None:
        self.brand_id, self.program_id, self.creator_id = brand_id, program_id, creator_id
        self.origin, self.recruiter_id = Origin(origin), recruiter_id  # stored as text
        self.tracking_code, self.joined_on = tracking_code, joined_on
        self.level: str | None = None
        self.status = DistributorStatus.ACTIVE
        self.grants: tuple[Grant, ...] = ()
        self.forfeited = 0

    @classmethod
    def enrol(cls, *, actor: str, brand_id: str, program_id: str, creator_id: str,
              origin: Origin, recruiter_id: str | None, tracking_code: str, joined_on: date,
              id: Any = None) -> "Distributor":
        return cls._create(cls.Enrolled, id=id, actor=actor, reason=None, brand_id=brand_id,
                           program_id=program_id, creator_id=creator_id, origin=origin,
                           recruiter_id=recruiter_id, tracking_code=tracking_code,
                           joined_on=joined_on)

    @property
    def in_program(self) -> bool:
        return self.status in IN_PROGRAM

    def promote(self, actor: str, rules: ProgramRules, figures: Figures) -> Level | None:
        """To the highest level the figures reach, if higher than theirs (a level once
        reached is kept); the new level, or None."""
        self._require(self.in_program, "promote the distributor")
        reached = rules.level_for(figures)
        if reached is None or rules.rank_of(reached.key) <= rules.rank_of(self.level):
            return None
        self._promoted(actor=actor, reason=None, level=reached.key, figures=figures)
        return reached

    def evaluate(self, actor: str, rules: ProgramRules, figures: Figures,
                 at: datetime | None = None) -> int:
        """What the figures earn them, each once: the level they reach (and the rewards
        of every level up to it) and the achievements they meet. How many grants and
        promotions it made."""
        if not self.in_program:
            return 0
        made = int(self.promote(actor, rules, figures) is not None)
        reached = rules.levels[:rules.rank_of(self.level)]
        for level in reached:
            for i, reward in enumerate(level.rewards):
                made += self.grant(actor, Grant(f"level:{level.key}:{i}", reward,
                                                f"Reached {level.name}"), at)
        for achievement in achievements_met(rules, figures):
            for i, reward in enumerate(achievement.rewards):
                made += self.grant(actor, Grant(f"achievement:{achievement.key}:{i}", reward,
                                                achievement.name), at)
        return made

    def grant(self, actor: str, grant: Grant, at: datetime | None = None) -> bool:
        """False if a grant of that key was made before (or they are out of the program)."""
        if not 0 < len(grant.key) <= MAX_GRANT_KEY:
            raise InvalidValue({"key": f"must be 1-{MAX_GRANT_KEY} characters"})
        if not self.in_program or any(g.key == grant.key for g in self.grants):
            return False
        self._reward_granted(actor=actor, reason=None, grant=grant, at=at)
        return True

    def suspend(self, actor: str, reason: str | None) -> None:
        self._require(self.status is DistributorStatus.ACTIVE, "suspend the distributor")
        self._suspended(actor=actor, reason=required_reason(reason, "suspend a distributor"))

    def reinstate(self, actor: str, reason: str | None) -> None:
        self._require(self.status is DistributorStatus.SUSPENDED, "reinstate the distributor")
        self._reinstated(actor=actor, reason=required_reason(reason,
                                                             "reinstate a distributor"))

    def assess(self, actor: str, period: tuple[date, date], figures: Figures,
               assessment: Assessment) -> bool:
        """An external distributor short of the assessment for the period loses the
        qualification, the figures in the event; True if eliminated."""
        if self.origin is not Origin.EXTERNAL:
            raise InvalidTransition("Only external distributors are assessed.")
        if not self.in_program or assessment.passed_by(figures):
            return False
        last_day = period[1] - timedelta(days=1)
        self._eliminated(actor=actor, reason=(
            f"Missed the assessment for {period[0].isoformat()} to {last_day.isoformat()}: "
            f"{figures.orders} orders and {figures.sales} sold (minor units), against "
            f"{assessment.min_orders} orders and {assessment.min_sales}"),
            period_ended=last_day, figures=figures, assessment=assessment)
        return True

    def disqualify(self, actor: str, reason: str | None, unpaid: int) -> None:
        """For a breach (selling other products to the brand's fans privately): out of
        the program, and what they earned and were not paid is forfeited."""
        reason = required_reason(reason, "disqualify a distributor")
        self._require(self.in_program, "disqualify the distributor")
        if unpaid < 0:
            raise InvalidValue({"unpaid": "cannot be negative"})
        self._disqualified(actor=actor, reason=reason, forfeited=unpaid)

    @event(Promoted)
    def _promoted(self, actor: str, reason: str | None, level: str, figures: Figures) -> None:
        self.level = level

    @event(RewardGranted)
    def _reward_granted(self, actor: str, reason: str | None, grant: Grant,
                        at: datetime | None = None) -> None:
        self.grants = (*self.grants, grant)

    @event(Suspended)
    def _suspended(self, actor: str, reason: str | None) -> None:
        self.status = DistributorStatus.SUSPENDED

    @event(Reinstated)
    def _reinstated(self, actor: str, reason: str | None) -> None:
        self.status = DistributorStatus.ACTIVE

    @event(Eliminated)
    def _eliminated(self, actor: str, reason: str | None, period_ended: date,
                    figures: Figures, assessment: Assessment) -> None:
        self.status = DistributorStatus.ELIMINATED

    @event(Disqualified)
    def _disqualified(self, actor: str, reason: str | None, forfeited: int) -> None:
        self.status, self.forfeited = DistributorStatus.DISQUALIFIED, forfeited


def assessment_periods(joined_on: date, assessment: Assessment, today: date
                       ) -> list[tuple[date, date]]:
    """(first day, day after the last) of each assessment period since joining that is
    over by today."""
    ended, start = [], joined_on
    while (end := start + timedelta(days=assessment.period_days)) <= today:
        ended.append((start, end))
        start = end
    return ended


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """A month (YYYY-MM): its first moment, and the next month's (UTC)."""
    year, number = (int(part) for part in month.split("-"))
    first = datetime(year, number, 1, tzinfo=UTC)
    return first, datetime(year + number // 12, number % 12 + 1, 1, tzinfo=UTC)


def achievements_met(rules: ProgramRules, figures: Figures) -> list[Achievement]:
    """The achievements the figures meet. A group's new fans in a day are counted where
    they are recorded, not from orders: that kind is not met here."""
    met = {AchievementKind.FIRST_ORDER: lambda a: figures.orders >= 1,
           AchievementKind.ORDERS: lambda a: figures.orders >= a.threshold,
           AchievementKind.SALES: lambda a: figures.sales >= a.threshold}
    return [a for a in rules.achievements if a.kind in met and met[a.kind](a)]


def distributor_code(program_id: str, creator_id: str) -> str:
    """What a distributor's links and orders carry: 'koc-' and ten letters and digits,
    one per creator in a program, from which nothing about them can be read back."""
    return f"koc-{derived_code('distributor', f'{program_id}/{creator_id}')}"
