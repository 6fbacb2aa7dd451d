"""Handovers in the console, a colleague named by email: one creator given to a
colleague, all of a leaving colleague's creators at once, a campaign handed over; a
stranger's or another brand's email is refused and nothing moves."""

from tests.api.conftest import Api
from tests.api.test_console import signed_in
from tests.api.test_console_campaigns import text_of
from tests.builders import given_campaign, given_creator, given_team
from tests.console import sent_by

SHARES_STORES = True


def email_of(api: Api, role: str, team=None) -> str:  # type: ignore[no-untyped-def]
    team = team or api.team
    return str(api.services.identity.describe_user(team.admin, getattr(team, role).user_id)
               ["email"])


def test_ops_give_a_creator_to_a_colleague_by_email(api: Api) -> None:
    creator_id = given_creator(api.services, api.team)
    ops, path = signed_in(api, "ops"), f"/creators/{creator_id}"
    action = f"{path}/hand-over"

    given = ops.post(action, {**sent_by(ops.text(path), action),
                              "email": email_of(api, "legal").upper()})
    shown = text_of(ops.text(path))

    assert given.status_code == 303 and "Handed over." in shown
    owner = api.services.creators.get_creator(api.team.ops, creator_id)["owner_id"]
    assert owner == api.team.legal.user_id


def test_a_stranger_or_another_brands_colleague_is_refused(api: Api) -> None:
    creator_id = given_creator(api.services, api.team)
    other = given_team(api.services)
    ops, path = signed_in(api, "ops"), f"/creators/{creator_id}"
    action = f"{path}/hand-over"
    before = api.events()

    for email in (email_of(api, "ops", other), "nobody@example.test", "not an email"):
        ops.post(action, {**sent_by(ops.text(path), action), "email": email})
        shown = text_of(ops.text(path))
        assert "No colleague with that id" in shown or "give their email" in shown, shown

    assert api.events() == before


def test_a_leaving_colleagues_creators_all_go_to_another(api: Api) -> None:
    mine = [given_creator(api.services, api.team) for _ in range(2)]
    for creator_id in mine:
        api.services.creators.assign_owner(api.team.ops, creator_id, api.team.legal.user_id)
    api.services.read_models.catch_up()
    ops = signed_in(api, "ops")

    moved = ops.post("/creators/hand-over", {**sent_by(ops.text("/creators"),
                                                       "/creators/hand-over"),
                                             "from_email": email_of(api, "legal"),
                                             "to_email": email_of(api, "ops"),
                                             "reason": "Lee leaves in December"})

    assert moved.status_code == 303
    assert {api.services.creators.get_creator(api.team.ops, c)["owner_id"] for c in mine} == {
        api.team.ops.user_id}


def test_ops_hand_a_campaign_over_with_a_reason(api: Api) -> None:
    campaign_id = given_campaign(api.services, api.team)
    ops, path = signed_in(api, "ops"), f"/campaigns/{campaign_id}"
    action = f"{path}/hand-over"

    handed = ops.post(action, {**sent_by(ops.text(path), action),
                               "email": email_of(api, "legal"), "reason": "Parental leave"})

    assert handed.status_code == 303 and "Handed over." in text_of(ops.text(path))
    campaign = api.services.campaigns.get_campaign(api.team.ops, campaign_id)
    assert campaign["owner_id"] == api.team.legal.user_id
