"""When PostgreSQL drops the API's connections, a request fails with a clear 503 that the
caller may retry (no database text, no 500), and the pool's fresh connections serve the
next ones: connections are not pinged before each use, so this is how a restart shows."""

import psycopg
import pytest

from tests.api.conftest import Api, World
from tests.builders import valid_terms


@pytest.fixture(params=["postgres"])
def durable_services(request, tmp_path, clock):  # type: ignore[no-untyped-def]
    from tests.conftest import open_services
    yield from open_services(request.param, tmp_path, request, clock)


def drop_every_connection(api: Api) -> None:
    database = api.services.settings.database_url.split("?")[0]
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE datname = current_database() AND pid <> pg_backend_pid()")


def test_after_dropped_connections_each_request_succeeds_or_gets_a_503_to_retry(
        api: Api, world: World) -> None:
    draft, body = world.draft, {"creator_id": world.creator, "title": "After a restart",
                                "terms": valid_terms()}
    calls = [("GET", f"/contracts/{draft}", None), ("GET", "/contracts?limit=5", None),
             ("POST", "/contracts", body)]
    for method, path, sent in calls:
        api.call(method, path, json=sent)  # the pools' connections are open and idle

    drop_every_connection(api)
    answers = [api.call(method, path, json=sent) for method, path, sent in calls * 3]

    for answer in answers:
        assert answer.status_code in (200, 201, 503), answer.json
        if answer.status_code == 503:
            assert answer.json["type"] == "urn:kolpact:problem:database-unavailable"
            assert answer.headers["Retry-After"] == "1"
            assert "terminat" not in answer.json["detail"]
    assert [a.status_code for a in answers[-3:]] == [200, 200, 201]
