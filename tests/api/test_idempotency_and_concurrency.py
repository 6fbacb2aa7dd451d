"""Retries act once; concurrent conflicting changes: exactly one wins."""

import threading

from tests.api.conftest import Api, World
from tests.builders import valid_terms


def test_a_retried_post_returns_the_first_response_and_acts_once(api: Api, world: World) -> None:
    body = world.new_contract_body()
    before = api.events()

    first = api.call("POST", "/contracts", json=body, headers={"Idempotency-Key": "k-1"})
    retry = api.call("POST", "/contracts", json=body, headers={"Idempotency-Key": "k-1"})

    assert first.status_code == retry.status_code == 201
    assert retry.json == first.json
    assert retry.headers["Location"] == first.headers["Location"]
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert api.events() == before + 1


def test_a_key_reused_for_another_request_is_refused(api: Api, world: World) -> None:
    api.call("POST", "/contracts", json=world.new_contract_body(),
             headers={"Idempotency-Key": "k-2"})
    before = api.events()

    other = api.call("POST", "/contracts", json={**world.new_contract_body(), "title": "Other"},
                     headers={"Idempotency-Key": "k-2"})

    assert other.status_code == 422
    assert other.json["type"] == "urn:kolpact:problem:idempotency-key-reused"
    assert api.events() == before


def test_keys_are_per_user(api: Api, world: World) -> None:
    headers = {"Idempotency-Key": "shared"}

    mine = api.call("POST", f"/creators/{world.creator}/pause", role="ops", json={},
                    headers=headers)
    legal_try = api.call("POST", f"/creators/{world.creator}/pause", role="legal", json={},
                         headers=headers)

    assert mine.status_code == 200
    assert legal_try.status_code == 403  # not the ops user's stored answer


def test_a_refused_command_is_answered_the_same_on_retry(api: Api, world: World) -> None:
    headers = {"Idempotency-Key": "k-3"}
    first = api.call("POST", f"/contracts/{world.draft}/sign", json={"name": "x"},
                     headers=headers)
    api.call("POST", f"/contracts/{world.draft}/send-for-signature", json={})

    retry = api.call("POST", f"/contracts/{world.draft}/sign", json={"name": "x"},
                     headers=headers)

    assert first.status_code == retry.status_code == 409
    assert retry.json == first.json


def test_an_overlong_key_is_refused(api: Api, world: World) -> None:
    response = api.call("POST", "/contracts", json=world.new_contract_body(),
                        headers={"Idempotency-Key": "k" * 300})

    assert response.status_code == 422
    assert "Idempotency-Key" in response.json["errors"]


def concurrently(count: int, request) -> list[int]:  # type: ignore[no-untyped-def]
    barrier, statuses = threading.Barrier(count), []

    def run() -> None:
        barrier.wait()
        statuses.append(request().status_code)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_of_concurrent_conflicting_edits_exactly_one_wins(api: Api, world: World) -> None:
    url = f"/contracts/{world.draft}/terms"

    statuses = concurrently(6, lambda: api.call(
        "PUT", url, json={"terms": valid_terms(fee=200_000 + threading.get_ident() % 997 * 2)},
        headers={"If-Match": '"1"'}))

    assert sorted(statuses).count(200) == 1, statuses
    assert set(statuses) <= {200, 409, 412}
    assert api.call("GET", f"/contracts/{world.draft}").json["version"] == 2


def test_concurrent_retries_with_one_key_act_once(api: Api, world: World) -> None:
    body = world.new_contract_body()
    before = api.events()

    statuses = concurrently(5, lambda: api.call("POST", "/contracts", json=body,
                                                headers={"Idempotency-Key": "burst"}))

    assert 201 in statuses and set(statuses) <= {201, 409}
    assert api.events() == before + 1
