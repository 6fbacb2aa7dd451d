"""The API's docs page, loaded in a real (headless) Chromium: it renders the OpenAPI
document and lists the operations, with nothing fetched from outside this machine."""

import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from application.bootstrap import Services
from web import create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


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


def rendered(url: str) -> str:
    """The page's DOM once its scripts have run (virtual time lets them finish)."""
    assert CHROMIUM, "Chromium is needed: `make test` installs Debian's chromium package"
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={Path(profile)}",
             "--virtual-time-budget=20000", "--dump-dom", url],
            capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def test_the_docs_page_renders_the_document_and_lists_the_operations(docs_url: str) -> None:
    page = rendered(docs_url)

    assert "Unable to render this definition" not in page
    assert "opblock-summary" in page  # Swagger UI drew the operations
    for operation in ("Draft a contract", "Register a creator",
                      "Ask for a due payout to be paid"):
        assert operation in page, operation
