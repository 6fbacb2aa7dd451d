"""Changes of amount that land while money is on its way, and maker-checker after them."""

import pytest

from domain.errors import InvalidTransition, InvalidValue
from domain.money import Money
from domain.payout import Payout, PayoutStatus, Rail
from tests.unit.test_payout import approved, scheduled

P = PayoutStatus
CUT = "make-good rule views breached"


def submitted() -> Payout:
    payout = approved()
    payout.submit("processor")
    return payout


def test_adjusting_a_failed_payout_voids_its_approvals() -> None:
    payout = submitted()
    payout.record_failure("processor", 1, "balance_insufficient", "Top up")

    payout.adjust("requester", Money(900_000, "CNY"), "Raised", "finance correction")

    assert payout.status is P.DUE and payout.approved_by == ()
    with pytest.raises(InvalidTransition):
        payout.allow_retry("requester", "Pay the new amount")


def test_adjusting_a_held_failed_payout_leaves_it_due_once_released() -> None:
    payout = submitted()
    payout.record_failure("processor", 1, "balance_insufficient", "Top up")
    payout.hold("finance", "Checking the amount")

    payout.adjust("finance", Money(40_000, "CNY"), "Corrected", "finance correction")
    payout.release_hold("finance", "Checked")

    assert payout.status is P.DUE and payout.approved_by == ()


def test_a_submitted_payout_may_be_held_and_is_then_neither_waived_nor_adjusted() -> None:
    payout = submitted()

    payout.hold("finance", "Stripe keeps answering 500")

    assert payout.status is P.HELD and payout.money_may_be_on_its_way
    for change in (lambda: payout.waive("finance", "No"),
                   lambda: payout.adjust("finance", Money(1, "CNY"), "No", "x")):
        with pytest.raises(InvalidTransition):
            change()
    payout.release_hold("finance", "Stripe is back")
    assert payout.status is P.SUBMITTED


def test_an_answer_that_arrives_while_held_is_still_recorded() -> None:
    paid, failed = submitted(), submitted()
    paid.hold("finance", "Wait")
    failed.hold("finance", "Wait")

    paid.record_payment("processor", "tr_1")
    failed.record_failure("processor", 1, "account_closed", "Closed")

    assert paid.status is P.PAID and paid.hold_reason is None
    assert failed.status is P.HELD and failed.held_from is P.FAILED


def test_a_cut_while_submitted_waits_and_is_taken_off_if_the_attempt_fails() -> None:
    payout = submitted()

    how = payout.take_off("system", 12_500, "Views under target", CUT)
    assert how == "deferred" and payout.amount == Money(50_000, "CNY")
    payout.record_failure("processor", 1, "account_closed", "Closed")

    assert payout.amount == Money(37_500, "CNY")
    assert payout.status is P.DUE and payout.approved_by == ()  # approve the new amount
    assert payout.deferred == () and payout.change_for(CUT) == -12_500


def test_a_cut_while_submitted_is_owed_back_if_the_attempt_paid() -> None:
    payout = submitted()

    payout.take_off("system", 12_500, "Views under target", CUT)
    payout.record_payment("processor", "tr_1")

    assert payout.status is P.PAID and payout.owed_back == 12_500
    assert payout.change_for(CUT) == -12_500


def test_a_cut_after_payment_is_owed_back_but_never_more_than_was_kept() -> None:
    payout = submitted()
    payout.record_payment("processor", "tr_1")

    assert payout.take_off("system", 12_500, "Views under target", CUT) == "owed_back"
    payout.take_off("system", 90_000, "Another remedy", "other rule")

    assert payout.owed_back == 50_000


def test_what_is_owed_back_is_offset_against_another_milestone_of_the_contract() -> None:
    paid = submitted()
    paid.record_payment("processor", "tr_1")
    paid.take_off("system", 12_500, "Views under target", CUT)
    later = scheduled()

    offset = paid.offset_against("system", later)

    assert offset == 12_500 and paid.owed_back == 0
    assert later.amount == Money(37_500, "CNY")
    assert paid.offset_against("system", later) == 0


def test_a_refund_settles_what_is_owed_back_and_no_more() -> None:
    paid = submitted()
    paid.record_payment("processor", "tr_1")
    paid.take_off("system", 12_500, "Views under target", CUT)

    with pytest.raises(InvalidValue):
        paid.record_refund("finance", Money(12_501, "CNY"), "bank ref 1")
    paid.record_refund("finance", Money(12_500, "CNY"), "bank ref 1")

    assert paid.owed_back == 0


def test_a_transfer_found_at_stripe_pays_the_payout_whatever_state_it_was_left_in() -> None:
    payout = submitted()
    payout.record_failure("processor", 1, "no_answer", "Stripe did not answer")
    payout.allow_retry("finance", "Try again")

    payout.record_found_transfer("processor", "tr_1", Money(50_000, "CNY"), attempt=1)

    assert payout.status is P.PAID and payout.reference == "tr_1"
    with pytest.raises(InvalidTransition):
        payout.record_found_transfer("processor", "tr_2", Money(50_000, "CNY"), attempt=2)


def test_a_found_transfer_for_more_than_the_amount_now_owed_is_owed_back() -> None:
    payout = submitted()
    payout.take_off("system", 10_000, "Views under target", CUT)
    payout.record_failure("processor", 1, "no_answer", "Stripe did not answer")

    payout.record_found_transfer("processor", "tr_1", Money(50_000, "CNY"), attempt=1)

    assert payout.amount == Money(40_000, "CNY") and payout.owed_back == 10_000


def test_a_payout_is_reversed_in_parts_each_reversal_once() -> None:
    payout = submitted()
    payout.record_payment("processor", "tr_1")

    first = payout.reverse("stripe", Money(20_000, "CNY"), "trr_1", None)
    again = payout.reverse("stripe", Money(20_000, "CNY"), "trr_1", None)
    second = payout.reverse("stripe", Money(30_000, "CNY"), "trr_2", None)

    assert (first, again, second) == (True, False, True)
    assert payout.status is P.REVERSED and payout.reversed_amount == Money(50_000, "CNY")
    with pytest.raises(InvalidValue):
        payout.reverse("stripe", Money(1, "CNY"), "trr_3", None)


def test_an_offline_rail_is_never_recorded_as_a_stripe_transfer() -> None:
    payout = approved(Rail.BANK_WIRE)

    with pytest.raises(InvalidTransition):
        payout.record_found_transfer("processor", "tr_1", Money(50_000, "CNY"), attempt=1)
