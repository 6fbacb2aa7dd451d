"""Content from outline to acceptance over HTTP, with compliance checks."""

from tests.api.conftest import Api, World


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
