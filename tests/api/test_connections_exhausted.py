"""When no database connection is free, because every one of the process's pool is in use
or because the server refuses new ones, a request gets a clear 503 it may retry after
one wait (KOLPACT_DB_WAIT_SECONDS), never a hang or a 500; nothing is half-written, and
once connections free up the same request is served."""

import time
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql

from application.bootstrap import Services
from tests.api.conftest import Api, World
from tests.builders import given_team, valid_terms
from tests.conftest import open_services

WAIT_SECONDS = 1


@pytest.fixture
def durable_services(request, tmp_path, clock) -> Iterator[Services]:  # type: ignore[no-untyped-def]
    yield from open_services("postgres", tmp_path, request, clock, pool_size=1,
                             max_overflow=1, db_wait_seconds=WAIT_SECONDS)


def assert_busy(answer: Any, waited: float) -> None:
    assert answer.status_code == 503, answer.json
    assert answer.json["type"] == "urn:kolpact:problem:database-busy"
    assert answer.headers["Retry-After"] == "1"
    assert "pool" not in answer.json["detail"]
    # One wait, not the library's ten retries of it (that would be a hang to the caller).
    assert waited < 4 * WAIT_SECONDS


def timed(api: Api, method: str, path: str, **kwargs: Any) -> tuple[Any, float]:
    started = time.monotonic()
    answer = api.call(method, path, **kwargs)
    return answer, time.monotonic() - started


def test_with_every_connection_of_the_process_in_use_requests_get_503_then_are_served(
        api: Api, world: World) -> None:
    draft, body = world.draft, {"creator_id": world.creator, "title": "While busy",
                                "terms": valid_terms()}
    key = {"Idempotency-Key": uuid.uuid4().hex}
    pool = api.services.database.datastore.pool  # type: ignore[union-attr]
    events_before = api.events()

    held = [pool.getconn() for _ in range(api.services.settings.connections_per_process)]
    try:
        answers = [timed(api, "GET", f"/contracts/{draft}"),
                   timed(api, "GET", "/contracts?limit=5"),
                   timed(api, "POST", "/contracts", json=body, headers=key)]
    finally:
        for conn in held:
            pool.putconn(conn)

    for answer, waited in answers:
        assert_busy(answer, waited)
    assert api.events() == events_before
    assert api.call("GET", f"/contracts/{draft}").status_code == 200
    created = api.call("POST", "/contracts", json=body, headers=key)
    assert created.status_code == 201, created.json
    assert api.call("POST", "/contracts", json=body, headers=key).json["id"] == \
        created.json["id"]


@pytest.fixture
def few_connections(postgres_database: str) -> Iterator[str]:
    """A role the server lets hold three connections at most, like a server near its
    max_connections; the URL of a fresh schema of its own."""
    role = f"kolpact_few_{uuid.uuid4().hex[:8]}"
    database = postgres_database.rsplit("/", 1)[1]
    with psycopg.connect(postgres_database, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN CONNECTION LIMIT 3").format(
            sql.Identifier(role)))
        conn.execute(sql.SQL("GRANT CREATE ON DATABASE {} TO {}").format(
            sql.Identifier(database), sql.Identifier(role)))
    yield (f"postgresql://{role}@127.0.0.1:5432/{database}"
           f"?schema=t_{uuid.uuid4().hex[:12]}")
    with psycopg.connect(postgres_database, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP OWNED BY {} CASCADE").format(sql.Identifier(role)))
        conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def test_when_the_server_refuses_more_connections_a_request_gets_503_then_is_served(
        few_connections: str, request, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    from web import create_app

    running = open_services("postgres", tmp_path, request, clock, database_url=few_connections,
                            pool_size=1, max_overflow=2, db_wait_seconds=WAIT_SECONDS)
    services = next(running)
    try:
        client = create_app({"KOLPACT_SERVICES": services, "TESTING": True}).test_client()
        api = Api(client, services, given_team(services))
        pool = services.database.datastore.pool  # type: ignore[union-attr]
        # Every connection the pool has is in use; it may open more, but the server's
        # slots for the role are taken by others.
        held = [pool.getconn() for _ in range(pool.get_stats()["pool_available"])]
        assert len(held) < pool.max_size
        others: list[psycopg.Connection[Any]] = []
        try:
            with pytest.raises(psycopg.OperationalError, match="too many connections"):
                while len(others) < 5:
                    others.append(psycopg.connect(few_connections.split("?")[0]))
            answer, waited = timed(api, "GET", "/contracts?limit=5")
        finally:
            for conn in others:
                conn.close()
            for conn in held:
                pool.putconn(conn)
        assert_busy(answer, waited)
        assert api.call("GET", "/contracts?limit=5").status_code == 200
    finally:
        next(running, None)
