"""Content from outline to acceptance over HTTP, with compliance checks."""

from tests.api.conftest import Api, World
from tests.builders import given_active_contract, valid_terms

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)


def test_a_deliverable_goes_from_outline_to_acceptance(api: Api, world: World) -> None:
    path = f"/deliverables/{world.deliverable}"

    steps = [
        api.call("POST", f"{path}/outline", role="ops", json={"content": "Unboxing idea #ad"}),
        api.call("POST", f"{path}/outline/approve", role="ops", json={}),
        api.call("POST", f"{path}/draft", role="ops", json={"content": "Final cut #ad"}),
        api.call("POST", f"{path}/draft/approve", role="ops", json={}),
        api.call("POST", f"{path}/publish", role="ops",
                 json={"url": "https://www.douyin.com/video/7301"}),
        api.call("POST", f"{path}/accept", role="ops", json={}),
    ]

    assert [s.status_code for s in steps] == [200] * 6
    assert [s.json["status"] for s in steps] == [
        "outline_submitted", "outline_approved", "draft_submitted", "draft_approved",
        "published", "accepted"]
    assert steps[-1].json["submissions"][1]["compliant"] is True


def test_a_non_compliant_draft_is_caught_and_needs_legals_override(api: Api,
                                                                  world: World) -> None:
    path = f"/deliverables/{world.outline_submitted}"
    api.call("POST", f"{path}/outline/approve", role="ops", json={})

    draft = api.call("POST", f"{path}/draft", role="ops",
                     json={"content": "Best serum, cured my acne in 3 days!"})
    by_ops = api.call("POST", f"{path}/draft/approve", role="ops", json={})
    without_reason = api.call("POST", f"{path}/draft/approve", role="legal", json={})
    overridden = api.call("POST", f"{path}/draft/approve", role="legal",
                          json={"override_reason": "Disclosure is in the caption"})

    (violation,) = draft.json["submissions"][-1]["violations"]
    assert violation == {"kind": "missing_disclosure", "text": "#ad", "start": None,
                         "end": None}
    assert (by_ops.status_code, without_reason.status_code) == (403, 422)
    assert overridden.status_code == 200 and overridden.json["status"] == "draft_approved"


def test_a_contracts_deliverables_are_listed_and_other_stages_are_not_routes(
        api: Api, world: World) -> None:
    deliverable = api.call("GET", f"/deliverables/{world.deliverable}").json

    listed = api.call("GET", f"/contracts/{deliverable['contract_id']}/deliverables")
    unknown_stage = api.call("POST", f"/deliverables/{world.deliverable}/teaser", role="ops",
                             json={"content": "x"})

    assert [d["id"] for d in listed.json["deliverables"]] == [world.deliverable]
    assert unknown_stage.status_code == 404


def test_the_board_shows_what_awaits_review_is_due_soon_or_overdue(api: Api,
                                                                   world: World) -> None:
    world.make("outline_submitted", "deliverable")
    api.services.read_models.catch_up()

    def board(**query: object) -> list[str]:
        response = api.call("GET", "/deliverables", role="ops", query_string=query)
        assert response.status_code == 200, response.json
        return [d["deliverable_id"] for d in response.json["items"]]

    awaiting = board(awaiting_review="true")
    due_soon = board(due_within_days=40)
    overdue_now = board(overdue="true")
    api.services.lists.clock.advance(days=45)  # the terms' due date is 30 days out
    overdue_later = board(overdue="true")

    assert awaiting == [world.outline_submitted]
    assert set(due_soon) == {world.outline_submitted, world.deliverable}
    assert overdue_now == []
    assert set(overdue_later) == {world.outline_submitted, world.deliverable}


def test_legal_sees_the_drafts_that_need_an_override(api: Api, world: World) -> None:
    path = f"/deliverables/{world.outline_submitted}"
    api.call("POST", f"{path}/outline/approve", role="ops", json={})
    api.call("POST", f"{path}/draft", role="ops", json={"content": "No disclosure here"})
    world.make("deliverable")  # another one, with nothing for legal
    api.services.read_models.catch_up()

    response = api.call("GET", "/deliverables", role="legal",
                        query_string={"needs_legal": "true"})

    assert [d["deliverable_id"] for d in response.json["items"]] == [world.outline_submitted]
    assert response.json["items"][0]["status"] == "draft_submitted"


def test_the_contracts_overview_counts_deliverables_by_their_own_state(api: Api,
                                                                      world: World) -> None:
    contract_id = api.call("GET", f"/deliverables/{world.outline_submitted}").json[
        "contract_id"]
    api.services.read_models.catch_up()

    (row,) = [c for c in api.call("GET", "/contracts").json["items"]
              if c["contract_id"] == contract_id]

    assert row["deliverables_by_state"] == {"outline_submitted": 1}


def test_due_dates_move_within_the_buffer_for_ops_and_beyond_it_for_legal(api: Api) -> None:
    contract_id = given_active_contract(api.services, api.team, valid_terms(buffer_days=3))
    api.services.run_policies()
    (owed,) = api.call("GET", f"/contracts/{contract_id}/deliverables").json["deliverables"]
    path = f"/deliverables/{owed['id']}/extend"

    within = api.call("POST", path, role="ops", json={"days": 3, "category": "shipment_delay",
                                                      "reason": "Samples at customs"})
    beyond = api.call("POST", path, role="ops", json={"days": 1, "category": "creator_request"})
    by_legal = api.call("POST", path, role="legal", json={"days": 1,
                                                          "category": "creator_request"})
    bad = api.call("POST", path, role="legal", json={"days": 0, "category": "weather"})
    api.services.read_models.catch_up()
    board = api.call("GET", "/deliverables", query_string={"contract_id": contract_id})

    assert (within.status_code, beyond.status_code, by_legal.status_code) == (200, 403, 200)
    assert bad.status_code == 422 and set(bad.json["errors"]) == {"days", "category"}
    assert by_legal.json["extended_days"] == 4
    assert board.json["items"][0]["due_date"] == by_legal.json["due_date"]


def test_a_delayed_shipment_proposes_an_extension_that_ops_grants_within_the_buffer(
        api: Api, world: World) -> None:
    path = f"/deliverables/{world.proposed}"  # its shipment's ETA moved two days
    before = api.call("GET", path).json
    api.services.read_models.catch_up()
    flagged = api.call("GET", "/deliverables", role="ops",
                       query_string={"has_proposals": "true"}).json["items"]

    granted = api.call("POST", f"{path}/proposals/1/grant", role="ops", json={})
    again = api.call("POST", f"{path}/proposals/1/grant", role="ops", json={})
    api.services.read_models.catch_up()
    after_grant = api.call("GET", "/deliverables", role="ops",
                           query_string={"has_proposals": "true"}).json["items"]

    (proposal,) = before["proposals"]
    assert (proposal["days"], proposal["category"], proposal["open"]) == \
        (2, "shipment_delay", True)
    assert "delayed" in proposal["cause"]
    assert [d["deliverable_id"] for d in flagged] == [world.proposed]
    assert flagged[0]["open_proposals"] == 1
    assert granted.status_code == 200 and granted.json["extended_days"] == 2
    assert granted.json["proposals"][0]["open"] is False
    assert again.status_code == 422
    assert after_grant == []


def test_a_proposal_beyond_the_buffer_needs_legal_and_a_decline_needs_a_reason(
        api: Api, world: World) -> None:
    path = f"/deliverables/{world.proposed}"
    api.call("POST", f"{path}/extend", role="ops",
             json={"days": 2, "category": "production_delay"})  # 2 of the 3 buffer days

    by_ops = api.call("POST", f"{path}/proposals/1/grant", role="ops", json={})
    declined_without_reason = api.call("POST", f"{path}/proposals/1/decline", role="ops",
                                       json={})
    by_legal = api.call("POST", f"{path}/proposals/1/grant", role="legal",
                        json={"reason": "Customs hold, documented"})

    assert by_ops.status_code == 403
    assert declined_without_reason.status_code == 422
    assert by_legal.status_code == 200 and by_legal.json["extended_days"] == 4


def test_submissions_are_due_for_review_and_late_reviews_show_on_the_board(
        api: Api, world: World) -> None:
    submitted = api.call("GET", f"/deliverables/{world.outline_submitted}").json
    api.services.read_models.catch_up()

    def board(**query: object) -> list[str]:
        response = api.call("GET", "/deliverables", role="ops", query_string=query)
        return [d["deliverable_id"] for d in response.json["items"]]

    on_time = board(review_overdue="true")
    api.services.lists.clock.advance(days=submitted["review_days"] + 1)
    late = board(review_overdue="true")

    assert submitted["submissions"][0]["review_due"] is not None
    assert on_time == [] and late == [world.outline_submitted]


def test_the_board_for_me_shows_what_waits_on_my_role(api: Api, world: World) -> None:
    compliant = world.outline_submitted
    non_compliant = world._new_deliverable()
    api.call("POST", f"/deliverables/{non_compliant}/outline", role="ops",
             json={"content": "No disclosure here"})
    world.make("deliverable", "proposed")
    api.services.read_models.catch_up()

    def mine(role: str) -> set[str]:
        response = api.call("GET", "/deliverables", role=role, query_string={"for_me": "true"})
        return {d["deliverable_id"] for d in response.json["items"]}

    assert mine("ops") == {compliant, world.proposed}
    assert mine("legal") == {non_compliant}
    assert mine("finance") == set()
