"""What a campaign is for and how its four weeks run: the brief, the plan, the check-ins.

The brief says what the push promises, to whom and for how much; the plan gives
each of the four weeks its goals and key dates, by default the rhythm brands work
to (week 1 initiation and goals, week 2 content refinement, week 3 production and
warm-up, week 4 publish, live support and data review), edited as the campaign
goes. A check-in records, for one week, how each goal stands and what is changed.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from domain.money import Money
from domain.rules import Problems, check_day, check_keys, check_name

WEEKS = 4
MAX_TEXT = 2000  # one goal, one note, one idea
MAX_ITEMS = 50  # goals of a week, key dates, risks, ideas
MAX_CREATORS = 100_000  # of one kind in the target mix


def check_text(path: str, text: str, max_length: int = MAX_TEXT) -> Problems:
    return check_name(path, text, max_length)


def check_count(path: str, items: tuple[object, ...]) -> Problems:
    return {path: f"at most {MAX_ITEMS}"} if len(items) > MAX_ITEMS else {}


@dataclass(frozen=True)
class CreatorMix:
    """How many KOLs (reach) and KOCs (word of mouth) the campaign aims to sign."""

    kol: int = 0
    koc: int = 0

    def problems(self, path: str) -> Problems:
        return {f"{path}.{name}": f"must be from 0 to {MAX_CREATORS}"
                for name, value in (("kol", self.kol), ("koc", self.koc))
                if isinstance(value, bool) or not 0 <= value <= MAX_CREATORS}


@dataclass(frozen=True)
class Brief:
    name: str
    promise: str  # the one sentence the campaign says to its audience
    starts_on: date
    ends_on: date
    angle: str = ""
    call_to_action: str = ""
    mix: CreatorMix = CreatorMix()
    budget: tuple[Money, ...] = ()  # at most one amount per currency

    def problems(self) -> Problems:
        errors = check_name("name", self.name) | check_text("promise", self.promise, 300)
        for name in ("angle", "call_to_action"):
            if getattr(self, name):
                errors |= check_text(name, getattr(self, name))
        errors |= check_day("starts_on", self.starts_on) | check_day("ends_on", self.ends_on)
        if self.ends_on < self.starts_on:
            errors["ends_on"] = "must not be before starts_on"
        errors |= self.mix.problems("mix")
        for i, amount in enumerate(self.budget):
            errors |= amount.problems(f"budget[{i}]")
        currencies = [m.currency for m in self.budget]
        if len(set(currencies)) != len(currencies):
            errors["budget"] = "give one amount per currency"
        return errors

    def budget_in(self, currency: str) -> int | None:
        return next((m.amount for m in self.budget if m.currency == currency), None)


@dataclass(frozen=True)
class Goal:
    key: str
    text: str


@dataclass(frozen=True)
class KeyDate:
    label: str
    on: date


@dataclass(frozen=True)
class PlanWeek:
    number: int  # 1 to 4
    theme: str
    goals: tuple[Goal, ...] = ()
    key_dates: tuple[KeyDate, ...] = ()

    def problems(self, path: str = "week") -> Problems:
        errors = {} if 1 <= self.number <= WEEKS else {
            f"{path}.number": f"must be from 1 to {WEEKS}"}
        errors |= check_text(f"{path}.theme", self.theme, 200)
        errors |= check_keys(f"{path}.goals", self.goals)
        errors |= check_count(f"{path}.goals", self.goals)
        errors |= check_count(f"{path}.key_dates", self.key_dates)
        for i, goal in enumerate(self.goals):
            errors |= check_text(f"{path}.goals[{i}].text", goal.text)
        for i, key_date in enumerate(self.key_dates):
            errors |= check_text(f"{path}.key_dates[{i}].label", key_date.label, 200)
            errors |= check_day(f"{path}.key_dates[{i}].on", key_date.on)
        return errors

    def goal_keys(self) -> set[str]:
        return {g.key for g in self.goals}


def _week(number: int, theme: str, goals: dict[str, str],
          key_dates: dict[str, date]) -> PlanWeek:
    return PlanWeek(number, theme, tuple(Goal(k, t) for k, t in goals.items()),
                    tuple(KeyDate(label, on) for label, on in key_dates.items()))


def default_plan(starts_on: date) -> tuple[PlanWeek, ...]:
    """The four-week rhythm, dated from the campaign's first day."""
    def day(n: int) -> date:
        return starts_on + timedelta(days=n)
    return (
        _week(1, "Initiation and goals", {
            "background": "Background and purpose agreed with the brand",
            "expected-results": "Expected results set (reach, engagement, orders)",
            "creator-requirements": "Each creator's own ideas and requirements collected",
            "preliminary-plan": "Preliminary plan and key dates shared with every creator"},
            {"Kick-off": day(0), "Requirements collected": day(4)}),
        _week(2, "Content refinement", {
            "themes-formats": "Themes and formats confirmed per creator",
            "progress": "Outlines tracked and approved",
            "adjustments": "Adjustments agreed where an outline misses the angle"},
            {"Outlines approved": day(11)}),
        _week(3, "Production and warm-up", {
            "production": "Drafts produced and reviewed",
            "warm-up": "Warm-up posts and teasers out"},
            {"Drafts approved": day(18)}),
        _week(4, "Publish, live support and data review", {
            "publish": "Every deliverable published on its date",
            "live-support": "Live sessions supported",
            "data-review": "Results reviewed: the monthly summary and next month's plan"},
            {"Publication": day(21), "Data review": day(27)}),
    )


class GoalState(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BEHIND = "behind"
    DONE = "done"


@dataclass(frozen=True)
class GoalProgress:
    goal_key: str
    state: GoalState
    note: str = ""


@dataclass(frozen=True)
class CheckIn:
    """Ops' weekly look: how each goal of the week stands, what changes, what may go
    wrong (who checked in is the event's actor)."""

    week: int
    progress: tuple[GoalProgress, ...]
    adjustments: str = ""
    risks: tuple[str, ...] = ()

    def problems(self, plan: PlanWeek | None) -> Problems:
        if plan is None:
            return {"week": f"must be from 1 to {WEEKS}"}
        errors = check_count("risks", self.risks) | check_count("progress", self.progress)
        known, seen = plan.goal_keys(), set()
        for i, line in enumerate(self.progress):
            if line.goal_key not in known:
                errors[f"progress[{i}].goal_key"] = (f"'{line.goal_key}' is not a goal of "
                                                     f"week {self.week}")
            elif line.goal_key in seen:
                errors[f"progress[{i}].goal_key"] = f"'{line.goal_key}' is given twice"
            seen.add(line.goal_key)
            if line.note:
                errors |= check_text(f"progress[{i}].note", line.note)
        if self.adjustments:
            errors |= check_text("adjustments", self.adjustments)
        for i, risk in enumerate(self.risks):
            errors |= check_text(f"risks[{i}]", risk)
        return errors


@dataclass(frozen=True)
class CheckedInBy:
    by: str  # the user who checked in
    at: datetime
    check_in: CheckIn


@dataclass(frozen=True)
class MidTermReview:
    summary: str
    decisions: tuple[str, ...] = ()

    def problems(self) -> Problems:
        errors = check_text("summary", self.summary) | check_count("decisions", self.decisions)
        for i, decision in enumerate(self.decisions):
            errors |= check_text(f"decisions[{i}]", decision)
        return errors


@dataclass(frozen=True)
class CreatorRequirements:
    """Week 1: what a creator wants to bring and needs from the brand, for legal to read
    when drafting their contract."""

    creator_id: str
    ideas: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()

    def problems(self) -> Problems:
        errors: Problems = {}
        if not self.ideas and not self.requirements:
            errors["ideas"] = "give at least one idea or requirement"
        for name in ("ideas", "requirements"):
            items: tuple[str, ...] = getattr(self, name)
            errors |= check_count(name, items)
            for i, text in enumerate(items):
                errors |= check_text(f"{name}[{i}]", text)
        return errors


@dataclass(frozen=True)
class Summary:
    """A monthly summary as recorded: its number, the moment its figures stand at, the
    document (plain JSON) and the SHA-256 of the document's canonical text."""

    number: int
    as_of: datetime
    document: dict[str, Any]
    digest: str
    by: str  # the user who asked for it
