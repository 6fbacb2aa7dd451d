"""Numbers and durations the stores, the date arithmetic and the read models cannot hold
are refused (422 with the field) and change nothing, so no value the API accepts can
stop a follower for every brand."""

from typing import Any

import pytest

from tests.api.conftest import Api, World
from tests.builders import SHIPPED_ITEMS, SHIPPING_ADDRESS, creator_profile, valid_terms

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)


HUGE = 2**63


def terms_with(path: str, value: Any) -> dict[str, Any]:
    terms = valid_terms(usage_rights=[{"key": "repost", "channels": ["organic_repost"],
                                       "territories": ["CN"], "starts": "on_signature",
                                       "duration_days": 90}])
    if path == "fee":
        terms["fee"]["amount"] = value
    elif path == "milestone":
        terms["milestones"][0]["amount"] = value
    elif path == "duration_days":
        terms["usage_rights"][0]["duration_days"] = value
    elif path == "due_date":
        terms["deliverables"][0]["due_date"] = value
    elif path == "quantity":
        terms["deliverables"][0]["quantity"] = value
    return terms


def huge_creator(w: World) -> dict[str, Any]:
    profile = creator_profile("Huge")
    profile["handles"][0]["followers"] = HUGE
    return profile


@pytest.mark.parametrize(("what", "method", "path", "role", "make_body", "field"), [
    ("followers", "POST", "/creators", "ops", huge_creator, "followers"),
    ("fee", "POST", "/contracts", "legal",
     lambda w: {"creator_id": w.creator, "title": "x", "terms": terms_with("fee", HUGE)},
     "amount"),
    ("milestone", "POST", "/contracts", "legal",
     lambda w: {"creator_id": w.creator, "title": "x", "terms": terms_with("milestone", HUGE)},
     "amount"),
    ("right of 10^9 days", "POST", "/contracts", "legal",
     lambda w: {"creator_id": w.creator, "title": "x",
                "terms": terms_with("duration_days", 10**9)}, "duration_days"),
    ("due in year 9999", "POST", "/contracts", "legal",
     lambda w: {"creator_id": w.creator, "title": "x",
                "terms": terms_with("due_date", "9999-12-31")}, "due_date"),
    ("a million pieces", "POST", "/contracts", "legal",
     lambda w: {"creator_id": w.creator, "title": "x",
                "terms": terms_with("quantity", 10**6)}, "quantity"),
    ("adjustment", "POST", "/payouts/{payout}/adjust", "finance",
     lambda w: {"amount": {"amount": HUGE, "currency": "CNY"}, "reason": "x", "cause": "x"},
     "amount"),
    ("shipment quantity", "POST", "/shipments", "ops",
     lambda w: {**w.shipment_body(), "items": [{**SHIPPED_ITEMS[0], "quantity": HUGE}],
                "address": SHIPPING_ADDRESS}, "quantity"),
])
def test_numbers_beyond_what_the_stores_hold_are_refused(
        api: Api, world: World, what: str, method: str, path: str, role: str,
        make_body: Any, field: str) -> None:
    body = make_body(world)
    target = path.format(payout=world.payout) if "{payout}" in path else path
    before = api.events()

    response = api.call(method, target, role=role, json=body)

    assert response.status_code == 422, (what, response.json)
    assert any(field in name for name in flat_fields(response.json["errors"])), response.json
    assert api.events() == before


def test_huge_numbers_in_list_queries_are_refused(api: Api) -> None:
    for query in ("min_followers=100000000000000000000", "limit=100000000000000000000"):
        response = api.call("GET", f"/creators?{query}", role="ops")
        assert response.status_code in (400, 422), (query, response.json)
    version = api.call("GET", "/contracts/00000000-0000-0000-0000-000000000000"
                              "?version=100000000000000000000")
    assert version.status_code in (400, 404, 422)


def flat_fields(errors: Any, prefix: str = "") -> list[str]:
    if not isinstance(errors, dict):
        return [prefix]
    return [name for key, value in errors.items()
            for name in flat_fields(value, f"{prefix}.{key}" if prefix else str(key))]
