"""Campaigns over HTTP: planned once per key, run on their plan, listed, joined by
contracts; another brand's ids are never found and bad input says what is wrong."""

from datetime import date, timedelta

import pytest

from application.payments.payouts import payout_id
from tests.api.conftest import Api, World
from tests.builders import (
    campaign_brief,
    given_active_contract,
    given_campaign,
    given_draft,
    given_shipment,
    given_team,
)

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)


def test_a_campaign_is_planned_once_per_key_and_run_on_its_plan(api: Api) -> None:
    key = {"Idempotency-Key": "winter-2026"}

    planned = api.call("POST", "/campaigns", role="ops", json={"brief": campaign_brief()},
                       headers=key)
    again = api.call("POST", "/campaigns", role="ops", json={"brief": campaign_brief()},
                     headers=key)
    path = f"/campaigns/{planned.json['id']}"
    started = api.call("POST", f"{path}/start", role="ops", json={},
                       headers={"If-Match": planned.headers["ETag"]})
    checked = api.call("POST", f"{path}/check-ins", role="ops", json={
        "week": 1, "progress": [{"goal_key": "background", "state": "done"},
                                {"goal_key": "expected-results", "state": "behind",
                                 "note": "Brand has not set the order target"}],
        "risks": ["Kick-off slips"]}, headers={"If-Match": started.headers["ETag"]})
    history = api.call("GET", f"{path}/history", role="auditor")

    assert planned.status_code == 201 and planned.headers["Location"].endswith(path)
    assert again.json["id"] == planned.json["id"] and api.call(
        "GET", path).json["version"] == 3
    assert planned.json["plan"][0]["theme"] == "Initiation and goals"
    assert planned.json["plan"][3]["key_dates"][-1]["label"] == "Data review"
    assert checked.status_code == 200, checked.json
    assert checked.json["check_ins"][0]["check_in"]["progress"][1]["state"] == "behind"
    assert [e["event"] for e in history.json["events"]] == ["Planned", "Started", "CheckedIn"]
    assert history.json["events"][0]["actor_name"] == "Ops"
    assert history.json["events"][0]["actor_roles"] == ["ops"]


def test_a_stale_change_is_refused_and_the_past_is_read_as_it_was(api: Api) -> None:
    campaign_id = given_campaign(api.services, api.team)
    path = f"/campaigns/{campaign_id}"
    first = api.call("GET", path)
    api.call("POST", f"{path}/brief", role="ops",
             json={"brief": campaign_brief(name="Winter glow"), "reason": "Renamed"})

    stale = api.call("POST", f"{path}/start", role="ops", json={},
                     headers={"If-Match": first.headers["ETag"]})
    then = api.call("GET", path, query_string={"as_of": first.json["updated_at"]})
    version_one = api.call("GET", path, query_string={"version": 1})

    assert stale.status_code == 412 and stale.content_type == "application/problem+json"
    assert then.json["brief"]["name"] == version_one.json["brief"]["name"] == \
        "Winter serum launch"
    assert api.call("GET", path).json["brief"]["name"] == "Winter glow"
    assert api.call("GET", path, query_string={"version": 9}).status_code == 404


@pytest.mark.parametrize(("body", "fields"), [
    ({"brief": campaign_brief(ends_on="2020-01-01")}, {"ends_on"}),
    ({"brief": campaign_brief(budget=[{"amount": 1, "currency": "CNY"},
                                      {"amount": 2, "currency": "CNY"}])}, {"budget"}),
    ({"brief": {**campaign_brief(), "promise": ""}}, {"brief.promise"}),
    ({"brief": campaign_brief(), "plan": [{"number": 1, "theme": "x"}]}, {"plan"}),
    ({"brief": campaign_brief(mix={"kol": -1})}, {"brief.mix.kol"}),
])
def test_a_bad_campaign_is_refused_with_each_problem_named(api: Api, body: dict,  # type: ignore[type-arg]
                                                          fields: set[str]) -> None:
    before = api.events()

    refused = api.call("POST", "/campaigns", role="ops", json=body)

    assert refused.status_code == 422 and refused.content_type == "application/problem+json"
    assert fields <= set(refused.json["errors"]), refused.json
    assert api.events() == before


def test_campaigns_are_listed_by_status_a_page_at_a_time(api: Api) -> None:
    team = given_team(api.services)
    ids = [given_campaign(api.services, team, name=f"Push {n}",
                          starts_on=(date.today() + timedelta(days=n)).isoformat(),
                          ends_on=(date.today() + timedelta(days=n + 27)).isoformat())
           for n in range(3)]
    api.services.campaigns.start_campaign(team.ops, ids[0])
    api.team = team
    api.services.read_models.catch_up()

    first = api.call("GET", "/campaigns", query_string={"limit": 2, "sort": "starts_on"})
    second = api.call("GET", "/campaigns", query_string={
        "limit": 2, "sort": "starts_on", "cursor": first.json["next_cursor"]})
    running = api.call("GET", "/campaigns", query_string={"status": "running"})

    assert [c["name"] for c in first.json["items"] + second.json["items"]] == [
        "Push 0", "Push 1", "Push 2"]
    assert [c["campaign_id"] for c in running.json["items"]] == [ids[0]]
    assert first.json["items"][0]["budget"] == [{"amount": 50_000_000, "currency": "CNY"}]


def test_a_contract_joins_a_campaign_and_leaves_it_with_a_reason(api: Api) -> None:
    campaign_id = given_campaign(api.services, api.team)
    contract_id = given_draft(api.services, api.team)

    joined = api.call("POST", f"/contracts/{contract_id}/campaign", role="ops",
                      json={"campaign_id": campaign_id})
    api.services.read_models.catch_up()
    listed = api.call("GET", "/contracts", query_string={"campaign_id": campaign_id})
    counted = api.call("GET", "/campaigns").json["items"][0]["contracts"]
    unexplained = api.call("POST", f"/contracts/{contract_id}/leave-campaign", json={})
    left = api.call("POST", f"/contracts/{contract_id}/leave-campaign",
                    json={"reason": "Moved to the spring push"})

    assert joined.status_code == 200 and joined.json["campaign_id"] == campaign_id
    assert joined.json["campaign"] == "Winter serum launch"
    assert [c["contract_id"] for c in listed.json["items"]] == [contract_id]
    assert counted == 1
    assert unexplained.status_code == 422
    assert left.status_code == 200 and left.json["campaign_id"] is None


def test_another_brands_campaign_is_not_found_in_any_path_or_body(api: Api,
                                                                  world: World) -> None:
    other = given_team(api.services)
    theirs = given_campaign(api.services, other)
    their_creator = api.services.creators.register_creator(
        other.ops, {"display_name": "Theirs", "kind": "KOC", "handles": []})["id"]
    mine, draft = world.campaign, world.draft
    before = api.events()

    answers = [
        api.call("GET", f"/campaigns/{theirs}").status_code,
        api.call("GET", f"/campaigns/{theirs}/history").status_code,
        api.call("POST", f"/campaigns/{theirs}/start", role="ops", json={}).status_code,
        api.call("POST", f"/campaigns/{theirs}/brief", role="ops",
                 json={"brief": campaign_brief()}).status_code,
        api.call("POST", f"/campaigns/{theirs}/weeks/1", role="ops",
                 json={"theme": "x"}).status_code,
        api.call("POST", f"/campaigns/{theirs}/cancel", role="ops",
                 json={"reason": "x"}).status_code,
        api.call("POST", f"/campaigns/{theirs}/hand-over", role="ops",
                 json={"owner_id": other.ops.user_id, "reason": "x"}).status_code,
        api.call("POST", f"/campaigns/{mine}/hand-over", role="ops",
                 json={"owner_id": other.ops.user_id, "reason": "x"}).status_code,
        api.call("POST", f"/campaigns/{mine}/requirements", role="ops",
                 json={"creator_id": str(their_creator), "ideas": ["x"]}).status_code,
        api.call("POST", f"/contracts/{draft}/campaign", role="ops",
                 json={"campaign_id": theirs}).status_code,
        api.call("POST", "/campaigns", role="ops", json={
            "brief": campaign_brief(), "owner_id": other.ops.user_id}).status_code,
        api.call("POST", "/campaigns", role="ops", json={
            "brief": campaign_brief(), "brand_id": other.brand_id}).status_code,
        api.call("GET", "/campaigns", query_string={"owner_id": other.ops.user_id}
                 ).status_code,
        api.call("GET", "/contracts", query_string={"campaign_id": theirs}).status_code,
    ]

    assert answers == [404] * len(answers)
    assert api.events() == before


def test_the_board_shows_each_contracts_state_and_the_budget_against_what_is_signed(
        api: Api, clock) -> None:  # type: ignore[no-untyped-def]
    services, team = api.services, api.team
    campaign_id = given_campaign(services, team, budget=[{"amount": 150_000,
                                                          "currency": "CNY"}])
    signed = given_active_contract(services, team)
    services.run_policies()
    waiting = given_draft(services, team)
    for contract_id in (signed, waiting):
        services.contracts.join_campaign(team.ops, contract_id, campaign_id)
    services.contracts.send_for_signature(team.legal, waiting)
    shipment = given_shipment(services, team, signed)
    services.shipments.dispatch(team.ops, shipment, "SF", "SF1", date.today() + timedelta(
        days=2))
    services.payouts.request_release(team.finance, str(payout_id(signed, "signing")))
    clock.advance(days=31)  # the video (due in 30 days) is overdue, the samples late
    services.read_models.catch_up()

    board = api.call("GET", f"/campaigns/{campaign_id}/board", role="finance")
    sign = api.call("POST", f"/contracts/{waiting}/sign", json={"name": "Lee Legal"})

    assert board.status_code == 200, board.json
    lines = {c["contract_id"]: c for c in board.json["contracts"]}
    assert lines[signed]["next_due"]["key"] == "video-1" and lines[signed]["overdue"] == 1
    assert (lines[signed]["late_shipments"], lines[signed]["payouts_awaiting_approval"]) == \
        (1, 1)
    assert lines[waiting]["status"] == "sent_for_signature"
    assert board.json["budget"] == [{"currency": "CNY", "budget": 150_000,
                                     "committed": 100_000, "paid": 0, "held": 0,
                                     "remaining": 50_000, "over_budget": False}]
    assert [(k["kind"], k["cost"]) for k in board.json["performance"]["by_kind"]] == [
        ("short_video", 100_000)]
    assert [(c["creator_id"], c["cost"]) for c in board.json["performance"]["by_creator"]] \
        == [(lines[signed]["creator_id"], 100_000)]
    assert sign.status_code == 200
    assert sign.json["warnings"] == [
        "Signing takes Winter serum launch over its CNY budget: CN¥1,000.00 is committed "
        "of CN¥1,500.00, and this contract adds CN¥1,000.00."]


def test_another_brands_board_is_not_found(api: Api) -> None:
    theirs = given_campaign(api.services, given_team(api.services))

    assert api.call("GET", f"/campaigns/{theirs}/board").status_code == 404


def test_a_monthly_summary_is_written_read_as_markdown_and_html_and_reproduced(
        api: Api) -> None:
    campaign_id = given_campaign(api.services, api.team)
    contract_id = given_active_contract(api.services, api.team)
    api.services.contracts.join_campaign(api.team.ops, contract_id, campaign_id)
    api.services.campaigns.start_campaign(api.team.ops, campaign_id)
    shipment = given_shipment(api.services, api.team, contract_id)
    api.services.shipments.dispatch(api.team.ops, shipment, "SF", "SF1",
                                    date.today() + timedelta(days=2))
    api.services.shipments.delay(api.team.ops, shipment, "<script>alert(1)</script> customs",
                                 date.today() + timedelta(days=4))
    path = f"/campaigns/{campaign_id}/summaries"

    written = api.call("POST", path, role="ops", json={})
    read = api.call("GET", f"{path}/1", role="auditor")
    markdown = api.call("GET", f"{path}/1/report.md", role="auditor")
    page = api.call("GET", f"{path}/1/report.html", role="auditor")
    check = api.call("GET", f"{path}/1/reproduction", role="auditor")
    listed = api.call("GET", f"/campaigns/{campaign_id}").json["summaries"]

    assert written.status_code == 201 and written.headers["Location"].endswith(f"{path}/1")
    assert read.json["digest"] == written.json["digest"] == listed[0]["digest"]
    assert read.json["document"]["contracts"][0]["contract_id"] == contract_id
    assert markdown.content_type.startswith("text/markdown")
    assert "# Winter serum launch: summary 1" in markdown.get_data(as_text=True)
    assert page.content_type.startswith("text/html")
    html_text = page.get_data(as_text=True)
    assert "<h1>Winter serum launch: summary 1</h1>" in html_text
    assert "<script>" not in html_text and "&lt;script&gt;alert(1)&lt;/script&gt; customs" \
        in html_text  # what people typed shows as text, never runs
    assert check.json["reproduced"] is True
    assert api.call("GET", f"{path}/2", role="auditor").status_code == 404
    assert api.call("POST", path, role="finance", json={}).status_code == 403


def test_another_brands_summaries_are_not_found(api: Api) -> None:
    other = given_team(api.services)
    theirs = given_campaign(api.services, other)
    api.services.campaigns.start_campaign(other.ops, theirs)
    api.services.campaign_summaries.record_summary(other.ops, theirs)
    path = f"/campaigns/{theirs}/summaries"
    before = api.events()

    answers = [api.call("POST", path, role="ops", json={}).status_code,
               api.call("GET", f"{path}/1").status_code,
               api.call("GET", f"{path}/1/report.html").status_code,
               api.call("GET", f"{path}/1/reproduction").status_code]

    assert answers == [404] * 4 and api.events() == before


def test_the_cost_lens_reads_a_campaign_by_kind_of_deliverable(api: Api) -> None:
    campaign_id = given_campaign(api.services, api.team)
    inside = given_active_contract(api.services, api.team)
    given_active_contract(api.services, api.team)  # outside the campaign
    api.services.contracts.join_campaign(api.team.ops, inside, campaign_id)
    api.services.run_policies()
    api.services.read_models.catch_up()

    lens = api.call("GET", "/metrics/cost-lens", query_string={
        "by": "kind", "campaign_id": campaign_id})
    everything = api.call("GET", "/metrics/cost-lens", query_string={"by": "kind"})

    assert lens.status_code == 200, lens.json
    assert [(r["kind"], r["cost"], r["contracts"]) for r in lens.json["rows"]] == [
        ("short_video", 100_000, 1)]
    assert everything.json["rows"][0]["contracts"] == 2  # the one outside counts here
