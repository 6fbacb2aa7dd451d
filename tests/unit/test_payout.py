"""Payouts: due by their trigger, released by one person and approved by another, paid once."""

import pytest

from domain.errors import InvalidTransition, InvalidValue, NotPermitted
from domain.money import Money
from domain.obligations import Milestone, MilestoneTrigger
from domain.payout import Payout, PayoutStatus, Rail, Standing, idempotency_key

MILESTONE = Milestone("accepted", "Video accepted", 50_000,
                      MilestoneTrigger.ON_DELIVERABLE_ACCEPTED, deliverable_key="video-1")


def scheduled() -> Payout:
    return Payout.schedule(actor="system", brand_id="b", contract_id="c", creator_id="k",
                           milestone=MILESTONE, currency="CNY")


def approved(rail: Rail = Rail.STRIPE) -> Payout:
    payout = scheduled()
    payout.fall_due("system", "deliverable video-1 #1 accepted")
    payout.request_release("maker", rail, approvals_needed=1)
    payout.approve("checker")
    return payout


def test_a_payout_is_released_approved_submitted_and_paid() -> None:
    payout = approved()

    attempt = payout.submit("processor")
    payout.record_payment("processor", "tr_123")

    assert payout.status is PayoutStatus.PAID and payout.reference == "tr_123"
    assert attempt.number == 1
    assert attempt.idempotency_key == idempotency_key(str(payout.id), 1)
    assert payout.amount == Money(50_000, "CNY")


def test_the_requester_cannot_approve_nor_can_one_approver_count_twice() -> None:
    payout = scheduled()
    payout.fall_due("system", "accepted")
    payout.request_release("maker", Rail.STRIPE, approvals_needed=2)

    with pytest.raises(NotPermitted, match="maker-checker"):
        payout.approve("maker")
    payout.approve("checker-1")
    with pytest.raises(NotPermitted, match="another"):
        payout.approve("checker-1")
    assert payout.status is PayoutStatus.RELEASE_REQUESTED
    payout.approve("checker-2")

    assert payout.status is PayoutStatus.APPROVED
    assert payout.approved_by == ("checker-1", "checker-2")


def test_nothing_is_released_before_it_falls_due_and_falling_due_twice_is_harmless() -> None:
    payout = scheduled()

    with pytest.raises(InvalidTransition):
        payout.request_release("maker", Rail.STRIPE, 1)
    assert payout.fall_due("system", "first")
    assert not payout.fall_due("system", "second")
    assert payout.due_cause == "first"


def test_a_failed_attempt_is_retried_with_a_new_idempotency_key() -> None:
    payout = approved()
    first = payout.submit("processor")
    with pytest.raises(InvalidTransition):
        payout.record_failure("processor", 2, "x", "not this attempt")
    payout.record_failure("processor", 1, "account_invalid", "No such destination")
    with pytest.raises(InvalidValue):
        payout.allow_retry("finance", None)
    payout.allow_retry("finance", "Creator fixed the account")

    second = payout.submit("processor")

    assert payout.status is PayoutStatus.SUBMITTED
    assert second.number == 2 and second.idempotency_key != first.idempotency_key


def test_a_hold_keeps_the_payout_where_it_was_until_released() -> None:
    payout = approved()
    payout.hold("finance", "Creator's account cannot receive transfers yet")

    with pytest.raises(InvalidTransition):
        payout.submit("processor")
    payout.release_hold("finance", "Onboarding completed")

    assert payout.status is PayoutStatus.APPROVED


def test_a_payout_falling_due_while_held_is_due_once_released() -> None:
    payout = scheduled()
    payout.hold("finance", "Dispute")
    payout.fall_due("system", "accepted")
    assert payout.status is PayoutStatus.HELD
    payout.release_hold("finance", "Settled")

    assert payout.status is PayoutStatus.DUE


def test_an_adjustment_after_approval_voids_the_approvals() -> None:
    payout = approved()

    payout.adjust("system", Money(30_000, "CNY"), "Make-good: views under 200k",
                  cause="make-good rule views breached")

    assert payout.status is PayoutStatus.DUE and payout.approved_by == ()
    assert payout.amount == Money(30_000, "CNY")
    with pytest.raises(InvalidValue):
        payout.adjust("system", Money(10, "USD"), "Wrong", cause="x")
    with pytest.raises(InvalidValue):
        payout.adjust("system", Money(-1, "CNY"), "Below zero", cause="x")


def test_money_on_its_way_is_neither_waived_nor_adjusted_but_may_be_reversed() -> None:
    payout = approved()
    payout.submit("processor")

    for change in (lambda: payout.waive("finance", "No"),
                   lambda: payout.adjust("finance", Money(1, "CNY"), "No", "x")):
        with pytest.raises(InvalidTransition):
            change()
    payout.record_payment("processor", "tr_1")
    payout.reverse("stripe", Money(50_000, "CNY"), "trr_1", "Creator refunded")

    assert payout.status is PayoutStatus.REVERSED


def test_an_offline_payment_is_recorded_after_approval_with_reference_and_proof() -> None:
    payout = approved(Rail.WECHAT_PAY)

    with pytest.raises(InvalidValue, match="proof"):
        payout.record_payment("finance", "4200001234", None)
    payout.record_payment("finance", "4200001234", "WeChat Pay receipt, finance drive")

    assert payout.status is PayoutStatus.PAID


def test_a_stripe_payout_is_not_marked_paid_by_hand_before_submission() -> None:
    payout = approved(Rail.STRIPE)

    with pytest.raises(InvalidTransition):
        payout.record_payment("finance", "tr_fake", "trust me")


def test_an_adjustment_whose_cause_was_withdrawn_is_given_back_once() -> None:
    payout = scheduled()
    payout.adjust("system", Money(20_000, "CNY"), "Make-good views: 60 % off", "rule breached")
    payout.adjust("finance", Money(19_000, "CNY"), "Returned sample", "sample not returned")

    undone = payout.undo_adjustment("system", "rule breached", "rule waived", "Waived")
    again = payout.undo_adjustment("system", "rule breached", "rule waived", "Waived")
    unknown = payout.undo_adjustment("system", "no such cause", "withdrawn", "Withdrawn")

    assert (undone, again, unknown) == (True, False, False)
    assert payout.amount == Money(49_000, "CNY")  # the other adjustment stands


def test_an_adjustment_given_back_while_the_money_is_on_its_way_is_owed_once_paid() -> None:
    payout = approved()
    payout.adjust("system", Money(20_000, "CNY"), "Make-good views: 60 % off", "rule breached")
    payout.request_release("maker", Rail.STRIPE, approvals_needed=1)
    payout.approve("checker")
    payout.submit("processor")

    undone = payout.undo_adjustment("system", "rule breached", "rule waived", "Waived")
    payout.record_payment("processor", "tr_1")

    assert undone and payout.amount == Money(20_000, "CNY")
    assert payout.owed_back == -30_000  # the creator is owed what the waiver gave back
    assert not payout.undo_adjustment("system", "rule breached", "rule waived", "Waived")


def test_a_payout_whose_milestone_left_the_terms_is_waived_unless_money_may_be_on_its_way(
        ) -> None:
    due, submitted, held_in_flight, paid = approved(), approved(), approved(), approved()
    for payout in (submitted, held_in_flight, paid):
        payout.submit("processor")
    held_in_flight.hold("finance", "Dispute")
    paid.record_payment("processor", "tr_1")

    assert due.milestone_removed("system", "Milestone removed (amendment)")
    assert due.status is PayoutStatus.WAIVED and due.is_settled
    for kept in (submitted, held_in_flight, paid):
        assert not kept.milestone_removed("system", "Milestone removed (amendment)")
    assert (submitted.status, held_in_flight.status, paid.status) == (
        PayoutStatus.SUBMITTED, PayoutStatus.HELD, PayoutStatus.PAID)
    assert paid.is_settled and not submitted.is_settled


def test_a_hold_remembers_where_the_payout_was_and_what_happened_to_it_meanwhile() -> None:
    in_flight = Standing(PayoutStatus.SUBMITTED).held()

    assert in_flight == Standing(PayoutStatus.HELD, PayoutStatus.SUBMITTED)
    assert in_flight.failed().released() == Standing(PayoutStatus.FAILED)
    assert in_flight.paid() == Standing(PayoutStatus.PAID)  # the hold ends with payment
    assert Standing(PayoutStatus.SCHEDULED).held().became_due().released() == \
        Standing(PayoutStatus.DUE)
    assert Standing(PayoutStatus.APPROVED).held().adjusted() == \
        Standing(PayoutStatus.HELD, PayoutStatus.DUE)  # approvals were for the old amount
    assert Standing(PayoutStatus.RELEASE_REQUESTED).approved(enough=False) == \
        Standing(PayoutStatus.RELEASE_REQUESTED)
