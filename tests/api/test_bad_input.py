"""Input the API never gave out, or that no store could hold: a clear 4xx, never a 5xx,
and nothing stored."""

import base64
import json
from typing import Any

import pytest

from application.common.positions import LogPosition
from domain.deliverable import Stage
from tests.api.conftest import Api, World
from tests.api.test_lists import sealed
from tests.builders import family_terms

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)


LISTS = ("/contracts", "/creators", "/activity", "/deliverables", "/shipments", "/payouts",
         "/usage-rights", "/make-goods")


def cursor_of(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize("cursor", [
    cursor_of({"a": 1}), cursor_of([1, 2]), cursor_of(["created_at", 10**30, "x"]),
    cursor_of(["created_at", 5, "x"]), cursor_of(["created_at", "2026", {"k": 1}]),
    cursor_of(["created_at", "2026", "x" * 5000]), "%%%", ""],
    ids=["a dict", "a list of two", "10^30", "a number for a text column", "a dict key",
         "a huge key", "not base64", "empty"])
def test_cursors_are_checked_not_trusted(api: Api, cursor: str) -> None:
    for path in ("/contracts", "/creators"):
        response = api.call("GET", path, role="ops", query_string={"cursor": cursor,
                                                                   "sort": "created_at"})
        assert response.status_code in (400, 422), (path, response.status_code)
        assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("position", ["contracts:\u00b2", "contracts:", "", ":5",
                                      "contracts:99999999999999999999", "Contracts:1",
                                      "contracts:-1"])
def test_log_positions_are_checked_on_every_list(api: Api, position: str) -> None:
    for path in LISTS:
        response = api.call("GET", path, role="auditor",
                            query_string={"after_position": position})
        assert response.status_code in (400, 422), (path, position, response.status_code)


def test_lists_waiting_for_writes_are_bounded_and_answer_stale_beyond(
        api: Api, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    lists = api.services.lists
    assert lists is not None
    for _ in range(4):  # as many requests as may wait are waiting
        assert lists.waiting.acquire(blocking=False)
    view = api.services.read_models["contracts_overview"].view  # type: ignore[index]

    def must_not_wait(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a fifth request held a thread waiting")

    monkeypatch.setattr(view, "wait", must_not_wait)
    try:
        response = api.call("GET", "/contracts", query_string={
            "after_position": sealed(api, LogPosition("contracts", 999_999))})
    finally:
        for _ in range(4):
            lists.waiting.release()

    assert response.status_code == 200
    assert response.headers["X-Read-Model-Stale"] == "true"


@pytest.mark.parametrize("url", ["https://shop.example/a\r\nSet-Cookie: x=1",
                                 "https://shop.example/a b", "javascript:alert(1)",
                                 "https:///nohost", "https://shop.example:port/",
                                 "https://shop.example/" + "a" * 3000, "/relative"])
def test_landing_urls_are_absolute_http_urls_without_breaks(api: Api, world: World,
                                                            url: str) -> None:
    terms = family_terms(tracking={"landing_url": url, "campaign_code": "spring"})
    world.make("creator")
    before = api.events()

    response = api.call("POST", "/contracts", json={"creator_id": world.creator,
                                                    "title": "x", "terms": terms})

    assert response.status_code == 422, response.json
    assert any("landing_url" in field for field in response.json["errors"])
    assert api.events() == before


def raw_post(api: Api, path: str, body: bytes, role: str = "ops",
             content_type: str = "application/json"):  # type: ignore[no-untyped-def]
    return api.client.post(f"/api/v1{path}", data=body, headers={
        "Authorization": f"Bearer {api.team.tokens[role]}", "Content-Type": content_type})


@pytest.mark.parametrize("body", [
    b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
    b'{"display_name": "x", "kind": "KOL", "handles": [{"platform": "douyin", "handle": "h",'
    b' "followers": ' + b"9" * 5_000 + b"}]}",
    b'{"display_name": "\\ud800", "kind": "KOL"}', b'{"\\udfff": 1}',
    b'{"display_name": "x", "kind": "KOL", "handles": [{"platform": "douyin", "handle": "h",'
    b' "followers": NaN}]}'],
    ids=["100k levels", "5k levels", "5,000 digits", "lone surrogate", "surrogate key", "NaN"])
def test_json_no_store_can_hold_is_a_400(api: Api, body: bytes) -> None:
    before = api.events()

    response = raw_post(api, "/creators", body)

    assert response.status_code == 400, response.get_data(as_text=True)[:200]
    assert response.mimetype == "application/problem+json"
    assert api.events() == before


def test_a_json_endpoint_refuses_other_content_types_with_415(api: Api) -> None:
    body = json.dumps({"display_name": "Mia", "kind": "KOL"}).encode()

    answers = [raw_post(api, "/creators", body, content_type=kind).status_code
               for kind in ("text/plain", "application/x-www-form-urlencoded", "text/csv")]

    assert answers == [415, 415, 415]


@pytest.mark.parametrize("name", ["\u200b\u200b", "\u202e", "\u0301\u0301", " \u2060 ",
                                  "Mia\u202eneK"])
def test_names_with_nothing_visible_or_bidi_controls_are_refused(api: Api, name: str) -> None:
    response = api.call("POST", "/creators", role="ops",
                        json={"display_name": name, "kind": "KOL"})

    assert response.status_code == 422 and "display_name" in response.json["errors"]


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59",
                                    "1000-01-01T00:00:00+00:00"])
def test_times_near_the_calendars_ends_are_refused(api: Api, world: World,
                                                   moment: str) -> None:
    as_of = api.call("GET", f"/contracts/{world.draft}", query_string={"as_of": moment})
    history = api.call("GET", f"/contracts/{world.draft}/history",
                       query_string={"as_of": moment})
    listed = api.call("GET", "/contracts", query_string={"created_from": moment})

    assert [r.status_code for r in (as_of, history, listed)] == [422, 422, 422]


def test_publication_dates_before_the_contract_or_in_the_future_are_refused(
        api: Api, world: World) -> None:
    deliverable = world.draft_submitted
    api.services.deliverables.approve(api.team.ops, deliverable, Stage.DRAFT)
    before = api.events()

    early = api.call("POST", f"/deliverables/{deliverable}/publish", role="ops", json={
        "url": "https://www.douyin.com/video/1", "published_at": "2001-01-01T00:00:00+00:00"})
    future = api.call("POST", f"/deliverables/{deliverable}/publish", role="ops", json={
        "url": "https://www.douyin.com/video/1", "published_at": "2150-01-01T00:00:00+00:00"})

    assert (early.status_code, future.status_code) == (422, 422)
    assert "before the contract existed" in early.json["errors"]["published_at"]
    assert "future" in future.json["errors"]["published_at"]
    assert api.events() == before
