"""API conventions: authentication, brand isolation, problem+json, versions, size limits."""

from typing import Any

import pytest

from application.common.actor import system_actor
from tests.api.conftest import Api, World
from tests.builders import given_draft, given_team, valid_terms

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)


PROBLEM = "application/problem+json"


def test_requests_without_a_valid_token_get_401(api: Api, world: World) -> None:
    token_id, token = api.services.identity.issue_token(system_actor(), api.team.legal.user_id)
    api.services.identity.revoke_token(system_actor(), token_id, "lost laptop")

    missing = api.call("GET", f"/contracts/{world.draft}", role=None)
    wrong = api.call("GET", f"/contracts/{world.draft}", role=None,
                     headers={"Authorization": "Bearer kp_not-a-token"})
    revoked = api.call("GET", f"/contracts/{world.draft}", role=None,
                       headers={"Authorization": f"Bearer {token}"})

    for response in (missing, wrong, revoked):
        assert response.status_code == 401
        assert response.content_type == PROBLEM
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_another_brands_records_answer_404_and_stay_unchanged(api: Api) -> None:
    other = given_team(api.services)
    their_contract = given_draft(api.services, other)
    their_creator = api.services.contracts.get_contract(other.legal, their_contract)["creator_id"]
    before = api.events()

    responses = [
        api.call("GET", f"/contracts/{their_contract}"),
        api.call("GET", f"/contracts/{their_contract}/history", role="auditor"),
        api.call("POST", f"/contracts/{their_contract}/send-for-signature", json={}),
        api.call("PUT", f"/contracts/{their_contract}/terms", json={"terms": valid_terms()}),
        api.call("GET", f"/creators/{their_creator}", role="ops"),
        api.call("POST", f"/creators/{their_creator}/pause", role="ops", json={}),
        api.call("POST", "/contracts", json={"creator_id": their_creator, "title": "x",
                                             "terms": valid_terms()}),
    ]

    assert [r.status_code for r in responses] == [404] * len(responses)
    assert api.events() == before


def with_bonus(bonus: dict[str, Any]) -> dict[str, Any]:
    terms = valid_terms()
    terms["milestones"][1]["bonus"] = bonus
    return terms


@pytest.mark.parametrize(("path", "payload", "status", "field"), [
    ("/contracts", {"title": "x"}, 422, "creator_id"),
    ("/contracts", {"creator_id": "{creator}", "title": "x", "terms": valid_terms(),
                    "surprise": 1}, 422, "surprise"),
    ("/contracts", {"creator_id": "{creator}", "title": "x",
                    "terms": valid_terms(fee=-5)}, 422, "terms.fee.amount"),
    ("/contracts", {"creator_id": "{creator}", "title": "x",
                    "terms": {**valid_terms(), "fee": {"amount": 99, "currency": "CNY"}}},
     422, "milestones"),
    ("/contracts", {"creator_id": "{creator}", "title": "x",
                    "terms": valid_terms(currency="XYZ")}, 422, "fee.currency"),
    ("/contracts", {"creator_id": "{creator}", "title": "x",
                    "terms": {**valid_terms(), "fee": {"amount": "lots", "currency": "CNY"}}},
     422, "terms.fee.amount"),
    ("/contracts", {"creator_id": "{creator}", "title": "x", "terms": with_bonus(
        {"deliverable_key": "video-1", "window_days": 14, "rate": 100})},
     422, "milestones[1].bonus.rate"),
    ("/contracts", {"creator_id": "{creator}", "title": "x", "terms": with_bonus(
        {"deliverable_key": "video-1", "window_days": 14, "tier_metric": "engaged_views",
         "tiers": [{"at_least": 0, "amount": 5}]})},
     422, "terms.milestones.1.bonus.tiers.0.at_least"),
    ("/contracts", ["not", "an", "object"], 422, "request"),
    ("/contracts/{draft}/terminate", {}, 422, "reason"),
    ("/contracts/{draft}/terminate", {"reason": "x" * 5000}, 422, "reason"),
])
def test_invalid_input_gets_a_field_error_and_stores_nothing(
        api: Api, world: World, path: str, payload: object, status: int, field: str) -> None:
    if isinstance(payload, dict):
        payload = {k: (v.format(creator=world.creator) if isinstance(v, str) else v)
                   for k, v in payload.items()}
    url = path.format(draft=world.draft)
    before = api.events()

    response = api.call("POST", url, json=payload)

    assert response.status_code == status, response.json
    assert response.content_type == PROBLEM
    assert field in response.json["errors"], response.json
    assert api.events() == before


def test_malformed_json_is_a_400(api: Api, world: World) -> None:
    url = f"/contracts/{world.draft}/cancel"
    before = api.events()

    response = api.call("POST", url, data='{"reason": ', content_type="application/json")

    assert response.status_code == 400
    assert response.content_type == PROBLEM
    assert api.events() == before


def test_unknown_ids_and_query_values_are_refused_cleanly(api: Api, world: World) -> None:
    assert api.call("GET", "/contracts/not-a-uuid").status_code == 404
    assert api.call("GET", f"/contracts/{world.creator}").status_code == 404  # a creator's id
    assert api.call("GET", f"/contracts/{world.draft}?as_of=yesterday").status_code == 422
    assert api.call("GET", f"/contracts/{world.draft}?as_of=2026-01-01T10:00:00").status_code \
        == 422  # no time zone
    assert api.call("GET", f"/contracts/{world.draft}?version=0").status_code == 422
    assert api.call("GET", f"/contracts/{world.draft}?colour=red").status_code == 422


def test_state_conflicts_are_409(api: Api, world: World) -> None:
    response = api.call("POST", f"/contracts/{world.draft}/sign", json={"name": "Lee"})

    assert response.status_code == 409
    assert response.json["type"] == "urn:kolpact:problem:invalid-state"
    assert "no terms are awaiting signature" in response.json["detail"]


def test_responses_carry_the_version_as_etag_and_if_match_guards_changes(
        api: Api, world: World) -> None:
    current = api.call("GET", f"/contracts/{world.draft}")
    before = api.events()

    stale = api.call("POST", f"/contracts/{world.draft}/send-for-signature", json={},
                     headers={"If-Match": '"7"'})
    stale_in_body = api.call("POST", f"/contracts/{world.draft}/send-for-signature",
                             json={"expected_version": 3})
    malformed = api.call("POST", f"/contracts/{world.draft}/send-for-signature", json={},
                         headers={"If-Match": "seven"})
    unchanged = api.events()
    fresh = api.call("POST", f"/contracts/{world.draft}/send-for-signature", json={},
                     headers={"If-Match": current.headers["ETag"]})

    assert current.headers["ETag"] == f'"{current.json["version"]}"'
    assert (stale.status_code, stale_in_body.status_code, malformed.status_code) == \
        (412, 412, 400)
    assert unchanged == before
    assert fresh.status_code == 200 and fresh.headers["ETag"] == '"2"'


def test_oversized_requests_get_413(api: Api, world: World) -> None:
    response = api.call("POST", f"/contracts/{world.draft}/cancel",
                        json={"reason": "x" * (2 * 1024 * 1024)})

    assert response.status_code == 413
    assert response.content_type == PROBLEM


def test_health_docs_and_openapi_need_no_token(api: Api) -> None:
    health = api.call("GET", "/health", role=None)
    spec = api.call("GET", "/openapi.json", role=None)
    docs = api.call("GET", "/docs", role=None)
    asset = api.call("GET", "/docs-assets/swagger-ui-bundle.js", role=None)

    assert health.json == {"status": "ok", "database": "ok", "events_set_aside": 0}
    assert "/api/v1/contracts/{contract_id}/send-for-signature" in spec.json["paths"]
    assert spec.json["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert docs.status_code == asset.status_code == 200


def test_every_request_is_logged_with_its_request_id(api: Api, world: World, caplog) -> None:
    caplog.set_level("INFO", logger="kolpact.requests")

    given = api.call("GET", f"/contracts/{world.draft}", headers={"X-Request-Id": "trace-42"})
    generated = api.call("GET", "/contracts/not-a-uuid")

    assert given.headers["X-Request-Id"] == "trace-42"
    assert len(generated.headers["X-Request-Id"]) == 32
    logged = {r.request_id: r for r in caplog.records if r.name == "kolpact.requests"}
    assert logged["trace-42"].status == 200
    assert logged["trace-42"].user_id == api.team.legal.user_id
    assert logged[generated.headers["X-Request-Id"]].status == 404


def test_nul_characters_are_refused_wherever_they_come(api: Api, world: World) -> None:
    world.make("draft", "published")
    before = api.events()

    in_json = api.call("POST", "/creators", role="ops",
                       json={**world.creator_body(), "display_name": "Mia\u0000Chen"})
    in_query = api.call("GET", "/contracts?campaign=a%00b")
    in_csv = api.call("POST", "/metrics/imports?source=x", role="ops",
                      data=f"deliverable,date,views\n{world.published},2026-01-01,1\x00\n".encode(),
                      headers={"Content-Type": "text/csv"})

    assert [r.status_code for r in (in_json, in_query, in_csv)] == [422, 422, 422]
    assert set(in_json.json["errors"]) == {"body"} and set(in_query.json["errors"]) == {"query"}
    assert api.events() == before
