"""Deliverable: one piece of content owed under an active contract.

pending -> outline_submitted -> outline_approved -> draft_submitted -> draft_approved
-> published -> accepted, with changes requested on outline and draft (back to the
creator), and waived or cancelled (with a reason) while not yet accepted. Every
submission is kept, with the result of its compliance check.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple

from eventsourcing.domain import Aggregate, event

from domain.attributed import AttributedEvent, checked_reason, required_reason
from domain.compliance import Violation, check
from domain.errors import HasStatus, InvalidValue, NotPermitted
from domain.metrics import MetricSnapshot
from domain.obligations import DeliverableTerm, Tracking
from domain.rules import check_url
from domain.tracking import landing_link

MAX_CONTENT_LENGTH = 50_000
MAX_EXTENSION_DAYS = 365
# A campaign already running may be entered after the fact: its contract is drafted in
# kolpact after content went live, but not this long after.
RECORDED_LATE = timedelta(days=90)
DEFAULT_REVIEW_DAYS = 3  # the brand answers a submission within this many days


class DeliverableStatus(StrEnum):
    PENDING = "pending"
    OUTLINE_SUBMITTED = "outline_submitted"
    OUTLINE_CHANGES_REQUESTED = "outline_changes_requested"
    OUTLINE_APPROVED = "outline_approved"
    DRAFT_SUBMITTED = "draft_submitted"
    DRAFT_CHANGES_REQUESTED = "draft_changes_requested"
    DRAFT_APPROVED = "draft_approved"
    PUBLISHED = "published"
    ACCEPTED = "accepted"
    WAIVED = "waived"
    CANCELLED = "cancelled"


S = DeliverableStatus
CLOSED = (S.ACCEPTED, S.WAIVED, S.CANCELLED)


def all_done(items: "list[Deliverable]") -> bool:
    """Every item of a deliverable is closed and at least one was accepted: what a
    milestone paid on its acceptance waits for."""
    return all(d.status in CLOSED for d in items) and \
        any(d.status is S.ACCEPTED for d in items)
AWAITING_REVIEW = (S.OUTLINE_SUBMITTED, S.DRAFT_SUBMITTED)
LIVE = (S.PUBLISHED, S.ACCEPTED)  # content is out there and can be measured


class DelayReason(StrEnum):
    SHIPMENT_DELAY = "shipment_delay"
    PAYMENT_DELAY = "payment_delay"
    APPROVAL_DELAY = "approval_delay"
    PRODUCTION_DELAY = "production_delay"
    CREATOR_REQUEST = "creator_request"


class Stage(StrEnum):
    OUTLINE = "outline"
    DRAFT = "draft"


class Steps(NamedTuple):
    """The statuses one review stage moves through."""

    submit_from: tuple[DeliverableStatus, ...]
    submitted: DeliverableStatus
    changes_requested: DeliverableStatus
    approved: DeliverableStatus


FLOW = {
    Stage.OUTLINE: Steps((S.PENDING, S.OUTLINE_CHANGES_REQUESTED), S.OUTLINE_SUBMITTED,
                         S.OUTLINE_CHANGES_REQUESTED, S.OUTLINE_APPROVED),
    Stage.DRAFT: Steps((S.OUTLINE_APPROVED, S.DRAFT_CHANGES_REQUESTED), S.DRAFT_SUBMITTED,
                       S.DRAFT_CHANGES_REQUESTED, S.DRAFT_APPROVED),
}


@dataclass(frozen=True)
class ComplianceRules:
    """What the contract's terms require of every outline and draft."""

    required_disclosures: tuple[str, ...] = ()
    approved_claims: tuple[str, ...] = ()
    claims_need_approval: bool = False  # the terms flag health or finance
    forbidden_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Submission:
    stage: Stage
    number: int  # 1, 2, ... across the deliverable's submissions
    content: str
    violations: tuple[Violation, ...]
    review_due: date | None = None  # the brand's answer is due by the end of this day


@dataclass(frozen=True)
class ExtensionProposal:
    """A due-date extension suggested by something that happened, waiting for a decision."""

    number: int
    days: int
    category: DelayReason
    cause: str  # what prompted it, e.g. a delayed shipment


class Deliverable(Aggregate, HasStatus):
    class Event(AttributedEvent):
        pass

    class Created(Event, Aggregate.Created):
        brand_id: str
        contract_id: str
        creator_id: str
        term: DeliverableTerm
        index: int  # which of the term's quantity this is, from 1
        rules: ComplianceRules
        buffer_days: int = 0  # extensions up to this many days in all need no legal sign-off
        review_days: int = DEFAULT_REVIEW_DAYS
        campaign: str | None = None
        tracking: Tracking | None = None  # where its tracked link points

    class Submitted(Event):
        submission: Submission

    class DueDateExtended(Event):
        days: int
        category: DelayReason
        due_date: date
        proposal: int | None = None  # the proposal it grants, if any

    class ExtensionProposed(Event):
        proposal: ExtensionProposal

    class ExtensionDeclined(Event):
        proposal: int

    class MetricsRecorded(Event):
        snapshot: MetricSnapshot

    class ChangesRequested(Event):
        stage: Stage

    class Approved(Event):
        stage: Stage

    class Published(Event):
        url: str
        published_at: datetime

    class Accepted(Event):
        pass

    class Waived(Event):
        pass

    class Cancelled(Event):
        pass

    @event(Created)
    def __init__(self, actor: str, reason: str | None, brand_id: str, contract_id: str,
                 creator_id: str, term: DeliverableTerm, index: int,
                 rules: ComplianceRules, buffer_days: int = 0,
                 review_days: int = DEFAULT_REVIEW_DAYS, campaign: str | None = None,
                 tracking: Tracking | None = None) -> None:
        self.brand_id, self.contract_id, self.creator_id = brand_id, contract_id, creator_id
        self.term, self.index, self.rules = term, index, rules
        self.buffer_days, self.due_date, self.extended_days = buffer_days, term.due_date, 0
        self.review_days, self.campaign, self.tracking = review_days, campaign, tracking
        self.status = S.PENDING
        self.submissions: tuple[Submission, ...] = ()
        self.url: str | None = None
        self.published_at: datetime | None = None
        self.proposals: tuple[ExtensionProposal, ...] = ()  # every one ever made
        self.open_proposals: tuple[int, ...] = ()  # numbers not yet granted or declined
        self.metrics: tuple[MetricSnapshot, ...] = ()

    @classmethod
    def owe(cls, *, actor: str, brand_id: str, contract_id: str, creator_id: str,
            term: DeliverableTerm, index: int, rules: ComplianceRules, buffer_days: int = 0,
            review_days: int = DEFAULT_REVIEW_DAYS, campaign: str | None = None,
            tracking: Tracking | None = None, id: Any = None) -> "Deliverable":
        return cls._create(cls.Created, id=id, actor=actor, reason=None, brand_id=brand_id,
                           contract_id=contract_id, creator_id=creator_id, term=term,
                           index=index, rules=rules, buffer_days=buffer_days,
                           review_days=review_days, campaign=campaign, tracking=tracking)

    def submit(self, actor: str, stage: Stage, content: str, today: date) -> Submission:
        """Records an outline or draft with its compliance check, and returns both.
        The brand's review is due within the contract's review days."""
        self._require(self.status in FLOW[stage].submit_from, f"submit a {stage.value}")
        if not content.strip() or len(content) > MAX_CONTENT_LENGTH:
            raise InvalidValue({"content": f"must be 1-{MAX_CONTENT_LENGTH} characters"})
        report = check(content, required_disclosures=self.rules.required_disclosures,
                       approved_claims=self.rules.approved_claims,
                       claims_need_approval=self.rules.claims_need_approval,
                       forbidden_terms=self.rules.forbidden_terms)
        submission = Submission(stage, len(self.submissions) + 1, content, report.violations,
                                today + timedelta(days=self.review_days))
        self._submitted(actor=actor, reason=None, submission=submission)
        return submission

    def tracked_link(self) -> str | None:
        """Where this deliverable's tracking code leads, if the terms set up tracking."""
        if self.tracking is None:
            return None
        return landing_link(self.tracking, deliverable_id=str(self.id), campaign=self.campaign,
                            creator_id=self.creator_id, deliverable_key=self.term.key,
                            index=self.index, platform=self.term.platform.value)

    def review_is_overdue(self, today: date) -> bool:
        due = self.submissions[-1].review_due if self.submissions else None
        return self.status in AWAITING_REVIEW and due is not None and today > due

    def request_changes(self, actor: str, stage: Stage, comments: str | None) -> None:
        self._require(self.status is FLOW[stage].submitted, f"request changes to the {stage.value}")
        self._changes_requested(actor=actor, reason=required_reason(
            comments, "request changes (say what to change)"), stage=stage)

    def approve(self, actor: str, stage: Stage, override_reason: str | None = None,
                may_override: bool = False) -> None:
        self._require(self.status is FLOW[stage].submitted, f"approve the {stage.value}")
        if self.submissions[-1].violations:
            if not may_override:
                raise NotPermitted(f"This {stage.value} failed its compliance check; only "
                                   "legal may approve it, with an override reason.")
            override_reason = required_reason(override_reason,
                                              f"approve a non-compliant {stage.value}")
        self._approved(actor=actor, reason=checked_reason(override_reason), stage=stage)

    def publish(self, actor: str, url: str, published_at: datetime, now: datetime,
                contract_drafted_at: datetime | None = None) -> None:
        ready = S.DRAFT_APPROVED if self.term.review_required else S.PENDING
        self._require(self.status in (ready, S.DRAFT_APPROVED), "record publication")
        errors = check_url("url", url)
        if published_at > now:
            errors["published_at"] = "is in the future"
        elif contract_drafted_at is not None and \
                published_at < contract_drafted_at - RECORDED_LATE:
            errors["published_at"] = (
                f"is before the contract existed: more than {RECORDED_LATE.days} days "
                f"before it was drafted ({contract_drafted_at.date().isoformat()})")
        if errors:
            raise InvalidValue(errors)
        self._published(actor=actor, reason=None, url=url, published_at=published_at)

    def extend_due_date(self, actor: str, days: int, category: DelayReason,
                        reason: str | None, may_exceed_buffer: bool = False) -> None:
        """Within the contract's buffer days ops may extend; beyond them only legal."""
        self._check_extension(days, may_exceed_buffer)
        self._due_date_extended(actor=actor, reason=checked_reason(reason), days=days,
                                category=category,
                                due_date=self.due_date + timedelta(days=days))

    def takes_extensions(self) -> bool:
        return self.status not in (*CLOSED, S.PUBLISHED)

    def _check_extension(self, days: int, may_exceed_buffer: bool) -> None:
        self._require(self.takes_extensions(), "extend the due date")
        if days < 1 or days > MAX_EXTENSION_DAYS:
            raise InvalidValue({"days": f"must be 1-{MAX_EXTENSION_DAYS}"})
        if self.extended_days + days > self.buffer_days and not may_exceed_buffer:
            raise NotPermitted(
                f"Extensions would total {self.extended_days + days} days, beyond the "
                f"contract's {self.buffer_days} buffer days: legal must approve this one.")

    def propose_extension(self, actor: str, days: int, category: DelayReason,
                          cause: str) -> ExtensionProposal | None:
        """Suggests more time because of something that happened (say, a delayed
        shipment); ops or legal then grant or decline it. One proposal per cause."""
        if not self.takes_extensions() or any(p.cause == cause for p in self.proposals):
            return None
        proposal = ExtensionProposal(len(self.proposals) + 1,
                                     min(max(days, 1), MAX_EXTENSION_DAYS), category, cause)
        self._extension_proposed(actor=actor, reason=None, proposal=proposal)
        return proposal

    def grant_extension(self, actor: str, number: int, reason: str | None,
                        may_exceed_buffer: bool = False) -> None:
        proposal = self._open_proposal(number)
        self._check_extension(proposal.days, may_exceed_buffer)
        self._due_date_extended(actor=actor, reason=checked_reason(reason), days=proposal.days,
                                category=proposal.category,
                                due_date=self.due_date + timedelta(days=proposal.days),
                                proposal=number)

    def decline_extension(self, actor: str, number: int, reason: str | None) -> None:
        reason = required_reason(reason, "decline an extension")
        self._open_proposal(number)
        self._extension_declined(actor=actor, reason=reason, proposal=number)

    def _open_proposal(self, number: int) -> ExtensionProposal:
        if number not in self.open_proposals:
            raise InvalidValue({"proposal": f"no open extension proposal number {number}"})
        return self.proposals[number - 1]

    def record_metrics(self, actor: str, snapshot: MetricSnapshot, now: datetime) -> bool:
        """Appends what the content had achieved at one moment; nothing is overwritten.
        The same snapshot again (a re-imported file) is recognised and not repeated."""
        self._require(self.status in LIVE, "record metrics (it is not published)")
        errors = snapshot.problems(now)
        if errors:
            raise InvalidValue(errors)
        if snapshot in self.metrics:
            return False
        self._metrics_recorded(actor=actor, reason=None, snapshot=snapshot)
        return True

    def latest_counts(self) -> dict[str, int]:
        """Each metric's latest figure (they are cumulative), whichever snapshot gave it."""
        counts: dict[str, int] = {}
        for snapshot in sorted(self.metrics, key=lambda s: s.measured_at):
            counts |= snapshot.counts
        return dict(sorted(counts.items()))

    def is_overdue(self, today: date) -> bool:
        """Past the (extended) due date and not yet published."""
        return today > self.due_date and self.status not in (*CLOSED, S.PUBLISHED)

    def accept(self, actor: str) -> None:
        self._require(self.status is S.PUBLISHED, "accept")
        self._accepted(actor=actor, reason=None)

    def waive(self, actor: str, reason: str | None) -> None:
        reason = required_reason(reason, "waive a deliverable")
        self._require(self.status not in CLOSED, "waive")
        self._waived(actor=actor, reason=reason)

    def cancel(self, actor: str, reason: str | None) -> None:
        reason = required_reason(reason, "cancel a deliverable")
        self._require(self.status not in CLOSED, "cancel")
        self._cancelled(actor=actor, reason=reason)


    @event(Submitted)
    def _submitted(self, actor: str, reason: str | None, submission: Submission) -> None:
        self.submissions = (*self.submissions, submission)
        self.status = FLOW[submission.stage].submitted

    @event(DueDateExtended)
    def _due_date_extended(self, actor: str, reason: str | None, days: int,
                           category: DelayReason, due_date: date,
                           proposal: int | None = None) -> None:
        self.due_date, self.extended_days = due_date, self.extended_days + days
        self.open_proposals = tuple(n for n in self.open_proposals if n != proposal)

    @event(ExtensionProposed)
    def _extension_proposed(self, actor: str, reason: str | None,
                            proposal: ExtensionProposal) -> None:
        self.proposals = (*self.proposals, proposal)
        self.open_proposals = (*self.open_proposals, proposal.number)

    @event(ExtensionDeclined)
    def _extension_declined(self, actor: str, reason: str | None, proposal: int) -> None:
        self.open_proposals = tuple(n for n in self.open_proposals if n != proposal)

    @event(MetricsRecorded)
    def _metrics_recorded(self, actor: str, reason: str | None,
                          snapshot: MetricSnapshot) -> None:
        self.metrics = (*self.metrics, snapshot)

    @event(ChangesRequested)
    def _changes_requested(self, actor: str, reason: str | None, stage: Stage) -> None:
        self.status = FLOW[stage].changes_requested

    @event(Approved)
    def _approved(self, actor: str, reason: str | None, stage: Stage) -> None:
        self.status = FLOW[stage].approved

    @event(Published)
    def _published(self, actor: str, reason: str | None, url: str,
                   published_at: datetime) -> None:
        self.status, self.url, self.published_at = S.PUBLISHED, url, published_at

    @event(Accepted)
    def _accepted(self, actor: str, reason: str | None) -> None:
        self.status = S.ACCEPTED

    @event(Waived)
    def _waived(self, actor: str, reason: str | None) -> None:
        self.status = S.WAIVED

    @event(Cancelled)
    def _cancelled(self, actor: str, reason: str | None) -> None:
        self.status = S.CANCELLED
