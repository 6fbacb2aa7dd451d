"""The console in a real browser (Debian's Chromium, headless, driven by selenium through
its chromedriver): each role's journey from a one-time sign-in link, keyboard and label
basics, and another brand's page. Each home page is kept as a screenshot in
var/test-artefacts/console/."""

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait
from werkzeug.serving import make_server

from application.bootstrap import Services
from application.common.actor import system_actor
from application.demo import seed_demo
from tests.builders import creator_profile, given_team, valid_terms
from tests.clock import FakeClock
from tests.conftest import open_services
from web import create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
ARTEFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artefacts" / "console"


@pytest.fixture(scope="module")
def demo(request, tmp_path_factory) -> Iterator[tuple[Services, dict[str, Any], str]]:  # type: ignore[no-untyped-def]
    running = open_services("sqlite", tmp_path_factory.mktemp("console"), request, FakeClock())
    services = next(running)
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
    unlabelled = browser.execute_script(
        "return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
        ".filter(e => !(e.id && document.querySelector('label[for=\"' + e.id + '\"]')))"
        ".map(e => e.name)")
    assert unlabelled == []


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

