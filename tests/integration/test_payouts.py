"""Payouts on every store: scheduled by signature, due by trigger, maker-checked, paid once."""

import contextlib
import random
import threading
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from stripe import StripeError

from application.errors import ApplicationError, RoleNotAllowed
from application.payments.payout_processor import PayoutProcessor
from domain.errors import DomainError, NotPermitted
from doubles.stripe_server import Fault
from tests.builders import event_count, given_published, given_team, valid_terms
from tests.payments import (
    approve,
    given_payable,
    no_wait_processor,
    pay_rounds,
    stripe_with_webhooks,
)

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)


def processor(services) -> PayoutProcessor:  # type: ignore[no-untyped-def]
    return no_wait_processor(services)


def status(services, payout: str) -> str:  # type: ignore[no-untyped-def]
    return str(services.payouts.get_payout(services.auditor, payout)["status"])


def test_signatures_schedule_one_payout_per_milestone_and_the_signing_one_falls_due(
        services, team) -> None:
    payable = given_payable(services, team, None)
    before_replay = event_count(services)
    services.run_policies()

    signing = services.payouts.get_payout(team.finance, payable.signing)
    on_acceptance = services.payouts.get_payout(team.auditor, payable.on_acceptance)
    assert (signing["status"], signing["amount"].amount) == ("due", 50_000)
    assert on_acceptance["status"] == "scheduled"
    assert event_count(services) == before_replay


def test_the_acceptance_milestone_falls_due_when_its_deliverable_is_accepted(services,
                                                                            team) -> None:
    payable = given_payable(services, team, None)
    published = given_published(services, team, payable.contract_id)
    services.run_policies()
    assert status(services, payable.on_acceptance) == "scheduled"

    services.deliverables.accept(team.ops, published)
    services.run_policies()

    after = services.payouts.get_payout(team.finance, payable.on_acceptance)
    assert after["status"] == "due" and "video-1 accepted" in after["due_cause"]


def test_the_requester_may_not_approve_and_other_roles_may_not_release(services, team) -> None:
    payable = given_payable(services, team, None)
    services.payouts.request_release(team.finance, payable.signing)

    with pytest.raises(NotPermitted, match="different finance user"):
        services.payouts.approve(team.finance, payable.signing)
    with pytest.raises(RoleNotAllowed):
        services.payouts.approve(team.legal, payable.signing)
    services.payouts.approve(team.finance2, payable.signing)

    assert status(services, payable.signing) == "approved"


def test_above_the_brands_threshold_two_approvers_are_needed(services, team) -> None:
    services.identity.set_approval_threshold(team.admin, team.brand_id, "CNY", 10_000,
                                             "Audit finding")
    payable = given_payable(services, team, None)
    services.payouts.request_release(team.finance, payable.signing)
    services.payouts.approve(team.finance2, payable.signing)
    assert status(services, payable.signing) == "release_requested"

    with pytest.raises(NotPermitted):
        services.payouts.approve(team.finance2, payable.signing)
    services.identity.register_user(team.admin, "finance3@brand.test", "Third", ["finance"],
                                    [team.brand_id])

    approver = services.identity.acting_as("finance3@brand.test")
    services.payouts.approve(approver, payable.signing)
    assert status(services, payable.signing) == "approved"


def test_an_approved_payout_is_transferred_once_with_its_metadata(services, team,
                                                                 stripe_state) -> None:
    payable = given_payable(services, team, stripe_state)
    approve(services, team, payable.signing)

    first = processor(services).pay_all([payable.signing])
    again = processor(services).pay_all([payable.signing])

    (transfer,) = stripe_state.transfers_to(payable.account_id)
    paid = services.payouts.get_payout(team.finance, payable.signing)
    assert (first.paid, again.paid) == (1, 0)
    assert paid["status"] == "paid" and paid["reference"] == transfer["id"]
    assert (transfer["amount"], transfer["currency"]) == (50_000, "cny")
    assert transfer["metadata"] == {"kolpact_payout_id": payable.signing,
                                    "kolpact_contract_id": payable.contract_id,
                                    "kolpact_attempt": "1"}


def test_a_creator_who_cannot_receive_transfers_has_the_payout_held(services, team,
                                                                    stripe_state) -> None:
    payable = given_payable(services, team, None)
    approve(services, team, payable.signing)

    no_account = processor(services).pay_all([payable.signing])
    held = services.payouts.get_payout(team.finance, payable.signing)
    opened = services.payouts.open_payout_account(team.ops, payable.creator_id, "CN", None,
                                                  "https://x.test/r", "https://x.test/ok")
    services.payouts.release_hold(team.finance, payable.signing, "Account opened")
    not_onboarded = processor(services).pay_all([payable.signing])
    held_again = services.payouts.get_payout(team.finance, payable.signing)

    assert no_account.held == 1 and "no Stripe account" in held["hold_reason"]
    assert opened["onboarding_url"].startswith("http")
    assert not_onboarded.held == 1 and "cannot receive transfers" in held_again["hold_reason"]
    assert stripe_state.transfers == {}


@pytest.mark.parametrize(("fault", "rounds_deferred"), [
    ("rate_limit", 2), ("unauthorized", 2), ("forbidden", 2), ("timeout_before", 2),
    ("timeout_after", 1)])  # the look-up before the second try finds the transfer
def test_transient_faults_are_retried_and_pay_exactly_once(services, team, stripe_state,
                                                           fault: str,
                                                           rounds_deferred: int) -> None:
    payable = given_payable(services, team, stripe_state)
    approve(services, team, payable.signing)
    stripe_state.inject(Fault(fault), Fault(fault))

    outcome = pay_rounds(processor(services), [payable.signing], rounds=3)

    assert (outcome.deferred, outcome.paid, outcome.failed) == (rounds_deferred, 1, 0)
    assert len(stripe_state.transfers_to(payable.account_id)) == 1
    assert status(services, payable.signing) == "paid"


@pytest.mark.parametrize("dies_in", ["_finish", "_record"],
                         ids=["before calling Stripe", "after Stripe's answer"])
def test_a_processor_that_dies_mid_payment_pays_once_on_restart(
        services, team, stripe_state, monkeypatch, dies_in: str) -> None:
    payable = given_payable(services, team, stripe_state)
    approve(services, team, payable.signing)

    def die(*args: Any, **kwargs: Any) -> None:
        raise SystemExit(f"killed in {dies_in}")

    monkeypatch.setattr(PayoutProcessor, dies_in, die)
    with pytest.raises(SystemExit):
        processor(services).pay_all([payable.signing])
    assert status(services, payable.signing) == "submitted"
    monkeypatch.undo()
    stripe_state.remembered.clear()  # even past Stripe's idempotency window

    processor(services).pay_all([payable.signing])

    assert len(stripe_state.transfers_to(payable.account_id)) == 1
    assert status(services, payable.signing) == "paid"


def test_a_refusal_is_recorded_with_stripes_code_and_a_retry_uses_a_new_key(
        services, team, stripe_state) -> None:
    payable = given_payable(services, team, stripe_state)
    approve(services, team, payable.signing)
    stripe_state.available["cny"] = 10

    refused = processor(services).pay_all([payable.signing])
    failed = services.payouts.get_payout(team.finance, payable.signing)
    stripe_state.available["cny"] = 10**9
    services.payouts.retry(team.finance, payable.signing, "Balance topped up")
    retried = processor(services).pay_all([payable.signing])

    paid = services.payouts.get_payout(team.finance, payable.signing)
    assert refused.failed == 1 and failed["failure"]["code"] == "balance_insufficient"
    assert retried.paid == 1 and [a.number for a in paid["attempts"]] == [1, 2]
    assert len(stripe_state.transfers_to(payable.account_id)) == 1


def test_raising_a_failed_payout_voids_its_approvals_and_needs_new_ones(
        services, team, stripe_state) -> None:
    services.identity.set_approval_threshold(team.admin, team.brand_id, "CNY", 100_000,
                                             "Two approvers above 1,000.00")
    payable = given_payable(services, team, stripe_state)
    approve(services, team, payable.signing)
    stripe_state.available["cny"] = 10
    processor(services).pay_all([payable.signing])

    services.payouts.adjust(team.finance, payable.signing,
                            {"amount": 900_000, "currency": "CNY"}, "Raised", "correction")
    with pytest.raises(DomainError):
        services.payouts.retry(team.finance, payable.signing, "Pay it")
    services.payouts.request_release(team.finance, payable.signing)
    with pytest.raises(NotPermitted):
        services.payouts.approve(team.finance, payable.signing)
    services.payouts.approve(team.finance2, payable.signing)
    stripe_state.available["cny"] = 10**9
    one_approval = processor(services).pay_all([payable.signing])

    assert status(services, payable.signing) == "release_requested"
    assert one_approval.paid == 0 and len(stripe_state.transfers) == 0


def test_an_amendment_adjusts_unpaid_amounts_and_waives_removed_milestones(services,
                                                                          team) -> None:
    payable = given_payable(services, team, None)
    amended = valid_terms(fee=120_000)
    amended["milestones"] = [{"key": "signing", "label": "On signature", "amount": 120_000,
                              "trigger": "on_signature"}]
    services.contracts.propose_amendment(team.legal, payable.contract_id, amended, "Simpler")
    services.contracts.sign_for_brand(team.legal, payable.contract_id, "Lee")
    services.contracts.record_creator_acceptance(team.ops, payable.contract_id, "Mia")
    services.run_policies()

    signing = services.payouts.get_payout(team.finance, payable.signing)
    assert (signing["status"], signing["amount"].amount) == ("due", 120_000)
    assert status(services, payable.on_acceptance) == "waived"


def test_a_date_milestone_falls_due_when_its_date_comes(services, team) -> None:
    terms = valid_terms()
    terms["milestones"][1] = {"key": "accepted", "label": "Month end", "amount": 50_000,
                              "trigger": "on_date",
                              "due_date": (date.today() + timedelta(days=10)).isoformat()}
    payable = given_payable(services, team, None, terms)

    early = services.payouts.fall_due_on(date.today(), [payable.on_acceptance])
    on_time = services.payouts.fall_due_on(date.today() + timedelta(days=10),
                                           [payable.on_acceptance])

    assert (early, on_time) == (0, 1)
    assert status(services, payable.on_acceptance) == "due"


def at_once(*calls: Any) -> list[Any]:
    """Runs the calls in threads released together; returns results or raised errors."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index: int, call: Any) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # the losers' refusals are part of the result
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_double_requests_and_double_approvals_have_one_effect(services,
                                                                        team) -> None:
    payable = given_payable(services, team, None)
    app = services.payouts

    requests = at_once(*[lambda: app.request_release(team.finance, payable.signing)] * 4)
    approvals = at_once(*[lambda: app.approve(team.finance2, payable.signing)] * 4)

    history = [e.__class__.__name__ for e in app.events.get(UUID(payable.signing))]
    assert sum(isinstance(r, dict) for r in requests) == 1
    assert sum(isinstance(r, dict) for r in approvals) == 1
    assert history.count("ReleaseRequested") == 1 and history.count("Approved") == 1


def test_a_metric_milestone_falls_due_when_a_snapshot_reaches_its_threshold(services,
                                                                           team) -> None:
    terms = valid_terms()
    terms["milestones"][1] = {"key": "accepted", "label": "100k views", "amount": 50_000,
                              "trigger": "on_metrics_reached", "deliverable_key": "video-1",
                              "metric": "views", "threshold": 100_000}
    payable = given_payable(services, team, None, terms)
    published = given_published(services, team, payable.contract_id)
    app, now = services.deliverables, services.deliverables.clock.now()

    app.record_metrics(team.ops, published, {"source": "douyin", "measured_at": now,
                                             "counts": {"views": 99_999}})
    services.run_policies()
    below = status(services, payable.on_acceptance)
    app.record_metrics(team.ops, published, {"source": "douyin", "measured_at": now,
                                             "counts": {"views": 100_000}})
    services.run_policies()

    reached = services.payouts.get_payout(team.finance, payable.on_acceptance)
    assert below == "scheduled"
    assert reached["status"] == "due" and "views reached 100000" in reached["due_cause"]


def test_the_ledger_agrees_with_the_payouts_after_any_sequence_of_commands(
        durable_services) -> None:
    """The ledger repeats the payout's state machine from its events: check they agree,
    through Stripe's faults, cuts in flight and reversals too."""
    services, team = durable_services, given_team(durable_services)
    state = stripe_with_webhooks(services)
    rng = random.Random(21)
    payouts = [given_payable(services, team, state) for _ in range(3)]
    app = services.payouts
    paying = no_wait_processor(services)

    def pay(p: str) -> None:
        if rng.random() < 0.4:
            state.inject(Fault(rng.choice(["timeout_before", "timeout_after",
                                           "server_error", "rate_limit"])))
        paying.pay_all([p])

    def reverse(p: str) -> None:
        reference = app.get_payout(team.auditor, p)["reference"] or ""
        if reference.startswith("tr_"):
            services.payouts.gateway.client.v1.transfers.reversals.create(
                reference, {"amount": rng.randint(1, 10_000)})

    def starve_or_fund(p: str) -> None:  # Stripe refuses transfers while starved
        state.available["cny"] = 10 if state.available["cny"] > 10 else 10**9

    def cut(p: str) -> None:
        payout = app.find(p)
        payout.take_off("system", rng.randint(1, 5_000), "Make-good", f"rule {rng.random()}")
        app.save_payout(payout)

    request = lambda p: app.request_release(team.finance, p)  # noqa: E731
    approve_it = lambda p: app.approve(team.finance2, p)  # noqa: E731
    release = lambda p: app.release_hold(team.finance, p, "Checked")  # noqa: E731
    retry = lambda p: app.retry(team.finance, p, "Again")  # noqa: E731
    next_step = {"due": request, "release_requested": approve_it, "approved": pay,
                 "submitted": pay, "failed": retry, "held": release, "paid": reverse}
    disruptions = [
        lambda p: app.hold(team.finance, p, "Check"),
        lambda p: app.adjust(team.finance, p, {"amount": rng.randint(0, 50_000),
                                               "currency": "CNY"}, "Make-good", "rule"),
        cut, starve_or_fund, lambda p: app.waive(team.finance, p, "Dropped"),
    ]
    seen = set()
    for step in range(200):
        payable = rng.choice(payouts)
        payout = rng.choice([payable.signing, payable.on_acceptance])
        natural = next_step.get(app.get_payout(team.auditor, payout)["status"])
        command = natural if natural and rng.random() < 0.8 else rng.choices(
            disruptions, [4, 4, 4, 4, 1])[0]
        with contextlib.suppress(DomainError, ApplicationError, StripeError):
            command(payout)
        if step % 4 == 0:
            seen |= ledger_agrees(services, team, payouts)
    assert {"submitted", "paid", "failed", "reversed", "held"} <= seen  # the walk got there


def ledger_agrees(services, team, payouts) -> set[str]:  # type: ignore[no-untyped-def]
    services.read_models.catch_up()
    rows = {r["payout_id"]: r for r in services.read_models["payouts_ledger"].view.read(
        "SELECT * FROM {payouts_ledger}")}
    for payable in payouts:
        for payout_id in (payable.signing, payable.on_acceptance):
            payout = services.payouts.get_payout(team.auditor, payout_id)
            row = rows[payout_id]
            assert (row["status"], row["amount"]) == (payout["status"],
                                                      payout["amount"].amount), payout_id
            assert (row["hold_reason"], row["approvals_needed"], row["held_from"]) == (
                payout["hold_reason"], payout["approvals_needed"], payout["held_from"])
            assert row["reversed_amount"] == (payout["reversed_amount"].amount
                                              if payout["reversed_amount"] else 0)
            assert [a for a in row["approved_by"].split(",") if a] == payout["approved_by"]
    return {row["status"] for row in rows.values()}


def test_the_ledger_follows_holds_failures_and_reversals_of_money_in_flight(
        durable_services) -> None:
    services, team = durable_services, given_team(durable_services)
    state = stripe_with_webhooks(services)
    held_then_refused, refused_then_raised, paid_while_held, reversed_twice = payables = [
        given_payable(services, team, state) for _ in range(4)]
    for payable in payables:
        approve(services, team, payable.signing)
    paying, app = no_wait_processor(services), services.payouts
    state.hold_webhooks = True  # what the processor records, not the transfers' webhooks
    state.inject(Fault("timeout_before"), Fault("timeout_after"))
    paying.pay_all([held_then_refused.signing, paid_while_held.signing])  # in flight
    for payable in (held_then_refused, paid_while_held):
        app.hold(team.finance, payable.signing, "Checking")
    refused = app.find(held_then_refused.signing)
    refused.record_failure("processor", 1, "account_closed", "The answer came after the hold")
    app.save(refused)
    state.available["cny"] = 10
    paying.pay_all([paid_while_held.signing, refused_then_raised.signing])
    app.adjust(team.finance, refused_then_raised.signing, {"amount": 60_000,
                                                           "currency": "CNY"}, "Up", "fix")
    state.available["cny"] = 10**9
    state.hold_webhooks = False
    paying.pay_all([reversed_twice.signing])
    transfer = app.get_payout(team.auditor, reversed_twice.signing)["reference"]
    for amount in (10_000, 15_000):
        services.payouts.gateway.client.v1.transfers.reversals.create(transfer,
                                                                      {"amount": amount})

    assert ledger_agrees(services, team, payables) >= {"held", "due", "paid", "reversed"}
