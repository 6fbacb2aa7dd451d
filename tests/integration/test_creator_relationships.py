"""A brand's memory of its creators on every store: notes and contacts (sealed like
contact details, erased with them), an owner, handovers with a reason, follow-ups."""

from datetime import UTC, date, datetime, timedelta

import pytest

from application.errors import NotFound, RoleNotAllowed
from domain.errors import InvalidTransition, InvalidValue
from tests.builders import given_creator, given_team

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)


def test_notes_and_contacts_are_kept_with_who_and_when(services) -> None:
    team = given_team(services)
    creator_id = given_creator(services, team)
    follow_up = date.today() + timedelta(days=3)

    services.creators.add_note(team.ops, creator_id, "Prefers WeChat voice notes")
    shown = services.creators.log_contact(team.legal, creator_id, {
        "channel": "wechat", "summary": "Agreed a spring live stream",
        "next_follow_up": follow_up})

    assert [(n["by"], n["text"]) for n in shown["notes"]] == [
        (team.ops.user_id, "Prefers WeChat voice notes")]
    (contact,) = shown["contacts"]
    assert (contact["by"], contact["channel"], contact["summary"]) == (
        team.legal.user_id, "wechat", "Agreed a spring live stream")
    assert shown["next_follow_up"] == follow_up


def test_a_contact_is_checked_field_by_field(services) -> None:
    team = given_team(services)
    creator_id = given_creator(services, team)

    with pytest.raises(InvalidValue) as refused:
        services.creators.log_contact(team.ops, creator_id, {
            "channel": "wechat", "summary": " ",
            "at": datetime.now(UTC) + timedelta(days=2),
            "next_follow_up": date.today() - timedelta(days=30)})
    with pytest.raises(InvalidValue, match="contact"):
        services.creators.log_contact(team.ops, creator_id, {"channel": "fax",
                                                            "summary": "x"})

    assert set(refused.value.errors) == {"summary", "at", "next_follow_up"}


def test_what_was_said_is_erased_with_the_creators_personal_data(durable_services) -> None:
    services = durable_services
    team = given_team(services)
    creator_id = given_creator(services, team)
    services.creators.add_note(team.ops, creator_id, "Home address is 88 Huaihai Rd")
    services.creators.log_contact(team.ops, creator_id, {"channel": "phone",
                                                         "summary": "Called her mobile"})
    stored = b"".join(bytes(n.state) for n in services.creators.recorder.select_notifications(
        1, 100_000) if str(n.originator_id) == creator_id)

    services.creators.erase_personal_data(team.legal, creator_id, "PIPL request 7")
    shown = services.creators.get_creator(team.ops, creator_id)

    assert b"Huaihai" not in stored and b"mobile" not in stored  # sealed at rest
    assert [(n["text"], n["erased"]) for n in shown["notes"]] == [("", True)]
    assert shown["contacts"][0]["erased"] is True and shown["contacts"][0]["channel"] == "phone"
    with pytest.raises(InvalidTransition, match="erased"):
        services.creators.add_note(team.ops, creator_id, "Anything more")


def test_a_relationship_is_owned_and_handed_over_only_with_a_reason(services) -> None:
    team, other = given_team(services), given_team(services)
    creator_id = given_creator(services, team)

    first = services.creators.assign_owner(team.ops, creator_id, team.ops.user_id)
    with pytest.raises(InvalidValue, match="reason"):
        services.creators.assign_owner(team.ops, creator_id, team.legal.user_id)
    moved = services.creators.assign_owner(team.admin, creator_id, team.legal.user_id,
                                           "Mia leaves the team")

    assert (first["owner_id"], moved["owner_id"]) == (team.ops.user_id, team.legal.user_id)
    with pytest.raises(NotFound, match="may own a creator relationship"):
        services.creators.assign_owner(team.ops, creator_id, team.finance.user_id, "x")
    with pytest.raises(NotFound):
        services.creators.assign_owner(team.ops, creator_id, other.ops.user_id, "x")
    with pytest.raises(RoleNotAllowed):
        services.creators.assign_owner(team.finance, creator_id, team.ops.user_id, "x")
    with pytest.raises(NotFound):
        services.creators.add_note(other.ops, creator_id, "Not theirs")
