"""Content from outline to acceptance over HTTP, with compliance checks."""

from tests.api.conftest import Api, World
from tests.builders import given_active_contract, valid_terms


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
