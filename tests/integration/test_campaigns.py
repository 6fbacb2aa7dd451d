"""Campaigns on every store: planned, run on the four-week plan, joined by contracts."""

from datetime import UTC, date, datetime, timedelta

import pytest

from application.errors import NotFound, RoleNotAllowed, StaleVersion
from domain.errors import InvalidTransition, InvalidValue
from tests.builders import campaign_brief as brief
from tests.builders import (
    event_count,
    given_active_contract,
    given_campaign,
    given_creator,
    given_draft,
    given_published,
    given_shipment,
    given_team,
    valid_terms,
)
from tests.tamper import Tamper

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)

STARTS = date.today() + timedelta(days=7)


def test_a_campaign_is_planned_on_the_rhythm_and_run_to_its_close(services) -> None:
    team = given_team(services)
    campaign_id = given_campaign(services, team)
    campaigns = services.campaigns

    campaigns.start_campaign(team.ops, campaign_id)
    campaigns.check_in(team.ops, campaign_id, {
        "week": 1, "progress": [{"goal_key": "background", "state": "done"},
                                {"goal_key": "creator-requirements", "state": "at_risk",
                                 "note": "Two creators not answering"}],
        "adjustments": "Call them on WeChat", "risks": ["Kick-off slips"]})
    campaigns.review_mid_term(team.ops, campaign_id, {"summary": "Douyin views behind",
                                                      "decisions": ["More Xiaohongshu"]})
    campaigns.begin_review(team.ops, campaign_id)
    closed = campaigns.close_campaign(team.ops, campaign_id, "Month done")

    assert closed["status"] == "closed" and closed["owner_id"] == team.ops.user_id
    assert closed["plan"][0].theme == "Initiation and goals"
    assert closed["check_ins"][0].by == team.ops.user_id
    assert closed["check_ins"][0].check_in.progress[1].note == "Two creators not answering"
    history = campaigns.campaign_history(team.auditor, campaign_id)
    assert [e["event"] for e in history] == ["Planned", "Started", "CheckedIn",
                                             "MidTermReviewed", "ReviewBegun", "Closed"]
    assert history[-1]["reason"] == "Month done"


def test_a_campaign_reads_as_it_stood_at_any_version_or_moment(services, clock) -> None:
    team = given_team(services)
    campaign_id = given_campaign(services, team)
    first = services.campaigns.get_campaign(team.legal, campaign_id)
    clock.advance(hours=1)
    services.campaigns.revise_brief(team.ops, campaign_id, brief(name="Winter glow"),
                                    "Brand renamed the line")

    then = services.campaigns.get_campaign(team.legal, campaign_id, as_of=first["updated_at"])
    by_version = services.campaigns.get_campaign(team.legal, campaign_id, version=1)

    assert then["brief"].name == by_version["brief"].name == "Winter serum launch"
    assert services.campaigns.get_campaign(team.legal, campaign_id)["brief"].name == \
        "Winter glow"
    with pytest.raises(NotFound, match="did not exist yet"):
        services.campaigns.get_campaign(team.legal, campaign_id,
                                        as_of=first["created_at"] - timedelta(days=1))


def test_only_ops_plan_and_run_campaigns_and_a_stale_change_is_refused(services) -> None:
    team = given_team(services)
    campaign_id = given_campaign(services, team)

    with pytest.raises(RoleNotAllowed):
        services.campaigns.plan_campaign(team.legal, brief())
    with pytest.raises(RoleNotAllowed):
        services.campaigns.start_campaign(team.finance, campaign_id)
    with pytest.raises(StaleVersion):
        services.campaigns.start_campaign(team.ops, campaign_id, expected_version=7)
    with pytest.raises(InvalidValue) as refused:
        services.campaigns.plan_campaign(team.ops, brief(ends_on=STARTS - timedelta(days=1),
                                                          budget=[{"amount": -1,
                                                                   "currency": "CNY"}]))
    assert set(refused.value.errors) == {"ends_on", "budget[0].amount"}


def test_nothing_of_another_brand_is_found(services) -> None:
    team, other = given_team(services), given_team(services)
    campaign_id = given_campaign(services, team)
    theirs = given_creator(services, other)

    with pytest.raises(NotFound):
        services.campaigns.get_campaign(other.ops, campaign_id)
    with pytest.raises(NotFound):
        services.campaigns.check_in(other.ops, campaign_id, {"week": 1, "progress": []})
    with pytest.raises(NotFound):
        services.campaigns.record_requirements(team.ops, campaign_id, {
            "creator_id": theirs, "ideas": ["x"]})
    with pytest.raises(NotFound, match="No colleague"):
        services.campaigns.hand_over(team.ops, campaign_id, other.ops.user_id, "Leaving")
    with pytest.raises(NotFound, match="No colleague"):
        services.campaigns.plan_campaign(team.ops, brief(), owner_id=other.ops.user_id)


def test_a_campaign_is_handed_over_to_a_colleague_with_a_reason(services) -> None:
    team = given_team(services)
    campaign_id = given_campaign(services, team)

    with pytest.raises(NotFound, match="may own a campaign"):
        services.campaigns.hand_over(team.ops, campaign_id, team.finance.user_id, "Leaving")
    handed = services.campaigns.hand_over(team.admin, campaign_id, team.legal.user_id,
                                          "Mia leaves the team")

    assert handed["owner_id"] == team.legal.user_id
    assert services.campaigns.campaign_history(team.ops, campaign_id)[-1]["reason"] == \
        "Mia leaves the team"


def test_creators_requirements_are_recorded_for_legal_to_read(services) -> None:
    team = given_team(services)
    campaign_id, creator_id = given_campaign(services, team), given_creator(services, team)

    services.campaigns.record_requirements(team.ops, campaign_id, {
        "creator_id": creator_id, "ideas": ["A ski-chalet morning routine"],
        "requirements": ["Samples in M and L"]})

    shown = services.campaigns.get_campaign(team.legal, campaign_id)["requirements"]
    assert [(r.creator_id, r.ideas) for r in shown] == [(creator_id,
                                                         ("A ski-chalet morning routine",))]


def test_a_contract_joins_one_campaign_and_leaves_it_only_with_a_reason(services) -> None:
    team = given_team(services)
    campaign_id, other_campaign = given_campaign(services, team), given_campaign(
        services, team, name="Spring")
    contract_id = given_draft(services, team)

    joined = services.contracts.join_campaign(team.ops, contract_id, campaign_id)
    again = services.contracts.join_campaign(team.legal, contract_id, campaign_id)

    assert (joined["campaign_id"], joined["campaign"]) == (campaign_id, "Winter serum launch")
    assert again["version"] == joined["version"]  # the same campaign again: nothing new
    with pytest.raises(InvalidTransition, match="another campaign"):
        services.contracts.join_campaign(team.ops, contract_id, other_campaign)
    with pytest.raises(InvalidValue, match="reason"):
        services.contracts.leave_campaign(team.ops, contract_id, None)
    left = services.contracts.leave_campaign(team.legal, contract_id, "Creator moved to Spring")
    assert left["campaign_id"] is None
    trail = services.audit.contract_history(team.auditor, contract_id)["events"]
    assert [e["event"] for e in trail if "Campaign" in e["event"]] == ["JoinedCampaign",
                                                                       "LeftCampaign"]


def test_contracts_join_only_their_brands_open_campaigns(services) -> None:
    team, other = given_team(services), given_team(services)
    campaign_id, theirs = given_campaign(services, team), given_campaign(services, other)
    contract_id = given_active_contract(services, team)
    services.campaigns.cancel_campaign(team.ops, campaign_id, "Budget cut")

    with pytest.raises(NotFound):
        services.contracts.join_campaign(team.ops, contract_id, theirs)
    with pytest.raises(InvalidTransition, match="cancelled"):
        services.contracts.join_campaign(team.ops, contract_id, campaign_id)
    with pytest.raises(RoleNotAllowed):
        services.contracts.join_campaign(team.finance, contract_id, campaign_id)


def test_a_contract_is_drafted_in_a_campaign_from_the_start(services) -> None:
    team, other = given_team(services), given_team(services)
    campaign_id, theirs = given_campaign(services, team), given_campaign(services, other)
    creator_id = given_creator(services, team)
    before = event_count(services)

    with pytest.raises(NotFound):
        services.contracts.draft_contract(team.legal, creator_id, "Winter", valid_terms(),
                                          campaign_id=theirs)
    assert event_count(services) == before
    drafted = services.contracts.draft_contract(team.legal, creator_id, "Winter",
                                                valid_terms(), campaign_id=campaign_id)

    assert (drafted["campaign_id"], drafted["version"]) == (campaign_id, 2)
    trail = services.audit.contract_history(team.auditor, drafted["id"])["events"]
    assert [e["event"] for e in trail] == ["Drafted", "JoinedCampaign"]


def summary_world(services, clock):  # type: ignore[no-untyped-def]
    """A running campaign with a published video (with figures), a draft left overdue by
    a month, a delayed shipment, a check-in; the moment after all that, and the team."""
    team = given_team(services)
    campaign_id = given_campaign(services, team)
    published, late = given_active_contract(services, team), given_active_contract(
        services, team)
    for contract_id in (published, late):
        services.contracts.join_campaign(team.ops, contract_id, campaign_id)
    services.campaigns.start_campaign(team.ops, campaign_id)
    services.campaigns.check_in(team.ops, campaign_id, {"week": 1, "progress": [
        {"goal_key": "background", "state": "done"}]})
    video = given_published(services, team, published)
    services.deliverables.record_metrics(team.ops, video, {
        "source": "douyin export", "measured_at": services.deliverables.clock.now(),
        "counts": {"engaged_views": 40_000, "follows": 500, "orders": 80}})
    shipment = given_shipment(services, team, late)
    services.shipments.dispatch(team.ops, shipment, "SF", "SF1",
                                date.today() + timedelta(days=2))
    services.shipments.delay(team.ops, shipment, "Held at customs",
                             date.today() + timedelta(days=5))
    services.run_policies()
    clock.advance(days=40)  # the second contract's video is now overdue
    return team, campaign_id, published, late


def test_a_monthly_summary_is_written_from_the_events_and_reproduced(services, clock) -> None:
    team, campaign_id, published, late = summary_world(services, clock)
    summaries = services.campaign_summaries

    written = summaries.record_summary(team.ops, campaign_id)
    document = written["document"]

    assert written["number"] == 1 and len(written["digest"]) == 64
    assert (document["deliverables"]["on_time"], document["deliverables"]["overdue"]) == (1, 1)
    assert document["shipments_delayed"][0]["reasons"] == ["Held at customs"]
    assert document["money"]["CNY"]["committed"] == 200_000
    assert document["money"]["CNY"]["results"] == {"engaged_views": 40_000, "follows": 500,
                                                  "orders": 80}
    assert {k: v for k, v in document["money"]["CNY"].items() if k.startswith("cost_per")} \
        == {"cost_per_engaged_view": "0.0500", "cost_per_follower": "4.0000",
            "cost_per_order": "25.0000"}
    advice = {c["contract_id"]: c["advice"] for c in document["next_month"]["creators"]}
    assert advice == {published: "renew", late: "drop"}
    assert {"week": 1, "goal": "background"} not in [
        {k: g[k] for k in ("week", "goal")} for g in document["next_month"]["goals_carried_over"]]
    assert "| " not in written["markdown"] and "**drop**" in written["markdown"]
    assert summaries.reproduce(team.auditor, campaign_id, 1)["reproduced"] is True


def test_a_summary_as_of_a_past_moment_leaves_out_what_came_after(services, clock) -> None:
    team, campaign_id, _, late = summary_world(services, clock)
    then = datetime.now(UTC)  # the time events are stamped with (the fake clock is ahead)
    services.contracts.leave_campaign(team.ops, late, "Creator unreachable")
    summaries = services.campaign_summaries

    before = summaries.record_summary(team.ops, campaign_id, as_of=then)
    now = summaries.record_summary(team.ops, campaign_id)

    assert len(before["document"]["contracts"]) == 2 and len(now["document"]["contracts"]) == 1
    assert summaries.get_summary(team.legal, campaign_id, 1)["digest"] == before["digest"]
    assert summaries.reproduce(team.auditor, campaign_id, 1)["reproduced"] is True
    with pytest.raises(NotFound):
        summaries.get_summary(team.legal, campaign_id, 3)
    with pytest.raises(InvalidValue, match="future"):
        summaries.record_summary(team.ops, campaign_id,
                                 as_of=services.campaigns.clock.now() + timedelta(days=1))
    with pytest.raises(RoleNotAllowed):
        summaries.record_summary(team.legal, campaign_id)


def test_a_summary_whose_events_were_altered_no_longer_reproduces(durable_services,  # type: ignore[no-untyped-def]
                                                                 clock) -> None:
    services = durable_services
    team, campaign_id, _, late = summary_world(services, clock)
    services.campaign_summaries.record_summary(team.ops, campaign_id)
    tamper = Tamper(services)
    (shipment,) = services.shipments.shipment_ids_of(late)
    (delayed,) = [n for n in services.shipments.recorder.select_notifications(1, 100_000)
                  if n.originator_id == shipment and n.topic.endswith("Shipment.Delayed")]
    tamper.run(f"UPDATE {tamper.events('shipments')} SET state = %s WHERE "
               f"{tamper.position} = %s", (bytes(delayed.state).replace(
                   b"Held at customs", b"Weather delay!!"), delayed.id))

    check = services.campaign_summaries.reproduce(team.auditor, campaign_id, 1)

    assert check["reproduced"] is False and check["digest_now"] != check["digest"]
