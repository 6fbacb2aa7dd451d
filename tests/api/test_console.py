"""The web console over the API's use cases: signing in and out, each role's home page,
contracts as readable pages, CSRF on every form, and no other brand's records."""

import html
import re
from dataclasses import replace
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote
from uuid import UUID

import pytest

from application.workers.payouts import reconcile
from domain.deliverable import Stage
from domain.vocabulary import Channel
from doubles.stripe_server import StripeState
from tests.api.conftest import Api, World
from tests.builders import creator_profile, given_draft, given_team, valid_terms
from tests.console import Person, sent_by
from tests.payments import given_paid_then_reversed_behind_our_back, in_process_gateway

SHARES_STORES = True


def person(api: Api) -> Person:
    return Person(api.client.application)


def signed_in(api: Api, role: str) -> Person:
    someone = person(api)
    assert someone.sign_in_with_token(api.team.tokens[role]).status_code == 302
    return someone


def test_a_stranger_is_sent_to_the_sign_in_page(api: Api) -> None:
    stranger = person(api)

    start, home = stranger.get("/"), stranger.get("/home")

    assert start.status_code == 302 and start.headers["Location"].endswith("/sign-in")
    assert home.status_code == 302 and "/sign-in?next=" in home.headers["Location"]
    assert "text/html" in stranger.get("/sign-in").content_type


def test_a_token_signs_in_and_a_bad_one_is_told_next_to_its_field(api: Api) -> None:
    someone = person(api)

    refused = someone.sign_in_with_token("kp_wrong")
    accepted = someone.sign_in_with_token(api.team.tokens["legal"])

    assert refused.status_code == 401
    page = refused.get_data(as_text=True)
    assert 'id="token-error"' in page and "not valid" in page and 'aria-invalid="true"' in page
    assert accepted.status_code == 302 and accepted.headers["Location"].endswith("/home")
    assert "kp_" not in someone.client.get_cookie("kolpact_console").value  # no API token kept
    assert "Drafts" in someone.text("/home")


def email_of(api: Api, user_id: str) -> str:
    return str(api.services.identity.repository.get(UUID(user_id)).email)


@pytest.fixture
def links_printed(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """The installation prints links asked for by email, as `make run` sets it."""
    monkeypatch.setattr(api.services, "settings",
                        replace(api.services.settings, sign_in_links="print"))


def test_a_person_asks_for_a_link_with_their_email_and_signs_in_with_it(
        api: Api, links_printed: None, capsys: pytest.CaptureFixture[str]) -> None:
    someone, email = person(api), email_of(api, api.team.ops.user_id)
    someone.get("/sign-in")

    asked = someone.post("/sign-in-by-email", {"email": email.upper()})
    printed = capsys.readouterr().out
    link = re.search(r"Sign-in link for \S+: (http://\S+/sign-in/(\S+))", printed)

    assert asked.status_code == 200 and "a sign-in link for it has been sent" in \
        asked.get_data(as_text=True)
    assert link is not None, printed
    code = link.group(2)
    assert someone.post(f"/sign-in/{code}").status_code == 302
    assert "Overdue deliverables" in someone.text("/home")


def test_asking_for_a_link_tells_nobody_who_has_an_account(
        api: Api, links_printed: None, capsys: pytest.CaptureFixture[str]) -> None:
    email = email_of(api, api.team.legal.user_id)
    someone = person(api)
    someone.get("/sign-in")
    someone.post("/sign-in-by-email", {"email": email})
    capsys.readouterr()
    before = api.events()

    unknown = someone.post("/sign-in-by-email", {"email": "nobody@brand.test"})
    again = someone.post("/sign-in-by-email", {"email": email})  # within the minute
    bad = someone.post("/sign-in-by-email", {"email": "lee"})

    answers = [r.get_data(as_text=True) for r in (unknown, again)]
    assert [unknown.status_code, again.status_code] == [200, 200]
    assert all("If " in a and "has been sent" in a for a in answers)
    assert capsys.readouterr().out == "" and api.events() == before
    assert bad.status_code == 422 and 'id="email-error"' in bad.get_data(as_text=True)


def test_without_a_way_to_deliver_them_no_link_is_offered_by_email(api: Api) -> None:
    someone = person(api)

    page = someone.text("/sign-in")
    asked = someone.post("/sign-in-by-email", {"email": "lee@brand.test"})

    assert "Send me a sign-in link" not in page
    assert asked.status_code == 404


def test_a_sign_in_link_works_once_and_opening_it_uses_nothing(api: Api) -> None:
    code = api.services.identity.issue_sign_in_link(api.team.admin, api.team.ops.user_id)
    first, second = person(api), person(api)

    opened = first.get(f"/sign-in/{code}")
    used = first.post(f"/sign-in/{code}")
    again = second.post(f"/sign-in/{code}")

    assert opened.status_code == 200 and "signs you in once" in opened.get_data(as_text=True)
    assert used.status_code == 302
    assert "Overdue deliverables" in first.text("/home")
    assert again.status_code == 401 and "used already" in again.get_data(as_text=True)


def test_each_role_sees_what_needs_it(api: Api, world: World) -> None:
    world.make("draft", "requested_payout")
    api.services.read_models.catch_up()

    legal, ops = signed_in(api, "legal").text("/home"), signed_in(api, "ops").text("/home")
    finance, requester = (signed_in(api, role).text("/home") for role in ("finance", "finance2"))
    auditor = signed_in(api, "auditor").text("/home")

    assert "Awaiting signature" in legal and "Winter launch" in legal
    assert "Awaiting your approval" in finance and "Awaiting your approval" not in legal
    assert "Shipments late" in ops and "Recent activity" in auditor
    assert "Reconciliation with Stripe" in finance and "The hash chain" in auditor
    assert "Finance2 (finance)" in finance  # who asked for the payout, by name and role
    assert api.team.finance2.user_id not in finance
    assert "Finance2 (finance)" not in awaiting_approval(requester)  # never their own


def awaiting_approval(home: str) -> str:
    return home.split("Awaiting your approval", 1)[1].split("<section", 1)[0]


def test_a_contract_reads_as_text_with_people_by_name(api: Api, world: World) -> None:
    page = signed_in(api, "auditor").text(f"/contracts/{world.active}")

    assert "CN¥" in page or "¥" in page
    assert "Legal (legal)" in page and api.team.legal.user_id not in page
    assert "Versions of the terms" in page and "in force" in page


def test_a_form_without_its_csrf_token_is_refused_and_does_nothing(api: Api) -> None:
    someone = signed_in(api, "legal")

    refused = someone.post("/sign-out", csrf=False)
    forged = someone.client.post("/sign-out", data={"csrf_token": "forged"})

    assert refused.status_code == 400 and forged.status_code == 400
    assert "did not come from this kolpact" in refused.get_data(as_text=True)
    assert someone.get("/home").status_code == 200  # still signed in


def test_signing_out_ends_the_session_for_a_copied_cookie_too(api: Api) -> None:
    someone = signed_in(api, "legal")
    cookie = someone.client.get_cookie("kolpact_console").value
    someone.get("/home")

    signed_out = someone.post("/sign-out")
    copy = person(api)
    copy.client.set_cookie("kolpact_console", cookie)

    assert signed_out.status_code == 302
    assert someone.get("/home").status_code == 302
    assert copy.get("/home").status_code == 302  # the session ended on the server


def test_another_brands_contract_is_not_found_and_shows_nothing_of_it(api: Api,
                                                                      world: World) -> None:
    other = given_team(api.services)
    stranger = signed_in(api, "legal")
    stranger.sign_in_with_token(other.tokens["legal"])

    page = stranger.get(f"/contracts/{world.active}")

    assert page.status_code == 404 and "Winter launch" not in page.get_data(as_text=True)
    assert stranger.get("/contracts/not-an-id").status_code == 404


def test_after_signing_in_it_goes_back_to_the_page_asked_for_and_never_elsewhere(
        api: Api, world: World) -> None:
    asked = f"/contracts/{world.draft}"
    someone, tricked = person(api), person(api)
    someone.get(f"/sign-in?next={quote(asked)}")
    tricked.get("/sign-in")

    back = someone.post("/sign-in", {"token": api.team.tokens["legal"], "next": asked})
    away = tricked.post("/sign-in", {"token": api.team.tokens["legal"],
                                     "next": "//evil.example/phish"})

    assert back.headers["Location"].endswith(asked)
    assert away.headers["Location"].endswith("/home")


def test_the_time_zone_chosen_shows_every_time_in_it(api: Api, world: World) -> None:
    someone = signed_in(api, "legal")
    someone.get("/home")

    someone.post("/time-zone", {"time_zone": "Asia/Shanghai"})
    someone.post("/time-zone", {"time_zone": "Mars/Olympus"})  # not one: ignored

    assert "(Asia/Shanghai)" in someone.text(f"/contracts/{world.active}")


def form_key(page: str, action: str) -> dict[str, str]:
    """The hidden fields of the form posting to `action` on the page."""
    start = page.index(f'action="{action}"')
    chunk = page[start:page.index("</form>", start)]
    return dict(re.findall(r'type="hidden" name="([a-z_]+)" value="([^"]*)"', chunk))


def test_legal_sends_signs_and_records_acceptance_from_the_contract_page(api: Api,
                                                                        world: World) -> None:
    legal, path = signed_in(api, "legal"), f"/contracts/{world.draft}"

    for action, typed, said in [("send-for-signature", {}, "Sent for signature."),
                                ("sign", {"name": "Lee Legal", "title": "Counsel"},
                                 "Signed for the brand."),
                                ("creator-acceptance", {"name": "Mia Chen"},
                                 "The creator&#39;s acceptance is recorded.")]:
        hidden = form_key(legal.text(path), f"{path}/{action}")
        sent = legal.post(f"{path}/{action}", {**hidden, **typed})
        assert sent.status_code == 303 and sent.headers["Location"].endswith(path)
        assert said in legal.text(path)

    assert api.services.contracts.get_contract(api.team.legal, world.draft)["status"] == "active"


def test_a_form_sent_twice_acts_once(api: Api, world: World) -> None:
    legal, path = signed_in(api, "legal"), f"/contracts/{world.draft}"
    hidden = form_key(legal.text(path), f"{path}/send-for-signature")
    before = api.events()

    first = legal.post(f"{path}/send-for-signature", hidden)
    second = legal.post(f"{path}/send-for-signature", hidden)

    assert first.status_code == second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert api.events() == before + 1
    assert "already" not in legal.text(path)  # the second did not even try


def test_a_refused_form_shows_the_problem_next_to_its_field_and_keeps_what_was_typed(
        api: Api, world: World) -> None:
    legal, path = signed_in(api, "legal"), f"/contracts/{world.sent}"
    hidden = form_key(legal.text(path), f"{path}/sign")

    legal.post(f"{path}/sign", {**hidden, "name": "", "title": "Counsel " * 40})
    page = legal.text(path)

    assert 'id="sign-title-error"' in page or 'id="sign-name-error"' in page
    assert 'aria-invalid="true"' in page and ("Counsel " * 40).strip() in page
    assert api.services.contracts.get_contract(api.team.legal, world.sent)[
        "signatures_collected"] == []


def test_a_stale_form_does_nothing_and_shows_what_changed_meanwhile(api: Api,
                                                                   world: World) -> None:
    legal, path = signed_in(api, "legal"), f"/contracts/{world.draft}"
    hidden = form_key(legal.text(path), f"{path}/send-for-signature")
    api.services.contracts.revise_terms(api.team.legal2, world.draft, valid_terms(fee=90_000),
                                        None, "the fee agreed on the phone")

    refused = legal.post(f"{path}/send-for-signature", hidden)
    page = legal.text(path)

    assert refused.status_code == 303
    assert "Someone changed this record while you had the page open" in page
    assert "Legal2 (legal)" in page and "the fee agreed on the phone" in page
    assert api.services.contracts.get_contract(api.team.legal, world.draft)["status"] == "draft"


def test_finance_approves_another_users_request_but_never_their_own(api: Api,
                                                                    world: World) -> None:
    contract_id = api.services.payouts.get_payout(api.team.finance, world.payout)["contract_id"]
    path = f"/contracts/{contract_id}"
    asker, approver = signed_in(api, "finance"), signed_in(api, "finance2")
    hidden = form_key(asker.text(path), f"/payouts/{world.payout}/request-release")
    asker.post(f"/payouts/{world.payout}/request-release", hidden)

    own = form_key(asker.text(path), f"/payouts/{world.payout}/approve")
    asker.post(f"/payouts/{world.payout}/approve", own)
    refused_page = asker.text(path)
    other = form_key(approver.text(path), f"/payouts/{world.payout}/approve")
    approver.post(f"/payouts/{world.payout}/approve", other)

    assert "You requested this release; a different finance user must" in refused_page
    assert "Finance (finance)" in refused_page  # asked for by, named
    assert api.services.payouts.get_payout(api.team.finance, world.payout)["status"] == \
        "approved"
    assert api.services.payouts.get_payout(api.team.finance, world.payout)["approved_by"] == \
        [api.team.finance2.user_id]
    history = asker.text(f"/payouts/{world.payout}")
    assert "Release requested" in history and "Finance2 (finance)" in history
    assert "Approved" in history and api.team.finance2.user_id not in history


def test_pages_show_only_the_forms_their_reader_may_send(api: Api, world: World) -> None:
    path = f"/contracts/{world.draft}"
    auditor, legal = signed_in(api, "auditor").text(path), signed_in(api, "legal").text(path)

    assert "Send for signature" in legal and "Send for signature" not in auditor


def draft_form(world: World, legal: Person, **changes: str) -> dict[str, Any]:
    """The drafting form filled in as a person does: a row added for a second milestone
    and one for a usage right (each 'Add' draws the form again), then the fields typed."""
    page = legal.text("/contracts/new")
    for section in ("milestones", "usage_rights"):
        page = legal.post("/contracts/new", sent_by(page, "/contracts/new", ("add", section))
                          ).get_data(as_text=True)
    typed = {"creator_id": world.creator,
             "title": "Spring lipstick", "fee.amount": "30,000.00", "fee.currency": "CNY",
             "deliverables[0].key": "video-1", "deliverables[0].kind": "short_video",
             "deliverables[0].platform": "douyin", "deliverables[0].due_date": "2099-03-01",
             "milestones[0].key": "signing", "milestones[0].label": "On signature",
             "milestones[0].amount": "10000", "milestones[0].trigger": "on_signature",
             "milestones[1].key": "accepted", "milestones[1].label": "Video accepted",
             "milestones[1].amount": "20000", "milestones[1].trigger": "on_deliverable_accepted",
             "milestones[1].deliverable_key": "video-1", "required_disclosures": "#ad\n广告",
             "usage_rights[0].key": "repost", "usage_rights[0].channels": "organic_repost",
             "usage_rights[0].territories": "CN", "usage_rights[0].starts": "on_publication",
             "usage_rights[0].duration_days": "90"}
    return {**sent_by(page, "/contracts/new"), **typed, **changes}


def test_legal_drafts_a_contract_on_a_page(api: Api, world: World) -> None:
    legal = signed_in(api, "legal")

    drafted = legal.post("/contracts/new", draft_form(world, legal))

    assert drafted.status_code == 303 and "/contracts/" in drafted.headers["Location"]
    contract_id = drafted.headers["Location"].rsplit("/", 1)[1]
    shown = api.services.contracts.get_contract(api.team.legal, contract_id)
    assert shown["terms"].fee.amount == 3_000_000 and shown["status"] == "draft"
    assert [d.key for d in shown["terms"].deliverables] == ["video-1"]
    assert shown["terms"].required_disclosures == ("#ad", "广告")
    assert "Drafted." in legal.text(drafted.headers["Location"])


def test_a_draft_with_bad_figures_is_refused_with_each_problem_next_to_its_field(
        api: Api, world: World) -> None:
    legal = signed_in(api, "legal")
    world.make("creator")
    before = api.events()

    amount = legal.post("/contracts/new", draft_form(world, legal,
                                                     **{"milestones[1].amount": "12.345"}))
    total = legal.post("/contracts/new", draft_form(world, legal,
                                                    **{"milestones[1].amount": "25000"}))
    amount_page, sum_page = amount.get_data(as_text=True), total.get_data(as_text=True)

    assert 'id="milestones-1-amount-error"' in amount_page and "more decimals" in amount_page
    assert amount.status_code == total.status_code == 422
    assert 'value="12.345"' in amount_page  # what was typed is kept
    assert 'value="video-1"' in sum_page and "广告" in sum_page
    assert "the payment schedule must sum exactly to the fee" in sum_page
    assert api.events() == before


EVERY_TERM = valid_terms(
    deliverables=[{"key": "video-1", "kind": "short_video", "platform": "douyin",
                   "due_date": "2099-03-01", "quantity": 2, "review_required": False,
                   "description": "Unboxing", "spec": {"video_length_seconds": 60}},
                  {"key": "live-1", "kind": "live_stream", "platform": "kuaishou",
                   "due_date": "2099-03-08", "spec": {"live_duration_minutes": 90}}],
    milestones=[{"key": "signing", "label": "On signature", "amount": 40_000,
                 "trigger": "on_signature"},
                {"key": "views", "label": "Views reached", "amount": 60_000,
                 "trigger": "on_metrics_reached", "deliverable_key": "video-1",
                 "metric": "views", "threshold": 50_000,
                 "bonus": {"deliverable_key": "live-1", "window_days": 14,
                           "rate_metric": "orders", "rate": 500, "tier_metric": "engaged_views",
                           "tiers": [{"at_least": 10_000, "amount": 2_000},
                                     {"at_least": 50_000, "amount": 8_000}],
                           "cap": 20_000}}],
    usage_rights=[{"key": "ads", "channels": ["paid_ads", "organic_repost"],
                   "territories": ["CN", "HK"], "starts": "fixed_date",
                   "start_date": "2099-04-01", "duration_days": 180,
                   "deliverable_keys": ["video-1"], "exclusivity_category": "lipstick",
                   "exclusivity_days": 30}],
    make_goods=[{"key": "low-views", "deliverable_key": "video-1", "metric": "views",
                 "threshold": 30_000, "window_days": 7, "remedy": "fee_reduction",
                 "milestone_key": "views", "percent": "12.5"},
                {"key": "repost", "deliverable_key": "live-1", "metric": "orders",
                 "threshold": 100, "window_days": 3, "remedy": "rights_extension",
                 "extension_days": 30}],
    approved_claims=["Lasts 12 hours"], required_disclosures=["#ad", "广告"],
    forbidden_terms=["cure"], flagged_categories=["health"], buffer_days=2, review_days=5,
    tracking={"landing_url": "https://brand.example/spring", "campaign_code": "SPR26"},
    notes="Samples go out a week before.")


def test_a_draft_revised_on_its_page_keeps_every_term_it_does_not_change(
        api: Api, world: World) -> None:
    contract_id = given_draft(api.services, api.team, EVERY_TERM)
    before = api.services.contracts.get_contract(api.team.legal, contract_id)["terms"]
    legal, path = signed_in(api, "legal"), f"/contracts/{contract_id}/terms"

    form = sent_by(legal.text(path), path)
    revised = legal.post(path, {**form, "deliverables[1].description": "Live try-on",
                                "reason": "Live described"})

    assert revised.status_code == 303, revised.get_data(as_text=True)[:2000]
    after = api.services.contracts.get_contract(api.team.legal, contract_id)
    assert after["terms"] == replace(before, deliverables=(
        before.deliverables[0], replace(before.deliverables[1], description="Live try-on")))
    assert after["version"] == 2 and "Draft revised." in legal.text(f"/contracts/{contract_id}")


def test_a_row_is_added_to_a_draft_and_a_blank_one_left_out(api: Api, world: World) -> None:
    legal, path = signed_in(api, "legal"), f"/contracts/{world.draft}/terms"
    grown = legal.post(path, sent_by(legal.text(path), path, ("add", "make_goods")))
    page = grown.get_data(as_text=True)
    form = sent_by(page, path)

    assert grown.status_code == 200 and 'name="make_goods[0].key"' in page
    assert legal.post(path, form).status_code == 303  # the new row left blank
    terms = api.services.contracts.get_contract(api.team.legal, world.draft)["terms"]
    assert terms.make_goods == ()
    legal.post(path, {**sent_by(legal.post(path, sent_by(legal.text(path), path, (
        "add", "make_goods"))).get_data(as_text=True), path),
        "make_goods[0].key": "views", "make_goods[0].deliverable_key": "video-1",
        "make_goods[0].metric": "views", "make_goods[0].threshold": "1000",
        "make_goods[0].window_days": "7", "make_goods[0].remedy": "repost"})
    terms = api.services.contracts.get_contract(api.team.legal, world.draft)["terms"]
    assert [(r.key, r.threshold) for r in terms.make_goods] == [("views", 1000)]


def test_adding_a_row_keeps_everything_typed_and_writes_nothing(api: Api, world: World) -> None:
    legal = signed_in(api, "legal")
    world.make("creator")
    before = api.events()
    form = {**sent_by(legal.text("/contracts/new"), "/contracts/new", ("add", "milestones")),
            "title": "Spring lipstick", "creator_id": world.creator, "fee.amount": "300"}

    page = legal.post("/contracts/new", form).get_data(as_text=True)

    assert 'value="Spring lipstick"' in page and 'value="300"' in page
    assert 'name="milestones[1].key"' in page and 'name="milestones[2].key"' not in page
    assert api.events() == before


def test_an_amendment_is_proposed_on_the_page_and_withdrawn(api: Api, world: World) -> None:
    legal, path = signed_in(api, "legal"), f"/contracts/{world.active}/terms"
    page = legal.text(f"/contracts/{world.active}")
    form = sent_by(legal.text(path), path)

    unexplained = legal.post(path, {**form, "fee.amount": "1,200.00",
                                    "milestones[1].amount": "700"})
    proposed = legal.post(path, {**form, "fee.amount": "1,200.00",
                                 "milestones[1].amount": "700", "reason": "Bigger launch"})
    contract = api.services.contracts.get_contract(api.team.legal, world.active)

    assert "Propose an amendment" in page
    assert unexplained.status_code == 422 and "reason" in unexplained.get_data(as_text=True)
    assert proposed.status_code == 303
    assert contract["awaiting_signature_version"] == 2
    assert contract["terms"].fee.amount == 100_000  # in force until both sides sign
    shown = legal.text(f"/contracts/{world.active}")
    assert "Withdraw the amendment" in shown
    withdraw = f"/contracts/{world.active}/withdraw_amendment"
    legal.post(withdraw, {**sent_by(shown, withdraw), "reason": "Budget cut"})
    after = api.services.contracts.get_contract(api.team.legal, world.active)
    assert after["awaiting_signature_version"] is None


def test_terms_changed_meanwhile_are_shown_and_what_was_typed_is_kept(
        api: Api, world: World) -> None:
    legal, path = signed_in(api, "legal"), f"/contracts/{world.draft}/terms"
    form = sent_by(legal.text(path), path)
    api.services.contracts.revise_terms(api.team.legal2, world.draft, valid_terms(fee=90_000),
                                        reason="Negotiated down")

    stale = legal.post(path, {**form, "title": "x", "deliverables[0].description": "Mine"})
    page = stale.get_data(as_text=True)
    again = legal.post(path, sent_by(page, path))

    assert stale.status_code == 422 and "Someone changed this record" in page
    assert "Negotiated down" in page and 'value="Mine"' in page
    assert again.status_code == 303  # sent again knowingly, on the version now shown
    terms = api.services.contracts.get_contract(api.team.legal, world.draft)["terms"]
    assert terms.deliverables[0].description == "Mine" and terms.fee.amount == 100_000


def test_terms_are_changed_only_while_a_draft_or_in_force_and_only_by_legal(
        api: Api, world: World) -> None:
    api.services.contracts.cancel(api.team.legal, world.draft, "Creator declined")
    legal, ops = signed_in(api, "legal"), signed_in(api, "ops")

    closed = legal.get(f"/contracts/{world.draft}/terms")

    assert closed.status_code == 409 and "no longer be changed" in closed.get_data(as_text=True)
    assert ops.get(f"/contracts/{world.active}/terms").status_code == 403


def test_nobody_drafts_for_another_brands_creator(api: Api, world: World) -> None:
    other = given_team(api.services)
    theirs = api.services.creators.register_creator(other.ops, creator_profile())["id"]
    legal, ops = signed_in(api, "legal"), signed_in(api, "ops")
    world.make("creator")
    before = api.events()

    stranger = legal.post("/contracts/new", draft_form(world, legal, creator_id=str(theirs)))
    ops_page = ops.text("/contracts")

    assert stranger.status_code == 404
    assert "Draft a contract" not in ops_page and "Draft a contract" in legal.text("/contracts")
    assert ops.get("/contracts/new").status_code == 403
    assert api.events() == before


@pytest.mark.parametrize("path", [
    "/contracts/{active}", "/contracts/{active}/history", "/contracts/{active}/terms",
    "/deliverables/{deliverable}",
    "/payouts/{payout}", "/shipments/{shipment}"])
def test_another_brands_pages_are_not_found(api: Api, world: World, path: str) -> None:
    stranger = person(api)
    stranger.sign_in_with_token(given_team(api.services).tokens["auditor"])

    assert stranger.get(path.format(active=world.active, deliverable=world.deliverable,
                                    payout=world.payout, shipment=world.shipment)
                        ).status_code == 404


@pytest.mark.parametrize("path", [
    "/contracts/{draft}/send-for-signature", "/contracts/{draft}/sign",
    "/contracts/{draft}/creator-acceptance", "/contracts/{draft}/verify",
    "/contracts/{draft}/cancel", "/contracts/{draft}/terms",
    "/contracts/{draft}/withdraw_amendment",
    "/contracts/{draft}/audit-export", "/payouts/{payout}/request-release",
    "/payouts/{payout}/approve", "/payouts/{payout}/hold", "/deliverables/{deliverable}/submit",
    "/deliverables/{deliverable}/approve", "/deliverables/{deliverable}/request-changes"])
def test_another_brands_records_cannot_be_acted_on_and_nothing_is_written(
        api: Api, world: World, path: str) -> None:
    world.make("draft", "payout", "deliverable")
    other = given_team(api.services)
    role = "finance" if path.startswith("/payouts") else \
        "ops" if path.endswith("/submit") else "legal"  # one the use case allows
    stranger = person(api)
    stranger.sign_in_with_token(other.tokens[role])
    stranger.get("/home")
    before = api.events()

    answer = stranger.post(path.format(draft=world.draft, payout=world.payout,
                                       deliverable=world.deliverable),
                           {"name": "X", "reason": "x", "content": "x", "comments": "x"})

    assert answer.status_code == 404
    assert api.events() == before


def test_a_deliverable_page_answers_whether_it_may_be_used(api: Api, world: World) -> None:
    ops = signed_in(api, "ops")
    path = f"/deliverables/{world.published}"
    expected = api.services.usage_rights.check(api.team.ops, world.published,
                                               Channel.ORGANIC_REPOST, "CN")

    page = ops.text(f"{path}?channel=organic_repost&territory=cn")
    elsewhere = ops.text(f"{path}?channel=organic_repost&territory=ZZ")

    assert ("<b>Yes</b>" if expected.allowed else "<b>No</b>") in page
    assert html.escape(expected.why, quote=True) in page
    assert "<b>No</b>" in elsewhere


def test_ops_prepares_dispatches_and_delays_a_shipment_and_the_delay_proposes_an_extension(
        api: Api, world: World) -> None:
    ops, contract_id = signed_in(api, "ops"), str(api.services.deliverables.get_deliverable(
        api.team.ops, world.deliverable)["contract_id"])
    page = ops.text(f"/contracts/{contract_id}")
    hidden = form_key(page, f"/contracts/{contract_id}/shipments")

    prepared = ops.post(f"/contracts/{contract_id}/shipments", {
        **hidden, "items[0].sku": "SERUM-30ML", "items[0].quantity": "2",
        "address.recipient": "Mia Chen", "address.line1": "1 Nanjing Rd",
        "address.city": "Shanghai", "address.country": "CN",
        "deliverable_ids": world.deliverable})
    shipment = prepared.headers["Location"]
    today = date.today()
    for action, typed in [("dispatch", {"carrier": "SF", "tracking_number": "SF123",
                                        "eta": (today + timedelta(days=3)).isoformat()}),
                          ("delay", {"reason": "Customs check",
                                     "eta": (today + timedelta(days=5)).isoformat()})]:
        ops.post(f"{shipment}/{action}", {**form_key(ops.text(shipment), f"{shipment}/{action}"),
                                          **typed})
    api.services.run_policies()

    assert "Mia Chen" in ops.text(shipment) and "delayed" in ops.text(shipment)
    assert "2 × SERUM-30ML" in ops.text(shipment)
    proposals = api.services.deliverables.get_deliverable(api.team.ops, world.deliverable)[
        "proposals"]
    assert proposals and proposals[0]["days"] == 2

    page = f"/deliverables/{world.deliverable}"
    grant = f"{page}/proposals/{proposals[0]['number']}/grant"
    ops.post(grant, {**form_key(ops.text(page), grant), "reason": "the samples came late"})

    granted = api.services.deliverables.get_deliverable(api.team.ops, world.deliverable)
    assert granted["extended_days"] == 2 and "Extension granted." in ops.text(page)


def test_creators_are_searched_by_name_and_each_has_a_profile(api: Api, world: World) -> None:
    drafted = api.services.contracts.get_contract(api.team.legal, world.draft)
    api.services.read_models.catch_up()
    ops = signed_in(api, "ops")
    creator = api.services.creators.get_creator(api.team.ops, drafted["creator_id"])

    found = ops.text(f"/creators?q={quote(creator['display_name'][:4])}")
    profile = ops.text(f"/creators/{creator['id']}")
    stranger = person(api)
    stranger.sign_in_with_token(given_team(api.services).tokens["ops"])

    assert creator["display_name"] in found and f"/creators/{creator['id']}" in found
    assert "Winter launch" in profile and "Platforms" in profile
    assert stranger.get(f"/creators/{creator['id']}").status_code == 404
    assert creator["display_name"] not in stranger.text("/creators")


def test_a_nul_character_in_a_form_or_an_address_is_refused_as_a_page(api: Api,
                                                                     world: World) -> None:
    legal, path = signed_in(api, "legal"), f"/contracts/{world.draft}"
    hidden = form_key(legal.text(path), f"{path}/send-for-signature")
    before = api.events()

    posted = legal.post(f"{path}/send-for-signature", {**hidden, "reason": "a\x00b"})
    asked = legal.get("/contracts?status=dr%00aft")

    assert posted.status_code == 400 and asked.status_code in (400, 422)
    assert "text/html" in posted.content_type and "text/html" in asked.content_type
    assert api.events() == before


def test_ops_records_a_published_deliverables_figures(api: Api, world: World) -> None:
    ops, page = signed_in(api, "ops"), f"/deliverables/{world.published}"
    action = f"{page}/metrics"

    ops.post(action, {**form_key(ops.text(page), action), "source": "douyin export",
                      "views": "12,000", "likes": "many"})
    refused = ops.text(page)
    ops.post(action, {**form_key(refused, action), "source": "douyin export",
                      "views": "12,000", "likes": "800"})

    assert 'id="metrics-likes-error"' in refused and "a whole number" in refused
    figures = api.services.deliverables.metrics_of(api.team.ops, world.published)
    assert [f.counts for f in figures] == [{"views": 12_000, "likes": 800}]
    assert "views 12,000" in ops.text(page)


def test_finance_sees_the_last_reconciliations_mismatches_with_their_payouts(
        api: Api) -> None:
    state = StripeState()
    api.services.payouts.gateway = in_process_gateway(state)
    payable = given_paid_then_reversed_behind_our_back(api.services, api.team, state)
    reconcile(api.services)

    home = signed_in(api, "finance").text("/home")
    stranger = person(api)
    stranger.sign_in_with_token(given_team(api.services).tokens["finance"])

    assert "reversal differs" in home and f"/payouts/{payable.signing}" in home
    assert f"/payouts/{payable.signing}" not in stranger.text("/home")


def test_auditors_see_the_checks_and_exports_made(api: Api, world: World) -> None:
    auditor, history = signed_in(api, "auditor"), f"/contracts/{world.active}/history"
    page = auditor.text(history)

    checked = auditor.post(f"/contracts/{world.active}/verify",
                           form_key(page, f"/contracts/{world.active}/verify"))
    exported = auditor.post(f"/contracts/{world.active}/audit-export",
                            form_key(page, f"/contracts/{world.active}/audit-export"))
    api.services.read_models.catch_up()
    home = auditor.text("/home")

    assert "The chain checks out" in checked.get_data(as_text=True)
    assert exported.content_type == "application/zip"
    checks = home.split("Hash-chain checks", 1)[1].split("<section", 1)[0]
    exports = home.split("Audit exports", 1)[1].split("<section", 1)[0]
    assert "Auditor (auditor)" in checks and "Auditor (auditor)" in exports


def test_legal_cancels_a_draft_only_with_a_reason(api: Api, world: World) -> None:
    legal, path = signed_in(api, "legal"), f"/contracts/{world.draft}"

    legal.post(f"{path}/cancel", {**form_key(legal.text(path), f"{path}/cancel"), "reason": ""})
    refused = legal.text(path)
    legal.post(f"{path}/cancel", {**form_key(refused, f"{path}/cancel"),
                                  "reason": "the creator withdrew"})

    assert 'id="cancel-reason-error"' in refused
    assert api.services.contracts.get_contract(api.team.legal, world.draft)["status"] == \
        "cancelled"
    assert "Cancelled." in legal.text(path) and "Complete the contract" not in refused


def test_a_payout_by_an_offline_rail_is_recorded_paid_by_hand(api: Api, world: World) -> None:
    page = f"/payouts/{world.payout}"
    asker, approver = signed_in(api, "finance"), signed_in(api, "finance2")
    asker.post(f"{page}/request-release",
               {**form_key(asker.text(page), f"{page}/request-release"), "rail": "wechat_pay"})
    approver.post(f"{page}/approve", form_key(approver.text(page), f"{page}/approve"))

    shown = asker.text(page)
    asker.post(f"{page}/record-payment", {**form_key(shown, f"{page}/record-payment"),
                                          "reference": "WX-2026-001"})
    refused = asker.text(page)
    asker.post(f"{page}/record-payment", {**form_key(refused, f"{page}/record-payment"),
                                          "reference": "WX-2026-001",
                                          "proof": "finance drive/receipts/wx-001.png"})

    assert "wechat pay" in shown and "Record the payment" in shown
    assert f'id="paid-{world.payout}-proof-error"' in refused
    paid = api.services.payouts.get_payout(api.team.finance, world.payout)
    assert (paid["status"], paid["rail"], paid["reference"]) == ("paid", "wechat_pay",
                                                                 "WX-2026-001")


def test_a_stale_review_form_shows_what_changed_on_the_deliverable(api: Api,
                                                                   world: World) -> None:
    ops, page = signed_in(api, "ops"), f"/deliverables/{world.outline_submitted}"
    hidden = form_key(ops.text(page), f"{page}/request-changes")
    api.services.deliverables.approve(api.team.legal, world.outline_submitted, Stage.OUTLINE)

    ops.post(f"{page}/request-changes", {**hidden, "comments": "shorter intro"})
    shown = ops.text(page)

    assert "Someone changed this record while you had the page open" in shown
    assert "Legal (legal)" in shown and "outline approved" in shown


def test_a_home_section_longer_than_the_page_has_a_list_of_its_own(api: Api) -> None:
    drafts = {given_draft(api.services, api.team) for _ in range(11)}
    api.services.read_models.catch_up()
    legal = signed_in(api, "legal")

    home = legal.text("/home")
    listed = legal.text("/home/legal/0")

    assert '/home/legal/0">All of them</a>' in home
    assert all(f"/contracts/{draft}" in listed for draft in drafts)
    assert signed_in(api, "ops").get("/home/legal/0").status_code == 403
    assert legal.get("/home/legal/99").status_code == 404


@pytest.mark.parametrize("path", ["/contracts", "/creators", "/home/legal/0"])
def test_a_hand_edited_cursor_shows_the_first_page(api: Api, world: World, path: str) -> None:
    world.make("draft")
    api.services.read_models.catch_up()

    shown = signed_in(api, "legal").text(f"{path}?cursor=not-one-of-ours")

    assert "Winter launch" in shown or "Mia Chen" in shown
