"""Admins manage users and tokens of their own brands; tokens are shown once."""

import uuid

from application.common.actor import system_actor
from tests.api.conftest import Api, World
from tests.builders import given_team

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)


def test_an_issued_token_works_once_shown_and_stops_when_revoked(api: Api, world: World) -> None:
    issued = api.call("POST", f"/users/{world.user}/tokens", role="admin", json={"label": "ci"},
                      headers={"Idempotency-Key": "tok-1"})
    retried = api.call("POST", f"/users/{world.user}/tokens", role="admin", json={"label": "ci"},
                       headers={"Idempotency-Key": "tok-1"})
    as_new_user = {"Authorization": f"Bearer {issued.json['token']}"}

    works = api.call("GET", f"/creators/{world.creator}", role=None, headers=as_new_user)
    api.call("POST", f"/tokens/{issued.json['token_id']}/revoke", role="admin",
             json={"reason": "Rotated"})
    after_revoke = api.call("GET", f"/creators/{world.creator}", role=None, headers=as_new_user)

    assert issued.status_code == 201 and issued.json["token"].startswith("kp_")
    assert retried.json == {"token_id": issued.json["token_id"], "token": None}
    assert (works.status_code, after_revoke.status_code) == (200, 401)


def test_a_deactivated_users_tokens_stop_working(api: Api, world: World) -> None:
    token = api.call("POST", f"/users/{world.user}/tokens", role="admin", json={}).json["token"]

    deactivated = api.call("POST", f"/users/{world.user}/deactivate", role="admin",
                           json={"reason": "Left the company"})
    refused = api.call("GET", f"/creators/{world.creator}", role=None,
                       headers={"Authorization": f"Bearer {token}"})

    assert deactivated.json["active"] is False
    assert refused.status_code == 401


def test_admins_cannot_reach_other_brands_users_or_register_into_them(api: Api) -> None:
    other = given_team(api.services)
    their_user = other.legal.user_id

    assert api.call("GET", f"/users/{their_user}", role="admin").status_code == 404
    assert api.call("POST", f"/users/{their_user}/tokens", role="admin",
                    json={}).status_code == 404
    assert api.call("GET", f"/brands/{other.brand_id}", role="admin").status_code == 404
    assert api.call("POST", "/users", role="admin", json={
        "email": "sneaky@brand.test", "name": "Sneaky", "roles": ["legal"],
        "brand_ids": [other.brand_id]}).status_code == 404


def test_an_email_is_registered_once(api: Api, world: World) -> None:
    body = world.user_body()

    first = api.call("POST", "/users", role="admin", json=body)
    second = api.call("POST", "/users", role="admin", json=body)

    assert (first.status_code, second.status_code) == (201, 409)
    assert second.json["type"] == "urn:kolpact:problem:already-exists"


def test_admins_cannot_deactivate_themselves(api: Api) -> None:
    response = api.call("POST", f"/users/{api.team.admin.user_id}/deactivate", role="admin",
                        json={"reason": "Oops"})

    assert response.status_code == 403


def test_dual_control_applies_to_the_next_brand_signature(api: Api, world: World) -> None:
    contract = world.sent
    api.call("POST", f"/brands/{world.brand}/dual-control", role="admin",
             json={"dual_control": True, "reason": "Audit finding"})

    drafter_signs = api.call("POST", f"/contracts/{contract}/sign", json={"name": "Lee"})
    other_signs = api.call("POST", f"/contracts/{contract}/sign", role="legal2",
                           json={"name": "Kim"})

    assert drafter_signs.status_code == 403
    assert drafter_signs.json["type"] == "urn:kolpact:problem:not-permitted"
    assert other_signs.status_code == 200


def given_user_of_both(api: Api, other_brand: str) -> str:
    """A user who works for this team's brand and another one."""
    return api.services.identity.register_user(
        system_actor(), f"both-{uuid.uuid4().hex[:6]}@brand.test", "Both", ["finance"],
        [api.team.brand_id, other_brand])


def test_an_admin_cannot_give_access_to_brands_they_do_not_administer(api: Api) -> None:
    other = given_team(api.services)
    shared = given_user_of_both(api, other.brand_id)
    before = api.events()

    token = api.call("POST", f"/users/{shared}/tokens", role="admin", json={"label": "x"})
    deactivated = api.call("POST", f"/users/{shared}/deactivate", role="admin",
                           json={"reason": "Left"})
    seen = api.call("GET", f"/users/{shared}", role="admin")

    assert (token.status_code, deactivated.status_code) == (403, 403)
    assert seen.status_code == 200 and seen.json["brand_ids"] == [api.team.brand_id]
    assert api.events() == before


def test_registering_an_email_of_another_brand_does_not_say_where_it_is(api: Api) -> None:
    other = given_team(api.services)
    theirs = api.services.identity.describe_user(system_actor(), other.legal.user_id)
    ours = api.services.identity.describe_user(system_actor(), api.team.legal.user_id)

    answers = [api.call("POST", "/users", role="admin", json={
        "email": user["email"], "name": "X", "roles": ["ops"],
        "brand_ids": [api.team.brand_id]}) for user in (theirs, ours)]

    assert [a.status_code for a in answers] == [409, 409]
    details = [a.json["detail"].replace(user["email"], "EMAIL")
               for a, user in zip(answers, (theirs, ours), strict=True)]
    assert details[0] == details[1] and other.brand_id not in answers[0].get_data(as_text=True)
