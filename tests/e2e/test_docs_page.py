"""The API's docs page, loaded in a real (headless) Chromium: it renders the OpenAPI
document and lists the operations, with nothing fetched from outside this machine."""

import shutil
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from application.bootstrap import Services
from web import create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
OPERATIONS = ("Draft a contract", "Register a creator", "Ask for a due payout to be paid",
              "Set up a program and its rules (legal)")


@pytest.fixture
def docs_url(durable_services: Services) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, create_app({"KOLPACT_SERVICES": durable_services}),
                         threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/api/v1/docs"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def rendered(url: str, waiting_for: tuple[str, ...] = ()) -> str:
    """The page's DOM once Swagger UI has drawn the operations named. Swagger UI draws
    the operations near the window as it scrolls: the window is tall enough for all."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.wait import WebDriverWait

    assert CHROMIUM and CHROMEDRIVER, \
        "Chromium is needed: `make test` installs Debian's chromium and its driver"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     "--window-size=1280,40000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    try:
        driver.get(url)
        WebDriverWait(driver, 30).until(lambda d: all(
            text in d.page_source for text in ("opblock-summary", *waiting_for)))
        return str(driver.page_source)
    finally:
        driver.quit()


def test_the_docs_page_renders_the_document_and_lists_the_operations(docs_url: str) -> None:
    page = rendered(docs_url, OPERATIONS)

    assert "Unable to render this definition" not in page
    assert "opblock-summary" in page  # Swagger UI drew the operations
    for operation in OPERATIONS:
        assert operation in page, operation
