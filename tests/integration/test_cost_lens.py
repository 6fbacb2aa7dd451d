"""The campaign cost lens: cost per engaged view, per follower gained and per order, by
campaign, creator, contract and deliverable, per currency."""

from typing import Any
from uuid import UUID

from application.bootstrap import Services
from application.workers.payouts import bring_payouts_due
from domain.deliverable import Stage
from tests.builders import (
    Team,
    given_bonus_results,
    given_creator,
    given_team,
    valid_terms,
)

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)


def given_campaign_contract(services: Services, team: Team, campaign: str,
                            terms: dict[str, Any], creator_id: str | None = None) -> str:
    contract_id = services.contracts.draft_contract(
        team.legal, creator_id or given_creator(services, team), "Spring", terms,
        campaign=campaign)["id"]
    services.contracts.send_for_signature(team.legal, contract_id)
    services.contracts.sign_for_brand(team.legal, contract_id, "Lee Legal")
    services.contracts.record_creator_acceptance(team.ops, contract_id, "Mia Chen")
    services.run_policies()
    return str(contract_id)


def publish_all(services: Services, team: Team, contract_id: str,
                counts: list[dict[str, int]]) -> None:
    """Each of the contract's deliverables published, with the figures given in order."""
    contract = services.contracts.repository.get(UUID(contract_id))
    owed = services.deliverables.deliverables_of(team.ops, contract)
    for deliverable, figures in zip(owed, counts, strict=True):
        for stage in (Stage.OUTLINE, Stage.DRAFT):
            services.deliverables.submit(team.ops, deliverable["id"], stage, "Hello #ad")
            services.deliverables.approve(team.ops, deliverable["id"], stage)
        services.deliverables.publish(team.ops, deliverable["id"], "https://v.douyin.com/x")
        services.deliverables.record_metrics(team.ops, deliverable["id"], {
            "source": "douyin export", "measured_at": services.deliverables.clock.now(),
            "counts": figures})
    services.run_policies()


def two_videos(fee: int, currency: str = "CNY") -> dict[str, Any]:
    """Two videos; 40 % on signature (untied), 60 % when video-2 is accepted (tied)."""
    terms = valid_terms(fee=fee, currency=currency)
    terms["deliverables"].append({**terms["deliverables"][0], "key": "video-2"})
    terms["milestones"] = [
        {"key": "signing", "label": "On signature", "amount": fee * 4 // 10,
         "trigger": "on_signature"},
        {"key": "video-2", "label": "Video 2 accepted", "amount": fee - fee * 4 // 10,
         "trigger": "on_deliverable_accepted", "deliverable_key": "video-2"}]
    return terms


def lens(services: Services, team: Team, by: str, **filters: str) -> list[dict[str, Any]]:
    services.read_models.catch_up()
    answer = services.metrics.cost_lens(team.auditor, by, **filters)
    assert answer["truncated"] is False
    return answer["rows"]


def test_a_campaigns_cost_per_result_adds_up_its_contracts(durable_services) -> None:
    services, team = durable_services, given_team(durable_services)
    first = given_campaign_contract(services, team, "spring", two_videos(100_000))
    second = given_campaign_contract(services, team, "spring", valid_terms(fee=60_000))
    publish_all(services, team, first, [{"engaged_views": 30_000, "follows": 300},
                                        {"engaged_views": 10_000, "orders": 80}])
    publish_all(services, team, second, [{"engaged_views": 40_000, "orders": 20}])

    (spring,) = lens(services, team, "campaign", campaign="spring")

    assert spring["cost"] == 160_000 and spring["currency"] == "CNY"
    assert (spring["contracts"], spring["deliverables"]) == (2, 3)
    assert (spring["engaged_views"], spring["follows"], spring["orders"]) == (80_000, 300, 100)
    assert spring["cost_per_engaged_view"] == "0.0200"  # 1,600.00 CNY / 80,000
    assert spring["cost_per_follower"] == "5.3333"
    assert spring["cost_per_order"] == "16.0000"


def test_a_deliverable_bears_its_tied_milestone_and_a_share_of_the_rest(
        durable_services) -> None:
    services, team = durable_services, given_team(durable_services)
    contract_id = given_campaign_contract(services, team, "spring", two_videos(100_000))
    publish_all(services, team, contract_id, [{"engaged_views": 20_000}, {"orders": 0}])

    rows = {row["key"]: row for row in lens(services, team, "deliverable",
                                            contract_id=contract_id)}

    assert rows["video-1"]["cost"] == 20_000  # half the 40,000 signing milestone
    assert rows["video-2"]["cost"] == 20_000 + 60_000  # and its own milestone
    assert rows["video-1"]["cost_per_engaged_view"] == "0.0100"
    assert rows["video-2"]["cost_per_order"] is None  # no orders: no ratio, no division


def test_costs_follow_waivers_bonuses_and_currencies(durable_services) -> None:
    services, team = durable_services, given_team(durable_services)
    creator_id = given_creator(services, team)
    in_usd = given_campaign_contract(services, team, "launch", valid_terms(fee=5_000,
                                                                         currency="USD"),
                                     creator_id=creator_id)
    in_jpy = given_campaign_contract(services, team, "launch", valid_terms(
        fee=300_000, currency="JPY"), creator_id=creator_id)
    publish_all(services, team, in_usd, [{"orders": 50}])
    publish_all(services, team, in_jpy, [{"orders": 100}])
    unpaid = services.payouts.payouts_of(team.finance, services.contracts.repository.get(
        UUID(in_jpy)))[1]
    services.payouts.waive(team.finance, unpaid["id"], "Creator returned the fee")
    with_bonus = given_bonus_results(services, team, orders=10)  # 15,000 bonus, no campaign
    services.payouts.clock.advance(days=15)
    bring_payouts_due(services)

    by_creator = lens(services, team, "creator", creator_id=creator_id)
    bonus_contract = lens(services, team, "contract", contract_id=with_bonus)

    assert [(r["currency"], r["cost"], r["orders"]) for r in by_creator] == [
        ("JPY", 150_000, 100), ("USD", 5_000, 50)]
    assert by_creator[0]["cost_per_order"] == "1500.0000"  # yen have no minor unit
    assert by_creator[1]["cost_per_order"] == "1.0000"
    assert bonus_contract[0]["cost"] == 100_000 + 15_000
    assert lens(services, given_team(services), "campaign") == []  # another brand's: none
