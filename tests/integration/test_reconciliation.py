"""Reconciliation with Stripe: transfers, amounts and reversals compared; each mismatch
recorded once on its payout and shown to its brand; run by the background worker too."""

from application.bootstrap import Services
from application.workers.background import BackgroundWorker
from application.workers.payouts import reconcile
from doubles.stripe_server import StripeState
from tests.builders import given_team
from tests.payments import given_paid_then_reversed_behind_our_back, in_process_gateway


def test_a_reversal_kolpact_missed_is_found_noted_once_and_shown_to_its_brand(
        durable_services: Services) -> None:
    services, state = durable_services, StripeState()
    services.payouts.gateway = in_process_gateway(state)
    team, other = given_team(services), given_team(services)
    payable = given_paid_then_reversed_behind_our_back(services, team, state)

    first = reconcile(services)
    again = reconcile(services)

    assert [m.kind for m in first] == ["reversal_differs"] == [m.kind for m in again]
    history = services.audit.contract_history(team.auditor, payable.contract_id)["events"]
    assert [e["event"] for e in history].count("MismatchFound") == 1
    ours = services.reconciliation.latest(team.finance)["mismatches"]
    theirs = services.reconciliation.latest(other.auditor)["mismatches"]
    assert [m["payout_id"] for m in ours] == [payable.signing] and theirs == []


def test_the_background_worker_reconciles_every_interval(durable_services: Services) -> None:
    services, state = durable_services, StripeState()
    services.payouts.gateway = in_process_gateway(state)
    team = given_team(services)
    given_paid_then_reversed_behind_our_back(services, team, state)
    now = [0.0]
    worker = BackgroundWorker(services, clock=lambda: now[0])

    first, soon = worker.run_once(), worker.run_once()
    now[0] += services.settings.reconcile_seconds
    later = worker.run_once()

    assert (first["mismatches"], "mismatches" in soon, later["mismatches"]) == (1, False, 1)
