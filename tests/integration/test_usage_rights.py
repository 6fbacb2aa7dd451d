"""Usage rights on every store: granted by signature, started by publication, extended by
amendment, revoked by legal; the check answers for any day as things stood then."""

from dataclasses import replace
from datetime import date, timedelta
from uuid import UUID

import pytest

from application.errors import RoleNotAllowed
from application.payments.payouts import payout_id
from application.rights.make_goods import rule_id
from application.rights.usage_rights import right_id
from application.workers.background import evaluate_make_goods
from domain.usage_right import UsageRight
from domain.vocabulary import Channel
from tests.builders import given_active_contract, given_published, given_team, valid_terms

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)


def rights_terms(**right: object) -> dict:  # type: ignore[type-arg]
    return valid_terms(usage_rights=[{"key": "repost", "channels": ["organic_repost",
                                                                    "paid_ads"],
                                      "territories": ["CN"], "starts": "on_publication",
                                      "duration_days": 30, **right}])


def test_a_right_starts_with_publication_and_the_check_answers_inside_and_outside(
        services) -> None:
    team = given_team(services)
    contract_id = given_active_contract(services, team, rights_terms())
    published = given_published(services, team, contract_id)
    services.run_policies()
    today = services.usage_rights.clock.now().date()

    def check(channel: Channel, territory: str, on: date):  # type: ignore[no-untyped-def]
        return services.usage_rights.check(team.auditor, published, channel, territory, on)

    inside = check(Channel.PAID_ADS, "cn", today + timedelta(days=29))
    outside = check(Channel.PAID_ADS, "CN", today + timedelta(days=30))
    before = check(Channel.PAID_ADS, "CN", today - timedelta(days=1))
    wrong_channel = check(Channel.AI_TRAINING, "CN", today)

    assert inside.allowed and inside.right_key == "repost"
    assert (outside.allowed, outside.why) == (False, f"expired on {today + timedelta(days=30)}")
    assert before.why == "not yet started (starts on publication)"
    assert wrong_channel.why == "not granted for ai_training"


def test_an_amendment_that_lengthens_a_right_extends_it_at_the_fees_increase(services) -> None:
    team = given_team(services)
    contract_id = given_active_contract(services, team, rights_terms(starts="on_signature"))
    services.run_policies()
    services.contracts.propose_amendment(team.legal, contract_id, {
        **rights_terms(starts="on_signature", duration_days=90), "fee":
        {"amount": 150_000, "currency": "CNY"}, "milestones": [
            {"key": "signing", "label": "On signature", "amount": 150_000,
             "trigger": "on_signature"}]}, "Longer licence")
    services.contracts.sign_for_brand(team.legal, contract_id, "Lee")
    services.contracts.record_creator_acceptance(team.ops, contract_id, "Mia")
    services.run_policies()

    right = services.usage_rights.get_right(team.legal, str(right_id(contract_id, "repost")))

    (extension,) = right["extensions"]
    assert (extension.days, extension.fee.amount, extension.terms_version) == (60, 50_000, 2)
    assert right["days_left"] == 89


def test_only_legal_revokes_and_a_revocation_counts_from_its_day(services) -> None:
    team = given_team(services)
    contract_id = given_active_contract(services, team, rights_terms(starts="on_signature"))
    services.run_policies()
    right = str(right_id(contract_id, "repost"))
    (owed,) = services.deliverables.deliverables_of(
        team.ops, services.contracts.repository.get(UUID(contract_id)))
    services.usage_rights.clock.advance(days=5)  # the licence has run for five days
    today = services.usage_rights.clock.now().date()

    with pytest.raises(RoleNotAllowed):
        services.usage_rights.revoke(team.ops, right, "No")
    revoked = services.usage_rights.revoke(team.legal, right, "Creator withdrew consent")
    yesterday = services.usage_rights.check(team.ops, owed["id"], Channel.PAID_ADS, "CN",
                                            today - timedelta(days=1))
    now = services.usage_rights.check(team.ops, owed["id"], Channel.PAID_ADS, "CN", today)

    assert revoked["status"] == "revoked"
    assert yesterday.allowed
    assert not now.allowed and "Creator withdrew consent" in now.why


def test_the_calendar_shows_rights_ending_soon_with_their_checkpoint(durable_services) -> None:
    services, team = durable_services, given_team(durable_services)
    contract_id = given_active_contract(services, team, rights_terms(starts="on_signature"))
    services.read_models.catch_up()
    lists = services.lists

    def expiring(within: int) -> list[dict]:  # type: ignore[type-arg]
        return list(lists.usage_rights(team.legal, filters={"expiring_within": within},
                                       sort="last_day").page.items)

    not_yet = expiring(14)
    (soon,) = expiring(45)
    lists.clock.advance(days=20)  # ten days left
    (later,) = expiring(14)

    assert not_yet == []
    assert (soon["contract_id"], soon["days_left"], soon["checkpoint"]) == (contract_id, 29, 30)
    assert (later["days_left"], later["checkpoint"]) == (9, 14)
    assert later["channels"] == ["organic_repost", "paid_ads"]


def test_drafting_an_overlapping_exclusivity_warns_the_drafter(services) -> None:
    """On every store: the creator's rights are kept in a record of their own, not
    looked up in the rights calendar."""
    team = given_team(services)
    exclusive = rights_terms(starts="on_signature", exclusivity_category="Skincare",
                             exclusivity_days=60)
    first = given_active_contract(services, team, exclusive)
    services.run_policies()
    creator_id = services.contracts.get_contract(team.legal, first)["creator_id"]

    overlapping = services.contracts.draft_contract(team.legal, creator_id, "Rival serum",
                                                    exclusive)
    elsewhere = services.contracts.draft_contract(
        team.legal, creator_id, "Snacks", rights_terms(exclusivity_category="food",
                                                       exclusivity_days=30))

    (warning,) = overlapping["warnings"]
    assert first in warning and "skincare" in warning.casefold()
    assert elsewhere["warnings"] == []


def test_rights_granted_before_creators_rights_were_kept_are_added_once(services) -> None:
    team = given_team(services)
    first = given_active_contract(services, team, rights_terms(starts="on_signature"))
    contract = services.contracts.repository.get(UUID(first))
    term = replace(contract.terms.usage_rights[0], key="older", exclusivity_category="Skincare",
                   exclusivity_days=60)
    older = UsageRight.grant(actor="system", brand_id=team.brand_id, contract_id=first,
                             creator_id=contract.creator_id, term=term,
                             granted_on=date.today(), id=right_id(first, "older"))
    services.usage_rights.save(older)  # as a store from before the index holds it
    draft = rights_terms(starts="on_signature", exclusivity_category="skincare",
                         exclusivity_days=30)
    before = services.contracts.draft_contract(team.legal, contract.creator_id, "Serum", draft)

    assert services.usage_rights.record_missing_rights() >= 1
    assert services.usage_rights.record_missing_rights() == 0
    after = services.contracts.draft_contract(team.legal, contract.creator_id, "Serum", draft)

    assert before["warnings"] == [] and len(after["warnings"]) == 1


def test_a_breached_fee_reduction_adjusts_the_milestone_once_and_is_recorded(
        services) -> None:
    team = given_team(services)
    terms = valid_terms(make_goods=[{
        "key": "views", "deliverable_key": "video-1", "metric": "views",
        "threshold": 200_000, "window_days": 7, "remedy": "fee_reduction",
        "milestone_key": "accepted", "percent": "20"}])
    contract_id = given_active_contract(services, team, terms)
    published = given_published(services, team, contract_id)
    services.run_policies()
    services.deliverables.record_metrics(team.ops, published, {
        "source": "douyin", "measured_at": services.deliverables.clock.now(),
        "counts": {"views": 150_000}})
    make_goods = services.make_goods
    rule = str(rule_id(contract_id, "views"))

    too_early = make_goods.evaluate_due([rule])
    make_goods.clock.advance(days=8)
    evaluated = make_goods.evaluate_due([rule])
    services.run_policies()
    services.run_policies()  # replayed: nothing more happens

    payout = services.payouts.get_payout(team.finance, str(payout_id(contract_id, "accepted")))
    (described,) = make_goods.rules_of(team.legal, services.contracts.repository.get(
        UUID(contract_id)))
    assert (too_early, evaluated) == (0, 1)
    assert payout["amount"].amount == 40_000  # 50,000 less 20 %
    assert described["id"] == rule and described["status"] == "remedy_applied"
    assert described["figures"].value == 150_000
    history = services.audit.contract_history(team.auditor, contract_id)["events"]
    assert {"Evaluated", "RemedyApplied", "Adjusted"} <= {e["event"] for e in history}


def test_a_breached_repost_rule_owes_one_more_deliverable_once(services) -> None:
    team = given_team(services)
    terms = valid_terms(make_goods=[{
        "key": "views", "deliverable_key": "video-1", "metric": "views",
        "threshold": 200_000, "window_days": 7, "remedy": "repost"}])
    contract_id = given_active_contract(services, team, terms)
    given_published(services, team, contract_id)
    services.run_policies()  # the publication opens the rule's window
    make_goods = services.make_goods
    make_goods.clock.advance(days=8)  # no snapshot at all: nothing reached

    make_goods.evaluate_due([str(rule_id(contract_id, "views"))])
    services.run_policies()
    services.run_policies()
    contract = services.contracts.repository.get(UUID(contract_id))

    owed = services.deliverables.deliverables_of(team.ops, contract)
    (rule,) = make_goods.rules_of(team.legal, contract)
    assert [d["key"] for d in owed] == ["video-1", "video-1-repost"]
    assert owed[1]["status"] == "pending"
    assert rule["status"] == "remedy_applied" and "video-1-repost" in rule["remedy"]


def test_a_breached_rights_extension_rule_lengthens_the_licence_once(services) -> None:
    team = given_team(services)
    terms = rights_terms(starts="on_signature")
    terms["make_goods"] = [{"key": "views", "deliverable_key": "video-1", "metric": "views",
                            "threshold": 200_000, "window_days": 7,
                            "remedy": "rights_extension", "extension_days": 30}]
    contract_id = given_active_contract(services, team, terms)
    given_published(services, team, contract_id)
    services.run_policies()
    services.make_goods.clock.advance(days=8)

    services.make_goods.evaluate_due([str(rule_id(contract_id, "views"))])
    services.run_policies()
    services.run_policies()

    right = services.usage_rights.get_right(team.legal, str(right_id(contract_id, "repost")))
    (rule,) = services.make_goods.rules_of(team.legal, services.contracts.repository.get(
        UUID(contract_id)))
    (extension,) = right["extensions"]
    assert (extension.days, extension.fee) == (30, None)
    assert right["days_left"] == 30 + 30 - 1 - 8
    assert rule["status"] == "remedy_applied" and "extended by 30 days" in rule["remedy"]


def test_the_worker_evaluates_only_armed_rules_whose_window_closed(durable_services) -> None:
    services, team = durable_services, given_team(durable_services)
    terms = valid_terms(make_goods=[
        {"key": "week", "deliverable_key": "video-1", "metric": "views", "threshold": 10,
         "window_days": 7, "remedy": "repost"},
        {"key": "month", "deliverable_key": "video-1", "metric": "views", "threshold": 10,
         "window_days": 30, "remedy": "repost"}])
    contract_id = given_active_contract(services, team, terms)
    unpublished = given_active_contract(services, team, terms)
    given_published(services, team, contract_id)
    services.run_policies()
    services.make_goods.clock.advance(days=8)

    evaluated = evaluate_make_goods(services)
    again = evaluate_make_goods(services)
    services.run_policies()  # the breach owes a repost; the rule records it
    services.run_policies()
    services.read_models.catch_up()
    board = services.lists.make_goods(team.legal, filters={"contract_id": contract_id},
                                      sort="created_at", cursor=None, limit=50).page.items
    waiting = services.lists.make_goods(team.legal, filters={"window_closed": False},
                                        sort="created_at", cursor=None, limit=50).page.items

    assert (evaluated, again) == (1, 0)
    assert {row["key"]: row["status"] for row in board} == {"week": "remedy_applied",
                                                            "month": "armed"}
    assert board[0]["reached"] == 0 and "repost" in board[0]["remedy_detail"]
    assert {(row["contract_id"], row["key"]) for row in waiting} == {
        (contract_id, "month"), (unpublished, "week"), (unpublished, "month")}
