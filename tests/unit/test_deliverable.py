"""Deliverables move from outline to acceptance; non-compliant drafts need legal's override."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domain.compliance import ViolationKind
from domain.deliverable import (
    ComplianceRules,
    DelayReason,
    Deliverable,
    DeliverableStatus,
    Stage,
)
from domain.errors import InvalidTransition, InvalidValue, NotPermitted
from domain.metrics import MetricSnapshot
from domain.money import Money
from domain.terms import ContractTerms
from tests.builders import valid_terms

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
RULES = ComplianceRules(required_disclosures=("#ad", "广告"),
                        approved_claims=("Hydrates for 24 hours",), claims_need_approval=True)
COMPLIANT = "Glow Serum hydrates for 24 hours. #ad 广告"


def owed(review_required: bool = True) -> Deliverable:
    term = ContractTerms.parse(valid_terms()).deliverables[0]
    if not review_required:
        term = replace(term, review_required=False)
    return Deliverable.owe(actor="system", brand_id="b", contract_id="c", creator_id="k",
                           term=term, index=1, rules=RULES)


def approved_draft() -> Deliverable:
    deliverable = owed()
    deliverable.submit("ops", Stage.OUTLINE, "Outline: morning routine. #ad 广告", TODAY)
    deliverable.approve("ops", Stage.OUTLINE)
    deliverable.submit("ops", Stage.DRAFT, COMPLIANT, TODAY)
    deliverable.approve("ops", Stage.DRAFT)
    return deliverable


def test_a_deliverable_goes_from_outline_to_acceptance() -> None:
    deliverable = approved_draft()

    deliverable.publish("ops", "https://www.douyin.com/video/123", NOW, now=NOW)
    deliverable.accept("ops")

    assert deliverable.status is DeliverableStatus.ACCEPTED
    assert [s.stage for s in deliverable.submissions] == [Stage.OUTLINE, Stage.DRAFT]


def test_changes_requested_send_the_outline_back_and_every_version_is_kept() -> None:
    deliverable = owed()
    deliverable.submit("ops", Stage.OUTLINE, "First idea #ad 广告", TODAY)

    deliverable.request_changes("ops", Stage.OUTLINE, "Show the texture on camera")
    deliverable.submit("ops", Stage.OUTLINE, "Second idea, texture close-up #ad 广告", TODAY)

    assert deliverable.status is DeliverableStatus.OUTLINE_SUBMITTED
    assert [s.number for s in deliverable.submissions] == [1, 2]


def test_a_non_compliant_draft_is_caught_and_recorded() -> None:
    deliverable = owed()
    deliverable.submit("ops", Stage.OUTLINE, "Outline #ad 广告", TODAY)
    deliverable.approve("ops", Stage.OUTLINE)

    submission = deliverable.submit("ops", Stage.DRAFT, "It cured my acne in 3 days!", TODAY)

    kinds = sorted(v.kind for v in submission.violations)
    assert kinds == [ViolationKind.MISSING_DISCLOSURE, ViolationKind.MISSING_DISCLOSURE,
                     ViolationKind.UNAPPROVED_CLAIM]


def test_only_legal_with_a_reason_approves_a_non_compliant_draft() -> None:
    deliverable = owed()
    deliverable.submit("ops", Stage.OUTLINE, "Outline #ad 广告", TODAY)
    deliverable.approve("ops", Stage.OUTLINE)
    deliverable.submit("ops", Stage.DRAFT, "Best serum ever", TODAY)

    with pytest.raises(NotPermitted, match="only legal"):
        deliverable.approve("ops", Stage.DRAFT)
    with pytest.raises(InvalidValue, match="reason"):
        deliverable.approve("legal", Stage.DRAFT, override_reason="", may_override=True)
    deliverable.approve("legal", Stage.DRAFT, override_reason="Disclosure is in the caption",
                        may_override=True)

    assert deliverable.status is DeliverableStatus.DRAFT_APPROVED


def test_publication_needs_an_approved_draft_unless_review_is_not_required() -> None:
    reviewed, unreviewed = owed(), owed(review_required=False)

    with pytest.raises(InvalidTransition):
        reviewed.publish("ops", "https://x.example/p/1", NOW, now=NOW)
    unreviewed.publish("ops", "https://x.example/p/1", NOW, now=NOW)

    assert unreviewed.status is DeliverableStatus.PUBLISHED


def test_publication_needs_a_real_url_and_a_past_time() -> None:
    deliverable = approved_draft()

    with pytest.raises(InvalidValue) as refused:
        deliverable.publish("ops", "not a url", NOW + timedelta(days=1), now=NOW)

    assert set(refused.value.errors) == {"url", "published_at"}


def test_waiving_or_cancelling_needs_a_reason_and_ends_the_deliverable() -> None:
    deliverable = owed()

    with pytest.raises(InvalidValue):
        deliverable.waive("legal", reason=None)
    deliverable.waive("legal", reason="Creator moved the post to next campaign")

    with pytest.raises(InvalidTransition):
        deliverable.submit("ops", Stage.OUTLINE, "Late outline #ad 广告", TODAY)


def test_ops_extends_within_the_buffer_and_legal_beyond_it() -> None:
    term = ContractTerms.parse(valid_terms()).deliverables[0]
    deliverable = Deliverable.owe(actor="system", brand_id="b", contract_id="c", creator_id="k",
                                  term=term, index=1, rules=RULES, buffer_days=3)

    deliverable.extend_due_date("ops", 2, DelayReason.SHIPMENT_DELAY, "Samples held at customs")
    with pytest.raises(NotPermitted, match="beyond the contract's 3 buffer days"):
        deliverable.extend_due_date("ops", 2, DelayReason.CREATOR_REQUEST, None)
    deliverable.extend_due_date("legal", 2, DelayReason.CREATOR_REQUEST, "Creator ill",
                                may_exceed_buffer=True)

    assert deliverable.due_date == term.due_date + timedelta(days=4)
    assert not deliverable.is_overdue(term.due_date + timedelta(days=4))
    assert deliverable.is_overdue(term.due_date + timedelta(days=5))


def test_a_published_deliverable_is_never_overdue_and_cannot_be_extended() -> None:
    deliverable = approved_draft()
    deliverable.publish("ops", "https://www.douyin.com/video/1", NOW, now=NOW)

    with pytest.raises(InvalidTransition):
        deliverable.extend_due_date("legal", 1, DelayReason.APPROVAL_DELAY, None, True)
    assert not deliverable.is_overdue(deliverable.due_date + timedelta(days=99))


def test_a_submission_is_due_for_review_within_the_contracts_review_days() -> None:
    term = ContractTerms.parse(valid_terms()).deliverables[0]
    deliverable = Deliverable.owe(actor="system", brand_id="b", contract_id="c", creator_id="k",
                                  term=term, index=1, rules=RULES, review_days=2)

    submission = deliverable.submit("ops", Stage.OUTLINE, "Outline #ad 广告", TODAY)

    assert submission.review_due == TODAY + timedelta(days=2)
    assert not deliverable.review_is_overdue(TODAY + timedelta(days=2))
    assert deliverable.review_is_overdue(TODAY + timedelta(days=3))
    deliverable.approve("ops", Stage.OUTLINE)
    assert not deliverable.review_is_overdue(TODAY + timedelta(days=30))


def test_a_proposed_extension_is_granted_within_the_buffer_rules() -> None:
    term = ContractTerms.parse(valid_terms()).deliverables[0]
    deliverable = Deliverable.owe(actor="system", brand_id="b", contract_id="c", creator_id="k",
                                  term=term, index=1, rules=RULES, buffer_days=3)

    proposal = deliverable.propose_extension("system", 5, DelayReason.SHIPMENT_DELAY,
                                             "shipment s1 delayed")
    assert proposal is not None and proposal.days == 5
    with pytest.raises(NotPermitted, match="legal must approve"):
        deliverable.grant_extension("ops", proposal.number, None)
    deliverable.grant_extension("legal", proposal.number, "Customs hold", may_exceed_buffer=True)

    assert deliverable.due_date == term.due_date + timedelta(days=5)
    assert deliverable.open_proposals == ()
    with pytest.raises(InvalidValue, match="proposal"):
        deliverable.grant_extension("legal", proposal.number, None, may_exceed_buffer=True)


def test_the_same_cause_proposes_once_and_a_declined_proposal_changes_no_date() -> None:
    deliverable = owed()
    first = deliverable.propose_extension("system", 2, DelayReason.SHIPMENT_DELAY, "s1 v3")

    assert deliverable.propose_extension("system", 2, DelayReason.SHIPMENT_DELAY, "s1 v3") is None
    assert first is not None
    with pytest.raises(InvalidValue):
        deliverable.decline_extension("ops", first.number, None)
    deliverable.decline_extension("ops", first.number, "The creator has spare stock")

    assert deliverable.due_date == deliverable.term.due_date
    assert deliverable.open_proposals == ()


def test_a_published_deliverable_takes_no_proposals() -> None:
    deliverable = approved_draft()
    deliverable.publish("ops", "https://www.douyin.com/video/1", NOW, now=NOW)

    assert deliverable.propose_extension("system", 2, DelayReason.SHIPMENT_DELAY, "s1") is None


def test_metric_snapshots_are_appended_for_published_content_only() -> None:
    deliverable = approved_draft()
    snapshot = MetricSnapshot("douyin export", NOW, {"views": 12400, "likes": 800},
                              Money(99900, "CNY"))
    with pytest.raises(InvalidTransition):
        deliverable.record_metrics("ops", snapshot, NOW)
    deliverable.publish("ops", "https://www.douyin.com/video/1", NOW, now=NOW)

    assert deliverable.record_metrics("ops", snapshot, NOW)
    later = replace(snapshot, measured_at=NOW + timedelta(hours=1), counts={"views": 15000})
    assert deliverable.record_metrics("ops", later, NOW + timedelta(hours=1))
    assert not deliverable.record_metrics("ops", snapshot, NOW + timedelta(hours=1))

    assert deliverable.metrics == (snapshot, later)


@pytest.mark.parametrize(("snapshot", "field"), [
    (MetricSnapshot("", NOW, {"views": 1}), "source"),
    (MetricSnapshot("manual", NOW + timedelta(days=1), {"views": 1}), "measured_at"),
    (MetricSnapshot("manual", NOW.replace(tzinfo=None), {"views": 1}), "measured_at"),
    (MetricSnapshot("manual", NOW, {"impressions": 1}), "counts.impressions"),
    (MetricSnapshot("manual", NOW, {"views": -1}), "counts.views"),
    (MetricSnapshot("manual", NOW, {"views": True}), "counts.views"),
    (MetricSnapshot("manual", NOW, {}), "counts"),
    (MetricSnapshot("manual", NOW, {"orders": 1}, Money(100, "XYZ")), "revenue.currency"),
])
def test_a_bad_snapshot_is_refused_with_the_field_at_fault(snapshot: MetricSnapshot,
                                                           field: str) -> None:
    deliverable = approved_draft()
    deliverable.publish("ops", "https://www.douyin.com/video/1", NOW, now=NOW)

    with pytest.raises(InvalidValue) as refused:
        deliverable.record_metrics("ops", snapshot, NOW)

    assert field in refused.value.errors
    assert deliverable.metrics == ()


def test_a_publication_dated_before_the_contract_existed_is_refused() -> None:
    deliverable = approved_draft()

    with pytest.raises(InvalidValue, match="before the contract existed"):
        deliverable.publish("ops", "https://x.example/p/1", NOW - timedelta(days=121),
                            now=NOW, contract_drafted_at=NOW - timedelta(days=30))
    deliverable.publish("ops", "https://x.example/p/1", NOW - timedelta(days=40), now=NOW,
                        contract_drafted_at=NOW - timedelta(days=30))  # entered late
