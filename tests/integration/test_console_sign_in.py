"""Signing in to the console: a one-time link or an API token starts a session of the
person's own, which acts with their roles and brands until they sign out or it expires."""

import pytest

from application.common.actor import system_actor
from application.errors import NotFound, RoleNotAllowed, Unauthenticated
from domain.errors import InvalidTransition, InvalidValue
from tests.builders import given_team

SHARES_STORES = True


def test_a_link_signs_its_person_in_once(services) -> None:  # type: ignore[no-untyped-def]
    team = given_team(services)
    code = services.identity.issue_sign_in_link(team.admin, team.legal.user_id)

    session = services.identity.sign_in_with_link(code)

    acting = services.identity.session_actor(session)
    assert (acting.user_id, acting.roles, acting.brand_ids) == \
        (team.legal.user_id, team.legal.roles, team.legal.brand_ids)
    with pytest.raises(InvalidTransition, match="used already"):
        services.identity.sign_in_with_link(code)


def test_a_link_expires_and_an_unknown_one_says_nothing_more(services, clock) -> None:  # type: ignore[no-untyped-def]
    team = given_team(services)
    code = services.identity.issue_sign_in_link(team.admin, team.ops.user_id, minutes=15)
    clock.advance(minutes=15)

    with pytest.raises(InvalidTransition, match="expired"):
        services.identity.sign_in_with_link(code)
    with pytest.raises(Unauthenticated, match="not valid"):
        services.identity.sign_in_with_link("made-up-code")


def test_an_api_token_starts_a_session_and_signing_out_ends_it(services) -> None:  # type: ignore[no-untyped-def]
    team = given_team(services)
    session = services.identity.sign_in_with_token(team.tokens["finance"])
    assert services.identity.session_actor(session).user_id == team.finance.user_id

    services.identity.sign_out(session)
    services.identity.sign_out(session)  # twice: still simply signed out

    with pytest.raises(Unauthenticated):
        services.identity.session_actor(session)
    with pytest.raises(Unauthenticated):
        services.identity.sign_in_with_token("kp_not-a-token")
    with pytest.raises(Unauthenticated):
        services.identity.authenticate(session)  # a session is no API token


def test_a_session_expires_after_a_working_day(services, clock) -> None:  # type: ignore[no-untyped-def]
    team = given_team(services)
    session = services.identity.sign_in_with_token(team.tokens["ops"])
    clock.advance(hours=12)

    with pytest.raises(Unauthenticated, match="ended"):
        services.identity.session_actor(session)


def test_a_deactivated_persons_session_stops_at_once(services) -> None:  # type: ignore[no-untyped-def]
    team = given_team(services)
    session = services.identity.sign_in_with_token(team.tokens["legal"])
    services.identity.session_actor(session)

    services.identity.deactivate_user(team.admin, team.legal.user_id, "left the company")

    with pytest.raises(Unauthenticated):
        services.identity.session_actor(session)


def test_links_are_given_by_admins_to_people_of_their_brands_only(services) -> None:  # type: ignore[no-untyped-def]
    team, other = given_team(services), given_team(services)
    with pytest.raises(NotFound):
        services.identity.issue_sign_in_link(team.admin, other.legal.user_id)
    with pytest.raises(InvalidValue):
        services.identity.issue_sign_in_link(system_actor(), team.legal.user_id, minutes=0)
    with pytest.raises(RoleNotAllowed):
        services.identity.issue_sign_in_link(team.legal, team.ops.user_id)


def test_people_are_named_to_colleagues_of_their_brands_only(services) -> None:  # type: ignore[no-untyped-def]
    team, other = given_team(services), given_team(services)

    assert services.identity.person(team.auditor, team.finance.user_id) == {
        "id": team.finance.user_id, "name": "Finance", "roles": ["finance"]}
    assert services.identity.person(team.auditor, "system")["name"] == "kolpact (automatic)"
    with pytest.raises(NotFound):
        services.identity.person(team.auditor, other.finance.user_id)
    with pytest.raises(NotFound):
        services.identity.person(team.auditor, "not-an-id")
