"""Performance-based pay: a milestone's bonus is scheduled at signature, calculated from the
deliverable's metrics when its window closes, and paid as a payout of its own."""

from uuid import UUID

from application.payments.payouts import bonus_payout_id, payout_id
from application.workers.payouts import bring_payouts_due
from tests.builders import (
    bonus_terms,
    given_active_contract,
    given_bonus_results,
    given_team,
    valid_terms,
)

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)


def test_a_bonus_is_calculated_when_its_window_closes_and_falls_due_once(
        durable_services) -> None:
    services, team = durable_services, given_team(durable_services)
    contract_id = given_bonus_results(services, team, orders=120, engaged_views=640_000)
    bonus = str(bonus_payout_id(contract_id, "accepted"))

    while_open = bring_payouts_due(services)
    services.payouts.clock.advance(days=15)
    closed = bring_payouts_due(services)
    again = bring_payouts_due(services)

    payout = services.payouts.get_payout(team.finance, bonus)
    assert while_open["bonuses_settled"] == 0
    assert (closed["bonuses_settled"], again["bonuses_settled"]) == (1, 0)
    assert payout["bonus"] is True and payout["status"] == "due"
    assert payout["amount"].amount == 300_000  # 180,000 for orders + 200,000 tier, capped
    calculation = payout["calculation"]
    assert [(line.basis, line.figure, line.amount) for line in calculation.lines] == [
        ("rate", 120, 180_000), ("tier", 640_000, 200_000)]
    assert (calculation.earned, calculation.amount) == (380_000, 300_000)


def test_the_bonus_shows_in_the_ledger_totals_and_the_contracts_history(
        durable_services) -> None:
    services, team = durable_services, given_team(durable_services)
    contract_id = given_bonus_results(services, team, orders=10)
    services.payouts.clock.advance(days=15)
    bring_payouts_due(services)
    services.read_models.catch_up()

    (cny,) = services.lists.payout_totals(team.finance, {"contract_id": contract_id}).values()
    history = services.audit.contract_history(team.auditor, contract_id)["events"]
    adjusted = [e for e in history if e["event"] == "Adjusted"]
    assert cny["bonus"] == 15_000 and cny["adjusted"] == 0
    assert cny["committed"] == 100_000 + 15_000
    assert len(adjusted) == 1 and "10 orders x 1500" in adjusted[0]["reason"]


def test_a_bonus_nothing_earned_is_waived_and_does_not_hold_up_completion(
        durable_services) -> None:
    services, team = durable_services, given_team(durable_services)
    contract_id = given_bonus_results(services, team, views=5_000)
    services.payouts.clock.advance(days=15)

    bring_payouts_due(services)

    payout = services.payouts.get_payout(team.finance,
                                         str(bonus_payout_id(contract_id, "accepted")))
    unsettled = services.payouts.unsettled(services.contracts.repository.get(UUID(contract_id)))
    assert payout["status"] == "waived" and payout["amount"].amount == 0
    assert not any("(waived)" in line for line in unsettled)


def test_the_milestones_own_payout_is_not_touched_by_its_bonus(durable_services) -> None:
    services, team = durable_services, given_team(durable_services)
    contract_id = given_bonus_results(services, team, orders=50)
    services.payouts.clock.advance(days=15)

    bring_payouts_due(services)

    milestone = services.payouts.get_payout(team.finance,
                                            str(payout_id(contract_id, "accepted")))
    assert milestone["bonus"] is False and milestone["calculation"] is None
    assert milestone["amount"].amount == 50_000 and milestone["status"] == "scheduled"


def test_an_amendment_that_drops_the_bonus_waives_it(services) -> None:
    team = given_team(services)
    contract_id = given_active_contract(services, team, bonus_terms())
    services.run_policies()

    services.contracts.propose_amendment(team.legal, contract_id, valid_terms(),
                                         reason="Bonus dropped by agreement")
    services.contracts.sign_for_brand(team.legal, contract_id, "Lee Legal")
    services.contracts.record_creator_acceptance(team.ops, contract_id, "Mia Chen")
    services.run_policies()

    payout = services.payouts.get_payout(team.finance,
                                         str(bonus_payout_id(contract_id, "accepted")))
    assert payout["status"] == "waived"
