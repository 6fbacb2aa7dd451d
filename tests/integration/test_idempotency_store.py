"""The record of requests sent with an Idempotency-Key, on real databases."""

import pytest

from application.infrastructure.idempotency_store import (
    IdempotencyStore,
    KeyReused,
    Outcome,
    RequestInProgress,
)


class Seconds:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(durable_services):  # type: ignore[no-untyped-def]
    return IdempotencyStore(durable_services.database, clock=Seconds())


def test_the_first_claim_acts_and_later_ones_get_its_outcome(store: IdempotencyStore) -> None:
    assert store.claim("user-1", "k", "body-a") is None
    store.remember("user-1", "k", Outcome(201, {"Location": "/x"}, '{"id": 1}'))

    assert store.claim("user-1", "k", "body-a") == Outcome(201, {"Location": "/x"}, '{"id": 1}')
    assert store.claim("user-2", "k", "body-a") is None  # keys are per user


def test_a_key_with_another_request_is_refused(store: IdempotencyStore) -> None:
    store.claim("user-1", "k", "body-a")

    with pytest.raises(KeyReused):
        store.claim("user-1", "k", "body-b")


def test_an_unfinished_claim_blocks_until_it_is_stale_then_is_taken_over(
        store: IdempotencyStore) -> None:
    store.claim("user-1", "k", "body-a")

    with pytest.raises(RequestInProgress):
        store.claim("user-1", "k", "body-a")
    store.clock.now += 61  # type: ignore[attr-defined]

    assert store.claim("user-1", "k", "body-a") is None
    with pytest.raises(RequestInProgress):
        store.claim("user-1", "k", "body-a")


def test_a_released_claim_lets_the_retry_act(store: IdempotencyStore) -> None:
    store.claim("user-1", "k", "body-a")

    store.release("user-1", "k")

    assert store.claim("user-1", "k", "body-a") is None


def test_records_expire_after_a_day(store: IdempotencyStore) -> None:
    store.claim("user-1", "k", "body-a")
    store.remember("user-1", "k", Outcome(200, {}, "{}"))
    store.clock.now += 24 * 3600 + 1  # type: ignore[attr-defined]

    assert store.claim("user-1", "k", "body-b") is None


def test_a_claim_deletes_the_records_of_other_keys_older_than_a_day(
        store: IdempotencyStore) -> None:
    store.claim("user-1", "old", "body-a")
    store.remember("user-1", "old", Outcome(200, {}, "{}"))
    store.clock.now += 24 * 3600 + 1  # type: ignore[attr-defined]

    store.claim("user-2", "new", "body-b")

    kept = store.database.one(f"SELECT scope, key FROM {store.table}")
    assert [(r["scope"], r["key"]) for r in kept] == [("user-2", "new")]
