"""Input the API never gave out, or that no store could hold: a clear 4xx, never a 5xx,
and nothing stored."""

import base64
import json
from typing import Any

import pytest

from tests.api.conftest import Api, World
from tests.builders import family_terms

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
            "after_position": "contracts:999999"})
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
