"""Campaigns in the console: the list, a campaign's page with its board, budget and four
weeks, the forms ops run it by, legal drafting from a creator's requirements, contracts
put in and taken out; another brand's campaign is a 404 page and nothing is written."""

import html
import re

from application.payments.payouts import payout_id
from tests.api.conftest import Api, World
from tests.api.test_console import person, signed_in
from tests.builders import (
    campaign_brief,
    given_active_contract,
    given_campaign,
    given_creator,
    given_draft,
    given_team,
)
from tests.console import sent_by

SHARES_STORES = True


def text_of(page: str) -> str:
    """The page's words, as a person reads them (no tags, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_ops_start_a_campaign_and_check_in_on_its_first_week(api: Api) -> None:
    campaign_id = given_campaign(api.services, api.team)
    ops, path = signed_in(api, "ops"), f"/campaigns/{campaign_id}"
    api.services.read_models.catch_up()

    listed = ops.text("/campaigns")
    start = f"{path}/start"
    ops.post(start, sent_by(ops.text(path), start))
    check_in = f"{path}/check-ins/1"
    form = sent_by(ops.text(path), check_in)
    checked = ops.post(check_in, {**form, "state.background": "done",
                                  "state.creator-requirements": "at_risk",
                                  "note.creator-requirements": "Two creators silent",
                                  "risks": "Kick-off slips\nSamples late"})
    shown = text_of(ops.text(path))

    assert "Winter serum launch" in listed and "Skin that stays calm all winter." in listed
    assert checked.status_code == 303
    assert "Week 1 checked in on." in shown
    assert "Each creator's own ideas and requirements collected: at risk (Two creators silent)" \
        in shown
    assert "risks: Kick-off slips; Samples late" in shown
    campaign = api.services.campaigns.get_campaign(api.team.ops, campaign_id)
    assert [p.goal_key for p in campaign["check_ins"][0].check_in.progress] == [
        "background", "creator-requirements"]  # the goals left unmarked are not reported


def test_the_campaign_page_shows_its_board_and_budget(api: Api, clock) -> None:  # type: ignore[no-untyped-def]
    services, team = api.services, api.team
    campaign_id = given_campaign(services, team, budget=[{"amount": 150_000,
                                                          "currency": "CNY"}])
    contract_id = given_active_contract(services, team)
    services.run_policies()
    services.contracts.join_campaign(team.ops, contract_id, campaign_id)
    services.payouts.request_release(team.finance, str(payout_id(contract_id, "signing")))
    services.read_models.catch_up()

    shown = html.unescape(signed_in(api, "finance").text(f"/campaigns/{campaign_id}"))

    assert "Winter launch" in shown and "video-1" in shown  # the contract, its next item
    assert "CN¥1,500.00" in shown and "CN¥1,000.00" in shown and "CN¥500.00" in shown
    assert "Start the campaign" not in shown  # finance reads; ops run it


def test_legal_drafts_from_a_creators_requirements_into_the_campaign(api: Api) -> None:
    services, team = api.services, api.team
    campaign_id, creator_id = given_campaign(services, team), given_creator(services, team)
    ops, legal = signed_in(api, "ops"), signed_in(api, "legal")
    path = f"/campaigns/{campaign_id}"
    action = f"{path}/requirements"
    ops.post(action, {**sent_by(ops.text(path), action), "creator_id": creator_id,
                      "ideas": "A ski-chalet morning routine",
                      "requirements": "Samples in 30 ml and 50 ml"})

    page = html.unescape(legal.text(path))
    drafting = html.unescape(legal.text(
        f"/contracts/new?creator_id={creator_id}&campaign_id={campaign_id}"))
    form = sent_by(drafting, "/contracts/new")
    drafted = legal.post("/contracts/new", {
        **form, "title": "Ski chalet routine", "fee.amount": "1000",
        "deliverables[0].key": "video-1", "deliverables[0].due_date": "2099-03-01",
        "milestones[0].key": "signing", "milestones[0].label": "On signature",
        "milestones[0].amount": "1000", "required_disclosures": "#ad"})

    assert "Draft a contract for them in this campaign" in page
    assert "A ski-chalet morning routine" in drafting and "Samples in 30 ml and 50 ml" in drafting
    assert form["campaign_id"] == campaign_id and form["creator_id"] == creator_id
    assert drafted.status_code == 303, drafted.get_data(as_text=True)[:3000]
    contract_id = drafted.headers["Location"].rsplit("/", 1)[1]
    assert api.services.contracts.get_contract(team.legal, contract_id)["campaign_id"] == \
        campaign_id


def test_a_contract_is_put_in_a_campaign_and_taken_out_on_its_page(api: Api) -> None:
    services, team = api.services, api.team
    campaign_id, contract_id = given_campaign(services, team), given_draft(services, team)
    services.read_models.catch_up()
    ops, path = signed_in(api, "ops"), f"/contracts/{contract_id}"

    join = f"{path}/campaign"
    ops.post(join, {**sent_by(ops.text(path), join), "campaign_id": campaign_id})
    joined = ops.text(path)
    leave = f"{path}/leave-campaign"
    unexplained = ops.post(leave, sent_by(joined, leave))
    refused = ops.text(path)
    ops.post(leave, {**sent_by(refused, leave), "reason": "Moved to spring"})

    assert f'href="/campaigns/{campaign_id}"' in joined
    assert unexplained.status_code == 303 and 'id="leave-reason-error"' in refused
    assert services.contracts.get_contract(team.ops, contract_id)["campaign_id"] is None


def test_legal_is_warned_before_signing_past_the_campaigns_budget(api: Api) -> None:
    services, team = api.services, api.team
    campaign_id = given_campaign(services, team, budget=[{"amount": 50_000,
                                                          "currency": "CNY"}])
    contract_id = given_draft(services, team)
    services.contracts.join_campaign(team.ops, contract_id, campaign_id)
    services.contracts.send_for_signature(team.legal, contract_id)
    services.read_models.catch_up()

    shown = html.unescape(signed_in(api, "legal").text(f"/contracts/{contract_id}"))

    assert "Signing takes Winter serum launch over its CNY budget" in shown


def test_another_brands_campaign_is_a_404_page_and_nothing_is_written(api: Api,
                                                                    world: World) -> None:
    other = given_team(api.services)
    theirs = api.services.campaigns.plan_campaign(other.ops, campaign_brief())["id"]
    draft = world.draft
    stranger = signed_in(api, "ops")
    stranger.get("/home")
    before = api.events()

    answers = [stranger.get(f"/campaigns/{theirs}").status_code] + [
        stranger.post(path, {"reason": "x", "campaign_id": str(theirs), "summary": "x",
                             "creator_id": "x", "ideas": "x"}).status_code
        for path in (f"/campaigns/{theirs}/start", f"/campaigns/{theirs}/cancel",
                     f"/campaigns/{theirs}/check-ins/1", f"/campaigns/{theirs}/requirements",
                     f"/campaigns/{theirs}/mid-term-review", f"/contracts/{draft}/campaign")]

    assert answers == [404] * len(answers)
    assert api.events() == before


def test_a_campaign_form_without_its_csrf_token_is_refused(api: Api) -> None:
    campaign_id = given_campaign(api.services, api.team)
    ops = person(api)
    ops.sign_in_with_token(api.team.tokens["ops"])

    refused = ops.post(f"/campaigns/{campaign_id}/start", {}, csrf=False)

    assert refused.status_code == 400
    assert api.services.campaigns.get_campaign(api.team.ops, campaign_id)["status"] == "planned"


def test_ops_write_the_monthly_summary_and_anyone_checks_it(api: Api) -> None:
    services, team = api.services, api.team
    campaign_id = given_campaign(services, team)
    contract_id = given_active_contract(services, team)
    services.contracts.join_campaign(team.ops, contract_id, campaign_id)
    services.campaigns.start_campaign(team.ops, campaign_id)
    ops, auditor = signed_in(api, "ops"), signed_in(api, "auditor")
    path = f"/campaigns/{campaign_id}"

    action = f"{path}/summaries"
    written = ops.post(action, sent_by(ops.text(path), action))
    shown = text_of(ops.text(written.headers["Location"]))
    checked = text_of(auditor.text(f"{path}/summaries/1?check=1"))

    assert written.status_code == 303
    assert written.headers["Location"].endswith(f"{path}/summaries/1")
    assert "Summary written." in shown and "Winter serum launch: summary 1" in shown
    assert "Winter launch, Mia Chen: active" in shown
    assert "it comes out the same" in checked
    assert "Write the monthly summary" not in auditor.text(path)


def test_ops_keep_a_creators_relationship_and_see_their_follow_ups_at_home(api: Api) -> None:
    from datetime import date

    creator_id = given_creator(api.services, api.team)
    ops, path = signed_in(api, "ops"), f"/creators/{creator_id}"

    owner = f"{path}/owner"
    ops.post(owner, sent_by(ops.text(path), owner))
    contact = f"{path}/contacts"
    ops.post(contact, {**sent_by(ops.text(path), contact), "channel": "wechat",
                       "summary": "Keen on a spring live stream",
                       "next_follow_up": date.today().isoformat()})
    note = f"{path}/notes"
    ops.post(note, {**sent_by(ops.text(path), note), "text": "Shoots only on weekends"})
    api.services.read_models.catch_up()
    shown, home = text_of(ops.text(path)), text_of(ops.text("/home"))

    assert "Keen on a spring live stream" in shown and "Shoots only on weekends" in shown
    assert "Ops (ops)" in shown  # the owner, by name and role
    assert "Your follow-ups due" in home and "Mia Chen" in home
    assert "Take this relationship on" not in signed_in(api, "legal").text(path)  # ops' call


def test_ops_put_a_creator_in_a_folder_and_find_them_by_it(api: Api) -> None:
    creator_id, other = given_creator(api.services, api.team), given_creator(api.services,
                                                                             api.team)
    folder_id = api.services.creators.create_folder(api.team.ops, "Beauty KOCs Shanghai")["id"]
    api.services.read_models.catch_up()
    ops, path = signed_in(api, "ops"), f"/creators/{creator_id}"

    action = f"{path}/folder"
    put = ops.post(action, {**sent_by(ops.text(path), action), "folder_id": folder_id})
    api.services.read_models.catch_up()
    shown = text_of(ops.text(path))
    listed = ops.text(f"/creators?folder_id={folder_id}")

    assert put.status_code == 303 and "In Beauty KOCs Shanghai." in shown
    assert f"/creators/{creator_id}" in listed and f"/creators/{other}" not in listed


def test_a_creators_page_shows_what_working_with_them_was_like(api: Api) -> None:
    from tests.builders import given_published

    contract_id = given_active_contract(api.services, api.team)
    given_published(api.services, api.team, contract_id)
    api.services.read_models.catch_up()
    creator_id = api.services.contracts.get_contract(api.team.legal, contract_id)["creator_id"]

    shown = text_of(signed_in(api, "legal").text(f"/creators/{creator_id}"))

    assert "1 contract(s) in force" in shown
    assert "1 of 1 deliverable(s) published on time" in shown
    assert re.search(r"CNY\s*CN¥1,000.00\s*CN¥0.00\s*CN¥0.00\s*—", shown), shown


def test_ops_plan_a_campaign_and_change_its_brief_and_a_week_on_the_page(api: Api) -> None:
    ops = signed_in(api, "ops")
    form = sent_by(ops.text("/campaigns/new"), "/campaigns/new")

    refused = ops.post("/campaigns/new", {**form, "name": "Spring glow", "promise": "x",
                                          "starts_on": "2027-03-01", "ends_on": "2027-02-01",
                                          "budget": "lots"})
    refused_page = text_of(ops.text("/campaigns/new"))
    planned = ops.post("/campaigns/new", {
        **sent_by(ops.text("/campaigns/new"), "/campaigns/new"), "name": "Spring glow",
        "promise": "Skin that wakes up with you.", "starts_on": "2027-03-01",
        "ends_on": "2027-03-28", "mix.kol": "2", "budget": "200,000.00 CNY"})
    path = planned.headers["Location"]
    campaign_id = path.rsplit("/", 1)[1]
    brief = f"{path}/brief"
    ops.post(brief, {**sent_by(ops.text(path), brief), "name": "Spring glow 2027",
                     "reason": "Year in the name"})
    week = f"{path}/weeks/2"
    ops.post(week, {**sent_by(ops.text(path), week), "theme": "Refinement",
                    "goals": "themes: Themes agreed\nlooks: Looks chosen",
                    "key_dates": "2027-03-10 Outlines approved"})
    shown = api.services.campaigns.get_campaign(api.team.ops, campaign_id)

    assert refused.status_code == 303 and "budget" in refused_page
    assert shown["brief"].name == "Spring glow 2027" and shown["brief"].budget[0].amount == \
        20_000_000 and shown["brief"].mix.kol == 2
    assert [g.key for g in shown["plan"][1].goals] == ["themes", "looks"]
    assert shown["plan"][1].key_dates[0].label == "Outlines approved"
    assert "Plan a campaign" not in signed_in(api, "legal").text("/campaigns")


def test_folders_are_made_renamed_and_deleted_on_their_page(api: Api) -> None:
    ops = signed_in(api, "ops")

    made = ops.post("/folders", {**sent_by(ops.text("/folders"), "/folders"),
                                 "name": "Skincare KOCs"})
    api.services.read_models.catch_up()
    listed = ops.text("/folders")
    folder_id = listed.split('/folders/', 2)[1].split("/", 1)[0]
    rename = f"/folders/{folder_id}/rename"
    ops.post(rename, {**sent_by(listed, rename), "name": "Skincare KOCs Shanghai"})
    api.services.read_models.catch_up()
    renamed = text_of(ops.text("/folders"))
    delete = f"/folders/{folder_id}/delete"
    unexplained = ops.post(delete, sent_by(ops.text("/folders"), delete))
    refused = ops.text("/folders")
    ops.post(delete, {**sent_by(refused, delete), "reason": "Merged into another"})
    api.services.read_models.catch_up()

    assert made.status_code == 303 and "Skincare KOCs Shanghai" in renamed
    assert unexplained.status_code == 303 and f'id="delete-{folder_id}-reason-error"' in refused
    assert "No folders yet." in ops.text("/folders")
    assert "Make the folder" not in signed_in(api, "finance").text("/folders")


def test_another_brands_folder_cannot_be_changed_from_the_console(api: Api) -> None:
    theirs = api.services.creators.create_folder(given_team(api.services).ops, "Theirs")["id"]
    ops = signed_in(api, "ops")
    ops.get("/folders")
    before = api.events()

    answers = [ops.post(f"/folders/{theirs}/{action}", {"name": "x", "reason": "x"}
                        ).status_code for action in ("rename", "delete")]

    assert answers == [404, 404] and api.events() == before
