"""The console in a real browser (Debian's Chromium, headless, driven by selenium through
its chromedriver): each role's journey from a one-time sign-in link, keyboard and label
basics, and another brand's page. Each home page is kept as a screenshot in
var/test-artefacts/console/."""

import shutil
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait
from werkzeug.serving import make_server

from application.bootstrap import Services
from application.common.actor import system_actor
from application.demo import seed_demo
from doubles.stripe_server import StripeState
from tests.builders import creator_profile, given_team, valid_terms
from tests.clock import FakeClock
from tests.conftest import open_services
from tests.payments import in_process_gateway, no_wait_processor
from web import create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
ARTEFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artefacts" / "console"


@pytest.fixture(scope="module")
def demo(request, tmp_path_factory) -> Iterator[tuple[Services, dict[str, Any], str]]:  # type: ignore[no-untyped-def]
    running = open_services("sqlite", tmp_path_factory.mktemp("console"), request, FakeClock())
    services = next(running)
    stripe = StripeState()
    stripe.auto_onboard = True  # as `make run`'s Stripe test server
    services.payouts.gateway = in_process_gateway(stripe)
    seeded = seed_demo(services)
    services.read_models.catch_up()  # type: ignore[union-attr]
    server = make_server("127.0.0.1", 0, create_app({"KOLPACT_SERVICES": services}),
                         threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield services, seeded, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        next(running, None)


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    assert CHROMIUM and CHROMEDRIVER, \
        "Chromium and its driver are needed: `make test` installs Debian's packages"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--window-size=1280,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.implicitly_wait(5)
    try:
        yield driver
    finally:
        driver.quit()


def sign_in(browser: webdriver.Chrome, demo: tuple[Services, dict[str, Any], str],
            role: str) -> None:
    services, seeded, base = demo
    user_id = services.identity.authenticate(seeded["tokens"][role]).user_id
    code = services.identity.issue_sign_in_link(system_actor(), user_id)
    browser.get(f"{base}/sign-in/{code}")
    browser.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("/home"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "What needs you now"


def sign_out(browser: webdriver.Chrome) -> None:
    browser.find_element(By.XPATH, "//button[text()='Sign out']").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("/sign-in"))


def press(browser: webdriver.Chrome, button: str, **typed: str) -> None:
    """Fills the form whose button this is, presses it, and waits for the next page."""
    pressed = f".//button[normalize-space()=\"{button}\"]"
    form = browser.find_element(By.XPATH, f"//form[{pressed}]")
    for name, value in typed.items():
        form.find_element(By.NAME, name).send_keys(value)
    old = browser.find_element(By.TAG_NAME, "html")
    form.find_element(By.XPATH, pressed).click()
    WebDriverWait(browser, 10).until(lambda _: left(old))


def left(element: Any) -> bool:
    """Whether the page holding the element has gone. Mid-navigation chromedriver may say
    so with a plain WebDriverException ('does not belong to the document') rather than a
    stale-element one."""
    try:
        element.is_enabled()
    except WebDriverException:  # StaleElementReferenceException is one too
        return True
    return False


def notice(browser: webdriver.Chrome) -> str:
    return " ".join(e.text for e in browser.find_elements(By.CSS_SELECTOR, "[role=status], "
                                                                           "[role=alert]"))


def payout_row(browser: webdriver.Chrome, label: str) -> str:
    return str(browser.find_element(By.XPATH, "//h2[@id='payouts']/following-sibling::table[1]"
                                              f"//tr[td[1][normalize-space()='{label}']]").text)


def unlabelled_fields(browser: webdriver.Chrome) -> list[str]:
    """The names of the page's fields that no label names (screen readers say nothing)."""
    return list(browser.execute_script(
        "return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
        ".filter(e => !(e.id && document.querySelector('label[for=\"' + e.id + '\"]')))"
        ".map(e => e.name)"))


def keep_screenshot(browser: webdriver.Chrome, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTEFACTS / f"{name}.png"))


def section_titles(browser: webdriver.Chrome) -> list[str]:
    return [h.text.rsplit(" ", 1)[0] for h in browser.find_elements(By.CSS_SELECTOR, "main h2")]


@pytest.mark.parametrize("role, expected", [
    ("legal", "Drafts"), ("ops", "Overdue deliverables"),
    ("finance", "Awaiting your approval"), ("auditor", "Recent activity")])
def test_each_role_signs_in_with_a_link_and_sees_its_home(browser, demo, role: str,  # type: ignore[no-untyped-def]
                                                          expected: str) -> None:
    sign_in(browser, demo, role)

    assert expected in section_titles(browser)
    keep_screenshot(browser, f"home-{role}")


def test_legal_opens_the_demo_draft_and_reads_its_terms(browser, demo) -> None:  # type: ignore[no-untyped-def]
    sign_in(browser, demo, "legal")

    browser.find_element(By.LINK_TEXT, "Winter serum seeding (KOC)").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("/contracts/"))

    body = browser.find_element(By.TAG_NAME, "main").text
    assert browser.find_element(By.TAG_NAME, "h1").text == "Winter serum seeding (KOC)"
    assert "CN¥40,000.00" in body and "short video on douyin" in body
    assert "Legal (legal)" in body  # who wrote the terms, by name
    keep_screenshot(browser, "contract-draft")


def test_the_keyboard_reaches_the_content_first_and_every_field_has_a_label(browser, demo  # type: ignore[no-untyped-def]
                                                                           ) -> None:
    sign_in(browser, demo, "ops")

    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    first = browser.switch_to.active_element

    assert first.text == "Skip to the content"
    _, seeded, base = demo
    unlabelled = {}
    for path in ("/home", "/contracts", "/creators", f"/contracts/{seeded['contracts']['active']}",
                 f"/deliverables/{seeded['deliverables'][0]}", f"/shipments/{seeded['shipment']}"):
        browser.get(base + path)
        unlabelled[path] = unlabelled_fields(browser)
    assert all(names == [] for names in unlabelled.values()), unlabelled


def test_another_brands_contract_is_a_not_found_page(browser, demo) -> None:  # type: ignore[no-untyped-def]
    services, _, base = demo
    other = given_team(services)
    theirs = services.contracts.draft_contract(
        other.legal, str(services.creators.register_creator(other.ops, creator_profile())["id"]),
        "Their secret launch", valid_terms())["id"]
    sign_in(browser, demo, "legal")

    browser.get(f"{base}/contracts/{theirs}")

    assert browser.find_element(By.TAG_NAME, "h1").text == "Not found"
    assert "Their secret launch" not in browser.page_source


def test_the_demo_draft_goes_to_a_paid_milestone_and_an_exported_trail_in_the_browser(
        browser, demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    services, seeded, base = demo
    draft = f"{base}/contracts/{seeded['contracts']['draft']}"

    sign_in(browser, demo, "legal")  # legal sends and signs; the creator's yes is recorded
    browser.get(draft)
    press(browser, "Send for signature")
    assert "Sent for signature." in notice(browser)
    press(browser, "Sign for the brand", name="Demo Legal", title="Head of Legal")
    press(browser, "Record the creator's acceptance", name="Zhou Ling")
    assert "The creator's acceptance is recorded." in notice(browser)
    sign_out(browser)
    services.run_policies()  # what the background worker does: the signing payout is due

    sign_in(browser, demo, "finance")  # finance asks; their own approval is refused
    browser.get(draft)
    press(browser, "Ask for release")
    press(browser, "Approve")
    assert "a different finance user must" in notice(browser)
    sign_out(browser)

    sign_in(browser, demo, "finance_approver")  # another finance user approves
    browser.get(draft)
    press(browser, "Approve")
    assert "Approved" in notice(browser)
    no_wait_processor(services).pay_all(
        [p["id"] for p in services.contract_parts.payouts_of(
            services.identity.authenticate(seeded["tokens"]["finance"]),
            seeded["contracts"]["draft"])])  # the payout worker's round
    browser.get(draft)
    assert "paid" in payout_row(browser, "On signature")
    sign_out(browser)

    sign_in(browser, demo, "auditor")  # the auditor reads the history and checks it
    browser.get(draft)
    browser.find_element(By.PARTIAL_LINK_TEXT, "History").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("/history"))
    timeline = browser.find_element(By.TAG_NAME, "main").text
    assert "Demo Legal" in timeline or "Legal (legal)" in timeline
    press(browser, "Check the hash chain")
    assert "The chain checks out" in notice(browser)
    keep_screenshot(browser, "history-auditor")
    browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow",
                                                         "downloadPath": str(tmp_path)})
    browser.find_element(By.XPATH, "//button[normalize-space()='Export the audit trail (zip)']"
                         ).click()
    WebDriverWait(browser, 20).until(lambda _: list(tmp_path.glob("audit-*.zip")))
    with zipfile.ZipFile(next(tmp_path.glob("audit-*.zip"))) as bundle:
        assert {"events.jsonl", "report.html", "manifest.json"} <= set(bundle.namelist())



def test_legal_drafts_a_contract_and_sends_it_for_signature(browser, demo) -> None:  # type: ignore[no-untyped-def]
    sign_in(browser, demo, "legal")
    browser.find_element(By.LINK_TEXT, "Contracts").click()
    browser.find_element(By.LINK_TEXT, "Draft a contract").click()
    typed = {"title": "Spring lipstick launch", "fee.amount": "30000",
             "deliverables[0].key": "video-1", "milestones[0].key": "signing",
             "milestones[0].label": "On signature", "milestones[0].amount": "30000",
             "required_disclosures": "#ad"}
    for name, value in typed.items():
        browser.find_element(By.NAME, name).send_keys(value)
    press(browser, "Add a usage right")  # draws the form again, as typed, with a row more
    browser.find_element(By.NAME, "usage_rights[0].key").send_keys("repost")
    browser.find_element(By.ID, "usage_rights-0-channels-organic_repost").click()
    browser.find_element(By.NAME, "usage_rights[0].territories").send_keys("CN")
    browser.execute_script("arguments[0].value = '2099-03-01'",
                           browser.find_element(By.NAME, "deliverables[0].due_date"))
    assert browser.find_element(By.NAME, "title").get_attribute("value") == typed["title"]
    assert unlabelled_fields(browser) == []  # every field of the long form has its label

    press(browser, "Save the draft")
    assert "Drafted." in notice(browser)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Spring lipstick launch"
    press(browser, "Send for signature")
    assert "Sent for signature." in notice(browser)
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "sent for signature" in main and "organic repost in CN" in main


def test_ops_sees_a_non_compliant_draft_marked_and_only_legal_may_override(browser, demo  # type: ignore[no-untyped-def]
                                                                          ) -> None:
    _, seeded, base = demo
    video = f"{base}/deliverables/{seeded['deliverables'][0]}"

    sign_in(browser, demo, "ops")
    browser.get(video)
    press(browser, "Submit the outline", content="Morning routine with the serum #ad 广告")
    press(browser, "Approve the outline")
    press(browser, "Submit the draft",
          content="Hydrates for 24 hours. Cures acne in 3 days! Buy now.")
    marked = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "mark.violation")]
    problems = browser.find_element(By.CSS_SELECTOR, ".stale").text
    keep_screenshot(browser, "review-ops")
    press(browser, "Approve the draft")
    refused = notice(browser)
    sign_out(browser)

    sign_in(browser, demo, "legal")
    browser.get(video)
    press(browser, "Approve the draft",
          override_reason="Creator's own dermatologist quote; legal checked the source")

    assert marked == ["Cures acne in 3 days!"]
    assert "missing disclosure" in problems and "unapproved claim" in problems
    assert "override" in refused.lower()
    assert "The draft is approved." in notice(browser)
    assert "draft approved" in browser.find_element(By.TAG_NAME, "main").text


def test_ops_run_the_campaign_week_by_week_and_legal_drafts_from_its_requirements(  # type: ignore[no-untyped-def]
        browser, demo) -> None:
    from selenium.webdriver.support.select import Select

    sign_in(browser, demo, "ops")
    follow_ups = browser.find_element(
        By.XPATH, "//h2[starts-with(normalize-space(), 'Your follow-ups due')]"
                  "/following-sibling::table[1]").text
    browser.find_element(By.LINK_TEXT, "Campaigns").click()
    browser.find_element(By.LINK_TEXT, "Winter serum launch").click()
    board = browser.find_element(By.XPATH, "//h2[@id='board']/following-sibling::table[1]").text
    keep_screenshot(browser, "campaign-ops")
    browser.find_element(By.XPATH, "//summary[normalize-space()='Check in on week 3']").click()
    Select(browser.find_element(By.ID, "state-3-production")).select_by_visible_text("on track")
    Select(browser.find_element(By.ID, "state-3-warm-up")).select_by_visible_text("behind")
    browser.find_element(By.ID, "note-3-warm-up").send_keys("Teasers wait for the samples")
    assert unlabelled_fields(browser) == []
    press(browser, "Record the week 3 check-in")
    week3 = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby='week-3']").text
    checked = notice(browser)
    sign_out(browser)

    sign_in(browser, demo, "legal")
    browser.find_element(By.LINK_TEXT, "Campaigns").click()
    browser.find_element(By.LINK_TEXT, "Winter serum launch").click()
    browser.find_element(By.LINK_TEXT, "Draft a contract for them in this campaign").click()
    drafting = browser.find_element(By.TAG_NAME, "main").text

    assert "Lin Xiaomei" in follow_ups  # waiting for a follow-up today
    assert "Winter serum teaser (published)" in board and "Winter serum hero video" in board
    assert "Week 3 checked in on." in checked
    assert "Warm-up posts and teasers out: behind (Teasers wait for the samples)" in week3
    assert "Drafted in Winter serum launch" in drafting
    assert "A ski-chalet morning routine" in drafting and "No filming before 10 am" in drafting


def test_ops_check_a_spreadsheet_then_import_its_valid_rows(browser, demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    sheet = tmp_path / "creators.csv"
    sheet.write_text("达人昵称,类型,平台,账号,粉丝数\n周小雨,KOC,小红书,zhouxy_beauty,2.4万\n"
                     "Nobody,KOC,myspace,nobody,1\n", encoding="gbk")

    sign_in(browser, demo, "ops")
    browser.find_element(By.LINK_TEXT, "Creators").click()
    export_link = browser.find_element(By.LINK_TEXT, "XLSX").get_attribute("href")
    browser.find_element(By.LINK_TEXT, "Import a spreadsheet").click()
    assert unlabelled_fields(browser) == []
    browser.find_element(By.ID, "import-file").send_keys(str(sheet))
    press(browser, "Check (writes nothing)")
    checked = browser.find_element(By.TAG_NAME, "main").text
    error_file = browser.find_element(By.LINK_TEXT, "Download the rows with problems"
                                      ).get_attribute("download")
    keep_screenshot(browser, "creators-import-checked")
    browser.find_element(By.ID, "import-file").send_keys(str(sheet))
    browser.find_element(By.ID, "rows-valid").click()
    press(browser, "Import")
    imported = browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.LINK_TEXT, "zhouxy_beauty").click()
    profile = browser.find_element(By.TAG_NAME, "main").text
    services, seeded, _ = demo
    legal = services.identity.authenticate(seeded["tokens"]["legal"])
    legal_email = services.identity.repository.get(UUID(legal.user_id)).email
    browser.find_element(By.XPATH, "//summary[normalize-space()='Give it to a colleague']"
                         ).click()
    press(browser, "Give it to them", email=legal_email, reason="She runs Shanghai KOCs")
    given = browser.find_element(By.TAG_NAME, "main").text

    assert "Checked: nothing written yet" in checked and "1 to add" in checked
    assert "'myspace' is not a platform" in checked
    assert error_file == "creators-problems.csv"
    assert "export?format=xlsx" in str(export_link)
    assert "Imported" in imported and "1 added" in imported and "1 left out" in imported
    assert "周小雨" in profile and "24,000" in profile
    assert "Handed over." in given and "Legal" in given.split("Owner", 1)[1].split("\n")[1]


def test_ops_import_a_shops_orders_on_the_demo_program(browser, demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    services, seeded, _ = demo
    ops = services.identity.authenticate(seeded["tokens"]["ops"])
    code = services.distribution.get_distributor(ops, seeded["distributors"][2])[
        "tracking_code"]
    today = services.distribution.clock.now().date().isoformat()
    sheet = tmp_path / "orders.csv"
    sheet.write_text(f"订单号,商品编码,数量,实付金额,下单时间,推广码\n"
                     f"SHOP-9,SERUM-30ML,1,299.00,{today},{code}\n", encoding="gbk")

    sign_in(browser, demo, "ops")
    browser.find_element(By.LINK_TEXT, "KOC programs").click()
    browser.find_element(By.LINK_TEXT, "Glow KOC circle").click()
    before = browser.find_element(By.TAG_NAME, "main").text
    assert unlabelled_fields(browser) == []
    browser.find_element(By.ID, "orders-file").send_keys(str(sheet))
    press(browser, "Import the orders")
    after = notice(browser)
    keep_screenshot(browser, "program-ops")

    assert "Owed to distributors" in before and "Standings" in before
    assert "Su Qing" in before and "Tang Mei" in before
    assert "1 orders recorded" in after
