"""A process trusts a token it has checked for a second at most: a revocation made
through it takes effect at once, one made through another process within that second."""

import time
from collections.abc import Iterator

import pytest

from application.bootstrap import Services, build_services
from application.common.actor import system_actor
from application.errors import Unauthenticated
from tests.builders import given_team


@pytest.fixture
def other_process(durable_services: Services) -> Iterator[Services]:
    """A second set of applications on the same store, as another API process has."""
    other = build_services(durable_services.settings)
    yield other
    other.close()


def test_a_revocation_through_this_process_takes_effect_at_once(durable_services) -> None:
    team = given_team(durable_services)
    token_id, token = durable_services.identity.issue_token(system_actor(), team.legal.user_id)
    durable_services.identity.authenticate(token)

    durable_services.identity.revoke_token(system_actor(), token_id, "Rotated")

    with pytest.raises(Unauthenticated, match="revoked"):
        durable_services.identity.authenticate(token)


def test_a_revocation_through_another_process_takes_effect_within_the_trusted_time(
        durable_services, other_process) -> None:
    team = given_team(durable_services)
    token_id, token = durable_services.identity.issue_token(system_actor(), team.legal.user_id)
    other_process.identity.recently_authenticated.seconds = 0.2  # the same rule, sooner
    trusted = other_process.identity.authenticate(token)

    durable_services.identity.revoke_token(system_actor(), token_id, "Left the agency")
    still_trusted = other_process.identity.authenticate(token)
    time.sleep(0.25)

    assert still_trusted == trusted
    with pytest.raises(Unauthenticated, match="revoked"):
        other_process.identity.authenticate(token)


def test_a_deactivated_user_is_refused_at_once_through_the_process_that_deactivated(
        durable_services) -> None:
    team = given_team(durable_services)
    token = team.tokens["ops"]
    durable_services.identity.authenticate(token)

    durable_services.identity.deactivate_user(team.admin, team.ops.user_id, "Left")

    with pytest.raises(Unauthenticated, match="deactivated"):
        durable_services.identity.authenticate(token)
