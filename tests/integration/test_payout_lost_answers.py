"""Stripe's answers lost, replayed, refused before acting or late: never two transfers,
never a payout trapped, never a failure recorded on an answer that says nothing."""

import threading

import pytest

from application.payments.payout_processor import MAX_UNANSWERED, NO_ANSWER
from domain.errors import InvalidTransition
from domain.money import Money
from domain.payout import Attempt, Rail
from doubles.stripe_server import Fault, StripeState
from tests.payments import (
    approve,
    given_payable,
    in_process_gateway,
    no_wait_processor,
    pay_rounds,
)

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)


def payout_of(services, payout: str) -> dict:  # type: ignore[no-untyped-def]
    return services.payouts.get_payout(services.auditor, payout)


def test_a_lost_answer_then_a_401_neither_fails_the_attempt_nor_pays_twice(
        services, team, stripe_state: StripeState) -> None:
    payable = given_payable(services, team, stripe_state)
    approve(services, team, payable.signing)
    stripe_state.inject(Fault("timeout_after"), Fault("unauthorized", "GET", "/v1/transfers"),
                        Fault("unauthorized"))
    processor = no_wait_processor(services)

    lost = processor.pay_all([payable.signing])
    turned_away = processor.pay_all([payable.signing])
    with pytest.raises(InvalidTransition):
        services.payouts.retry(team.finance, payable.signing, "Looks stuck")
    found = processor.pay_all([payable.signing])

    paid = payout_of(services, payable.signing)
    assert (lost.deferred, turned_away.deferred, turned_away.failed, found.paid) == (1, 1, 0, 1)
    assert paid["status"] == "paid" and paid["failure"] is None
    assert len(stripe_state.transfers_to(payable.account_id)) == 1


def test_a_finance_retry_looks_the_transfer_up_before_using_a_new_key(
        services, team, stripe_state: StripeState) -> None:
    payable = given_payable(services, team, stripe_state)
    approve(services, team, payable.signing)
    # Stripe made the transfer, answered 500 (saved, so replayed), and its list lags.
    stripe_state.inject(Fault("server_error_after"),
                        *[Fault("stale_list", "GET", "/v1/transfers")] * MAX_UNANSWERED)
    processor = no_wait_processor(services)

    closed = pay_rounds(processor, [payable.signing], rounds=MAX_UNANSWERED)
    failed = payout_of(services, payable.signing)
    services.payouts.retry(team.finance, payable.signing, "Stripe said nothing")
    retried = processor.pay_all([payable.signing])

    paid = payout_of(services, payable.signing)
    assert closed.failed == 1 and failed["failure"]["code"] == NO_ANSWER
    assert retried.paid == 1 and paid["status"] == "paid"
    assert [a.number for a in paid["attempts"]] == [1]  # no second key was used
    assert len(stripe_state.transfers_to(payable.account_id)) == 1


def test_a_replayed_500_is_bounded_then_a_new_key_pays_once(services, team,
                                                            stripe_state: StripeState) -> None:
    payable = given_payable(services, team, stripe_state)
    approve(services, team, payable.signing)
    stripe_state.inject(Fault("server_error"))  # saved under attempt 1's key, for 24 h
    processor = no_wait_processor(services)

    rounds = [processor.pay_all([payable.signing]) for _ in range(MAX_UNANSWERED)]
    services.payouts.retry(team.finance, payable.signing, "Stripe held no transfer")
    retried = processor.pay_all([payable.signing])

    paid = payout_of(services, payable.signing)
    assert [r.deferred for r in rounds[:-1]] == [1] * (MAX_UNANSWERED - 1)
    assert rounds[-1].failed == 1
    assert retried.paid == 1 and [a.number for a in paid["attempts"]] == [1, 2]
    assert len(stripe_state.transfers_to(payable.account_id)) == 1


def test_a_stuck_payout_can_be_held_and_does_not_hold_up_the_others(
        services, team, stripe_state: StripeState) -> None:
    stuck = given_payable(services, team, stripe_state)
    other = given_payable(services, team, stripe_state)
    approve(services, team, stuck.signing)
    approve(services, team, other.signing)
    stripe_state.inject(Fault("server_error"))  # whichever goes first is stuck
    processor = no_wait_processor(services)

    first = processor.pay_all([stuck.signing, other.signing])
    services.payouts.hold(team.finance, stuck.signing, "Stripe keeps answering 500")
    while_held = processor.pay_all([stuck.signing, other.signing])

    assert (first.paid, first.deferred) == (1, 1)
    assert payout_of(services, stuck.signing)["status"] == "held"
    assert while_held.paid == 0 and len(stripe_state.transfers) == 1


def test_a_transfer_made_while_the_payout_was_held_is_still_recorded(
        services, team, stripe_state: StripeState) -> None:
    payable = given_payable(services, team, stripe_state)
    approve(services, team, payable.signing)
    stripe_state.inject(Fault("timeout_after"))
    processor = no_wait_processor(services)
    processor.pay_all([payable.signing])

    services.payouts.hold(team.finance, payable.signing, "Checking with Stripe")
    processor.pay_all([payable.signing])

    paid = payout_of(services, payable.signing)
    assert paid["status"] == "paid" and paid["hold_reason"] is None
    assert len(stripe_state.transfers_to(payable.account_id)) == 1


def test_two_requests_with_one_key_at_once_act_once() -> None:
    state = StripeState()
    account = state.accounts.setdefault("acct_1", {"id": "acct_1", "capabilities": {
        "transfers": "active"}})
    gateways = [in_process_gateway(state) for _ in range(8)]
    attempt = Attempt(1, Rail.STRIPE, "kolpact-payout-p-attempt-1")
    results: list[str] = []

    def call(gateway) -> None:  # type: ignore[no-untyped-def]
        try:
            made = gateway.transfer(payout_id="p", contract_id="c", attempt=attempt,
                                    amount=Money(100, "CNY"), destination=account["id"])
            results.append(made.transfer_id)
        except Exception as error:  # the rivals are turned away (409)
            results.append(type(error).__name__)

    threads = [threading.Thread(target=call, args=(g,)) for g in gateways]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(state.transfers) == 1
    assert {r for r in results if r.startswith("tr_")} == set(state.transfers)
    assert set(results) - set(state.transfers) <= {"RailBusy"}
