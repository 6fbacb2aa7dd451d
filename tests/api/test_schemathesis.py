"""Schemathesis against every operation of the OpenAPI document, as every role, on a
bounded budget: no 5xx, and no body (2xx or problem) outside the document's schemas."""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from application.bootstrap import build_services
from application.infrastructure.settings import Settings
from tests.api.conftest import API
from tests.builders import Team, given_team
from web import create_app

ROLES = ("legal", "ops", "finance", "auditor", "admin")
EXAMPLES = 5  # per operation and role: the budget that keeps `make test` short


@pytest.fixture(scope="module")
def app_and_team(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Team]]:
    path = tmp_path_factory.mktemp("schemathesis") / "kolpact.db"
    services = build_services(Settings(database_url=f"sqlite:///{path}", pool_size=2))
    try:
        yield create_app({"KOLPACT_SERVICES": services, "TESTING": True}), given_team(services)
    finally:
        services.close()


def failures_of(operation: Any, team: Team) -> list[str]:
    found: list[str] = []

    @given(operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        for role in ROLES:
            try:
                case.call_and_validate(headers={
                    "Authorization": f"Bearer {team.tokens[role]}"}, checks=CHECKS)
            except Exception as failure:  # schemathesis raises a group of its failures
                found.append(f"{operation.label} as {role}: {str(failure)[:600]}")
                return

    run()
    return found


def test_every_operation_as_every_role_answers_within_its_schema(
        app_and_team: tuple[Any, Team]) -> None:
    app, team = app_and_team
    schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]

    found = [failure for operation in operations for failure in failures_of(operation, team)]

    assert len(operations) > 60
    assert found == [], "\n\n".join(found)


@schemathesis.serializer("application/zip", "text/csv", "multipart/form-data")
def as_bytes(context: Any, value: Any) -> bytes:
    """Uploads (an audit bundle, a CSV export) as whatever bytes were generated."""
    return value if isinstance(value, bytes) else str(value).encode()


CHECKS = [schemathesis.checks.not_a_server_error,
          schemathesis.checks.response_schema_conformance]
