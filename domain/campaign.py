"""Campaign: one brand push that contracts join, run on a four-week plan.

planned -> running -> reviewing -> closed, or cancelled (with its reason) before it
closes. Its brief and plan are edited until the review begins; ops check in on each
week while it runs, and hold one mid-term review. Before the contracts are drafted,
each creator's ideas and requirements are recorded here for legal to read. Which
contracts belong to it is kept on the contracts themselves (a contract is in one
campaign at a time), so joining and leaving show in the contract's history.
"""

from datetime import datetime
from enum import StrEnum
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.attributed import AttributedEvent, checked_reason, required_reason
from domain.campaign_plan import (
    WEEKS,
    Brief,
    CheckedInBy,
    CheckIn,
    CreatorRequirements,
    MidTermReview,
    PlanWeek,
    Summary,
    default_plan,
)
from domain.errors import HasStatus, InvalidValue


class CampaignStatus(StrEnum):
    PLANNED = "planned"
    RUNNING = "running"
    REVIEWING = "reviewing"
    CLOSED = "closed"
    CANCELLED = "cancelled"


EDITABLE = (CampaignStatus.PLANNED, CampaignStatus.RUNNING)
OPEN = (CampaignStatus.PLANNED, CampaignStatus.RUNNING, CampaignStatus.REVIEWING)
SUMMARISED = (CampaignStatus.RUNNING, CampaignStatus.REVIEWING, CampaignStatus.CLOSED)


class Campaign(Aggregate, HasStatus):
    class Event(AttributedEvent):
        pass

    class Planned(Event, Aggregate.Created):
        brand_id: str
        owner: str
        brief: Brief
        plan: tuple[PlanWeek, ...]

    class BriefRevised(Event):
        brief: Brief

    class WeekRevised(Event):
        week: PlanWeek

    class Started(Event):
        pass

    class ReviewBegun(Event):
        pass

    class Closed(Event):
        pass

    class Cancelled(Event):
        pass

    class CheckedIn(Event):
        check_in: CheckIn
        at: datetime

    class MidTermReviewed(Event):
        review: MidTermReview

    class RequirementsRecorded(Event):
        requirements: CreatorRequirements

    class HandedOver(Event):
        owner: str

    class SummaryRecorded(Event):
        summary: Summary

    @event(Planned)
    def __init__(self, actor: str, reason: str | None, brand_id: str, owner: str,
                 brief: Brief, plan: tuple[PlanWeek, ...]) -> None:
        self.brand_id, self.owner, self.brief, self.plan = brand_id, owner, brief, plan
        self.status = CampaignStatus.PLANNED
        self.check_ins: tuple[CheckedInBy, ...] = ()
        self.mid_term_review: MidTermReview | None = None
        self.requirements: dict[str, CreatorRequirements] = {}
        self.summaries: tuple[Summary, ...] = ()

    @classmethod
    def plan_campaign(cls, *, actor: str, brand_id: str, owner: str, brief: Brief,
                      plan: tuple[PlanWeek, ...] | None = None,
                      id: Any = None) -> "Campaign":
        weeks = plan if plan is not None else default_plan(brief.starts_on)
        errors = brief.problems() | _plan_problems(weeks)
        if errors:
            raise InvalidValue(errors)
        return cls._create(cls.Planned, id=id, actor=actor, reason=None, brand_id=brand_id,
                           owner=owner, brief=brief, plan=weeks)

    # The brief and the plan.

    def revise_brief(self, actor: str, brief: Brief, reason: str | None) -> None:
        self._require(self.status in EDITABLE, "revise the brief")
        errors = brief.problems()
        if errors:
            raise InvalidValue(errors)
        if brief != self.brief:
            self._brief_revised(actor=actor, reason=checked_reason(reason), brief=brief)

    def revise_week(self, actor: str, week: PlanWeek, reason: str | None) -> None:
        self._require(self.status in EDITABLE, "revise the plan")
        errors = week.problems()
        if errors:
            raise InvalidValue(errors)
        if week != self.week(week.number):
            self._week_revised(actor=actor, reason=checked_reason(reason), week=week)

    def week(self, number: int) -> PlanWeek | None:
        return next((w for w in self.plan if w.number == number), None)

    # The lifecycle.

    def start(self, actor: str, reason: str | None) -> None:
        self._require(self.status is CampaignStatus.PLANNED, "start the campaign")
        self._started(actor=actor, reason=checked_reason(reason))

    def begin_review(self, actor: str, reason: str | None) -> None:
        self._require(self.status is CampaignStatus.RUNNING, "begin the review")
        self._review_begun(actor=actor, reason=checked_reason(reason))

    def close(self, actor: str, reason: str | None) -> None:
        self._require(self.status is CampaignStatus.REVIEWING, "close the campaign",
                      "only a campaign under review closes")
        self._closed(actor=actor, reason=checked_reason(reason))

    def cancel(self, actor: str, reason: str | None) -> None:
        reason = required_reason(reason, "cancel a campaign")
        self._require(self.status in OPEN, "cancel the campaign")
        self._cancelled(actor=actor, reason=reason)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    # Running it.

    def check_in(self, actor: str, at: datetime, check_in: CheckIn) -> None:
        self._require(self.status is CampaignStatus.RUNNING, "check in",
                      "check-ins are for a running campaign")
        errors = check_in.problems(self.week(check_in.week))
        if errors:
            raise InvalidValue(errors)
        self._checked_in(actor=actor, reason=None, check_in=check_in, at=at)

    def review_mid_term(self, actor: str, review: MidTermReview) -> None:
        self._require(self.status is CampaignStatus.RUNNING, "hold the mid-term review")
        errors = review.problems()
        if errors:
            raise InvalidValue(errors)
        self._mid_term_reviewed(actor=actor, reason=None, review=review)

    def record_requirements(self, actor: str, requirements: CreatorRequirements) -> None:
        self._require(self.status in EDITABLE, "record a creator's requirements")
        errors = requirements.problems()
        if errors:
            raise InvalidValue(errors)
        if self.requirements.get(requirements.creator_id) != requirements:
            self._requirements_recorded(actor=actor, reason=None, requirements=requirements)

    def hand_over(self, actor: str, owner: str, reason: str | None) -> None:
        reason = required_reason(reason, "hand a campaign over")
        self._require(self.is_open, "hand the campaign over")
        if owner == self.owner:
            raise InvalidValue({"owner_id": "already owns this campaign"})
        self._handed_over(actor=actor, reason=reason, owner=owner)

    def record_summary(self, actor: str, as_of: datetime, now: datetime,
                       document: dict[str, Any], digest: str) -> None:
        """The next monthly summary, its figures as they stood at `as_of`."""
        self._require(self.status in SUMMARISED, "write a summary",
                      "a summary is written once the campaign runs")
        if as_of > now:
            raise InvalidValue({"as_of": "is in the future: a summary reports what happened"})
        if as_of < self.created_on:
            raise InvalidValue({"as_of": "is before the campaign was planned"})
        self._summary_recorded(actor=actor, reason=None, summary=Summary(
            len(self.summaries) + 1, as_of, document, digest, actor))

    def summary(self, number: int) -> Summary | None:
        return self.summaries[number - 1] if 1 <= number <= len(self.summaries) else None

    # What the events do.

    @event(BriefRevised)
    def _brief_revised(self, actor: str, reason: str | None, brief: Brief) -> None:
        self.brief = brief

    @event(WeekRevised)
    def _week_revised(self, actor: str, reason: str | None, week: PlanWeek) -> None:
        self.plan = tuple(week if w.number == week.number else w for w in self.plan)

    @event(Started)
    def _started(self, actor: str, reason: str | None) -> None:
        self.status = CampaignStatus.RUNNING

    @event(ReviewBegun)
    def _review_begun(self, actor: str, reason: str | None) -> None:
        self.status = CampaignStatus.REVIEWING

    @event(Closed)
    def _closed(self, actor: str, reason: str | None) -> None:
        self.status = CampaignStatus.CLOSED

    @event(Cancelled)
    def _cancelled(self, actor: str, reason: str | None) -> None:
        self.status = CampaignStatus.CANCELLED

    @event(CheckedIn)
    def _checked_in(self, actor: str, reason: str | None, check_in: CheckIn,
                    at: datetime) -> None:
        self.check_ins += (CheckedInBy(actor, at, check_in),)

    @event(MidTermReviewed)
    def _mid_term_reviewed(self, actor: str, reason: str | None,
                           review: MidTermReview) -> None:
        self.mid_term_review = review

    @event(RequirementsRecorded)
    def _requirements_recorded(self, actor: str, reason: str | None,
                               requirements: CreatorRequirements) -> None:
        self.requirements = {**self.requirements, requirements.creator_id: requirements}

    @event(SummaryRecorded)
    def _summary_recorded(self, actor: str, reason: str | None, summary: Summary) -> None:
        self.summaries += (summary,)

    @event(HandedOver)
    def _handed_over(self, actor: str, reason: str | None, owner: str) -> None:
        self.owner = owner


def _plan_problems(plan: tuple[PlanWeek, ...]) -> dict[str, str]:
    if sorted(w.number for w in plan) != list(range(1, WEEKS + 1)):
        return {"plan": f"give weeks 1 to {WEEKS}, each once"}
    errors: dict[str, str] = {}
    for i, week in enumerate(plan):
        errors |= week.problems(f"plan[{i}]")
    return errors
