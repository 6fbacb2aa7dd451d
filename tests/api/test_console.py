"""The web console over the API's use cases: signing in and out, each role's home page,
contracts as readable pages, CSRF on every form, and no other brand's records."""

from urllib.parse import quote

from tests.api.conftest import Api, World
from tests.builders import given_team
from tests.console import Person

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
