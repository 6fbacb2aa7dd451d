"""Stripe webhooks arrive at least once, late, early and in any order: each acts once."""

import pytest

from application.bootstrap import Services
from application.errors import ConcurrentChange
from doubles.stripe_server import Fault, StripeState
from tests.builders import Team, given_team
from tests.payments import approve, given_payable, no_wait_processor, stripe_with_webhooks

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)

SECRET = "whsec_test_webhooks"


@pytest.fixture
def world(durable_services: Services) -> tuple[Services, Team, StripeState]:
    state = stripe_with_webhooks(durable_services, SECRET)
    team = given_team(durable_services)
    return durable_services, team, state


def status(services: Services, team: Team, payout: str) -> dict:  # type: ignore[type-arg]
    return services.payouts.get_payout(team.auditor, payout)


def test_a_reversal_that_arrives_before_the_transfer_was_recorded_is_applied_later(
        world: tuple[Services, Team, StripeState]) -> None:
    services, team, state = world
    payable = given_payable(services, team, state)
    approve(services, team, payable.signing)
    state.inject(Fault("timeout_after"))
    state.hold_webhooks = True
    no_wait_processor(services).pay_all([payable.signing])  # answer lost: still submitted
    (transfer_id,) = state.transfers
    services.payouts.gateway.client.v1.transfers.reversals.create(  # type: ignore[union-attr]
        transfer_id, {"amount": 20_000})
    state.hold_webhooks = False
    state.held = [e for e in state.held if e["type"] == "transfer.reversed"]

    state.release_held()  # the reversal's webhook, before anything recorded the transfer
    kept = services.webhooks.kept()  # type: ignore[union-attr]
    no_wait_processor(services).pay_all([payable.signing])
    applied = services.webhooks.apply_pending()  # type: ignore[union-attr]

    payout = status(services, team, payable.signing)
    assert (kept, applied) == (1, 1)
    assert payout["status"] == "reversed"
    assert payout["reversed_amount"].amount == 20_000


def test_a_payout_is_partly_then_fully_reversed_and_duplicates_change_nothing(
        world: tuple[Services, Team, StripeState]) -> None:
    services, team, state = world
    payable = given_payable(services, team, state)
    approve(services, team, payable.signing)
    no_wait_processor(services).pay_all([payable.signing])
    transfer_id = status(services, team, payable.signing)["reference"]
    state.duplicate_webhooks = 1.0  # every delivery twice
    reversals = services.payouts.gateway.client.v1.transfers.reversals  # type: ignore[union-attr]

    reversals.create(transfer_id, {"amount": 20_000})
    partly = status(services, team, payable.signing)
    reversals.create(transfer_id, {"amount": 30_000})

    fully = status(services, team, payable.signing)
    assert partly["reversed_amount"].amount == 20_000
    assert fully["reversed_amount"].amount == 50_000 and fully["status"] == "reversed"
    assert fully["version"] == partly["version"] + 1


def test_a_transfer_webhook_records_a_payment_whose_answer_was_lost(
        world: tuple[Services, Team, StripeState]) -> None:
    services, team, state = world
    payable = given_payable(services, team, state)
    approve(services, team, payable.signing)
    state.inject(Fault("timeout_after"))

    no_wait_processor(services).pay_all([payable.signing])  # transfer.created delivered

    payout = status(services, team, payable.signing)
    assert payout["status"] == "paid" and payout["reference"] in state.transfers


def test_an_effect_that_failed_is_done_on_redelivery(
        world: tuple[Services, Team, StripeState], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    services, team, state = world
    payable = given_payable(services, team, state)
    approve(services, team, payable.signing)
    no_wait_processor(services).pay_all([payable.signing])
    transfer_id = status(services, team, payable.signing)["reference"]
    save = services.payouts._save_changes

    def rival_changed_it(*aggregates):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(services.payouts, "_save_changes", save)
        raise ConcurrentChange("Someone else changed this record at the same moment.")

    monkeypatch.setattr(services.payouts, "_save_changes", rival_changed_it)
    services.payouts.gateway.client.v1.transfers.reversals.create(  # type: ignore[union-attr]
        transfer_id, {"amount": 50_000})
    first = status(services, team, payable.signing)["status"]
    state.redeliver()

    assert first == "paid"
    assert status(services, team, payable.signing)["status"] == "reversed"


def test_an_account_update_that_arrives_before_the_account_id_is_stored_is_kept(
        world: tuple[Services, Team, StripeState]) -> None:
    services, team, state = world
    payable = given_payable(services, team, None)
    state.auto_onboard = True  # its account.updated is delivered before Stripe answers

    services.payouts.open_payout_account(team.finance, payable.creator_id, "CN", None,
                                         "https://x.test/r", "https://x.test/ok")
    before = services.creators.get_creator(team.ops, payable.creator_id)
    applied = services.webhooks.apply_pending()  # type: ignore[union-attr]

    after = services.creators.get_creator(team.ops, payable.creator_id)
    assert before["payout_account_ready"] is False and applied == 1
    assert after["payout_account_ready"] is True
    assert services.webhooks.kept() == 0  # type: ignore[union-attr]
