"""A real `kolpact serve` process on PostgreSQL, driven over HTTP like a client would."""

import datetime
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.builders import creator_profile, valid_terms

KOLPACT = str(Path(sys.executable).parent / "kolpact")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Client:
    def __init__(self, base: str, token: str) -> None:
        self.base, self.token = base, token

    def __call__(self, method: str, path: str, body: Any = None,
                 headers: dict[str, str] | None = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method, headers={
            "Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
            **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())


@pytest.fixture
def server(postgres_database: str) -> Iterator[tuple[str, dict[str, Any]]]:
    env = {**os.environ, "KOLPACT_DATABASE_URL":
           f"{postgres_database}?schema=e2e_{uuid.uuid4().hex[:8]}"}
    seeded = json.loads(subprocess.run([KOLPACT, "demo", "seed", "--json"], env=env, check=True,
                                       capture_output=True, text=True).stdout)
    port = free_port()
    process = subprocess.Popen([KOLPACT, "serve", "--with-projections", "--workers", "2",
                                "--port", str(port)],
                               env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        wait_until_healthy(base, process)
        yield base, seeded
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_until_healthy(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read().decode()}")  # type: ignore[union-attr]
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError("server did not become healthy within 30 s")


def test_demo_seed_prints_the_promised_json(server: tuple[str, dict[str, Any]]) -> None:
    _, seeded = server

    assert set(seeded) == {"brand_id", "tokens", "creators", "contracts", "deliverables",
                           "shipment", "payouts", "campaign", "program", "distributors"}
    assert set(seeded["tokens"]) == {"legal", "ops", "finance", "finance_approver", "auditor",
                                     "admin"}
    assert set(seeded["contracts"]) == {"draft", "active", "missed_target"}
    assert len(seeded["creators"]) >= 4


def test_a_contract_goes_from_draft_to_active_over_http(server: tuple[str, dict[str, Any]]
                                                        ) -> None:
    base, seeded = server
    legal, ops = Client(base, seeded["tokens"]["legal"]), Client(base, seeded["tokens"]["ops"])
    auditor = Client(base, seeded["tokens"]["auditor"])

    status, creator = ops("POST", "/creators", creator_profile("Su Yan"))
    assert status == 201
    status, contract = legal("POST", "/contracts", {"creator_id": creator["id"], "title": "Review",
                                                    "terms": valid_terms()},
                             {"Idempotency-Key": "e2e-draft"})
    assert status == 201
    path = f"/contracts/{contract['id']}"
    assert legal("POST", f"{path}/send-for-signature", {}, {"If-Match": '"1"'})[0] == 200
    assert legal("POST", f"{path}/sign", {"name": "Lee Legal"})[0] == 200
    status, active = legal("POST", f"{path}/creator-acceptance", {"name": "Su Yan"})

    assert (status, active["status"]) == (200, "active")
    _, history = auditor("GET", f"{path}/history")
    assert [e["event"] for e in history["events"] if e["aggregate"] == "Contract"] == [
        "Drafted", "SentForSignature", "Signed", "Signed"]
    drafted_at = history["events"][0]["time"]
    _, then = auditor("GET", f"{path}?as_of={urllib.parse.quote(drafted_at)}")
    assert then["status"] == "draft"
    assert auditor("POST", f"{path}/terminate", {"reason": "x"})[0] == 403


def test_the_seeded_active_contract_is_readable(server: tuple[str, dict[str, Any]]) -> None:
    base, seeded = server

    status, contract = Client(base, seeded["tokens"]["auditor"])(
        "GET", f"/contracts/{seeded['contracts']['active']}")

    assert (status, contract["status"]) == (200, "active")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def eventually(check: Any, seconds: float = 15) -> Any:
    """Polls until check() returns something truthy (the server's workers are asynchronous)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise TimeoutError("the server's workers did not get there in time")


def test_the_demo_deliverable_goes_from_outline_to_accepted_with_its_shipment_and_qr(
        server: tuple[str, dict[str, Any]]) -> None:
    base, seeded = server
    ops, legal = Client(base, seeded["tokens"]["ops"]), Client(base, seeded["tokens"]["legal"])
    deliverable = f"/deliverables/{seeded['deliverables'][0]}"

    # The samples are late: the deliverable is offered the same days more.
    _, shipment = ops("GET", f"/shipments/{seeded['shipment']}")
    later = (datetime.date.fromisoformat(shipment["eta"]) + datetime.timedelta(days=2))
    assert ops("POST", f"/shipments/{seeded['shipment']}/delay",
               {"reason": "Held at customs", "eta": later.isoformat()})[0] == 200
    proposals = eventually(lambda: ops("GET", deliverable)[1]["proposals"])
    assert (proposals[0]["days"], proposals[0]["category"]) == (2, "shipment_delay")
    assert ops("POST", f"{deliverable}/proposals/1/grant", {})[0] == 200

    # The QR code opens, and the short link sends people to the landing page.
    _, tracking = ops("GET", f"{deliverable}/tracking")
    request = urllib.request.Request(f"{base}{deliverable}/tracking/qr.png", headers={
        "Authorization": f"Bearer {seeded['tokens']['ops']}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Type"] == "image/png"
        assert response.read().startswith(b"\x89PNG")
    landing = eventually(lambda: _redirect_target(tracking["qr_url"]))
    assert landing == tracking["landing_url"]

    # Outline, a draft that breaks the rules, a compliant one, publication, acceptance.
    assert ops("POST", f"{deliverable}/outline", {"content": "Morning routine #ad 广告"})[0] == 200
    assert legal("POST", f"{deliverable}/outline/approve", {})[0] == 200
    _, caught = ops("POST", f"{deliverable}/draft", {"content": "This serum cures acne!"})
    assert caught["submissions"][-1]["compliant"] is False
    assert ops("POST", f"{deliverable}/draft/approve", {})[0] == 403
    assert legal("POST", f"{deliverable}/draft/request-changes", {"comments": "Claims"})[0] == 200
    _, fixed = ops("POST", f"{deliverable}/draft", {
        "content": "Hydrates for 24 hours. #ad 广告"})
    assert fixed["submissions"][-1]["compliant"] is True, fixed["submissions"][-1]
    assert ops("POST", f"{deliverable}/draft/approve", {})[0] == 200
    assert ops("POST", f"{deliverable}/publish", {"url": "https://www.douyin.com/video/7"})[0] \
        == 200
    status, accepted = ops("POST", f"{deliverable}/accept", {})
    assert (status, accepted["status"]) == (200, "accepted")


def _redirect_target(url: str) -> str | None:
    try:
        urllib.request.build_opener(NoRedirects).open(url, timeout=5)
    except urllib.error.HTTPError as error:
        return error.headers["Location"] if error.code == 302 else None
    return None


def test_the_demo_video_that_missed_its_target_has_its_fee_reduced_and_rights_answered(
        server: tuple[str, dict[str, Any]]) -> None:
    base, seeded = server
    legal = Client(base, seeded["tokens"]["legal"])
    contract = f"/contracts/{seeded['contracts']['missed_target']}"

    def video_amount() -> int | None:
        payouts = legal("GET", f"{contract}/payouts")[1]["payouts"]
        amount = next(p["amount"]["amount"] for p in payouts if p["milestone"]["key"] == "video")
        return amount if amount != 2_800_000 else None

    assert eventually(video_amount) == 2_240_000  # the background worker applied the remedy
    events = legal("GET", f"{contract}/history")[1]["events"]
    assert {"Evaluated", "RemedyApplied", "Adjusted"} <= {e["event"] for e in events}
    video = next(d["id"] for d in legal("GET", f"{contract}/deliverables")[1]["deliverables"]
                 if d["key"] == "video-1")
    check = f"/usage-rights/check?deliverable_id={video}&channel=paid_ads&territory=CN"
    later = (datetime.date.today() + datetime.timedelta(days=100)).isoformat()
    assert legal("GET", check)[1]["allowed"] is True
    assert legal("GET", f"{check}&date={later}")[1]["why"].startswith("expired on")

    def lens() -> Any:
        rows = legal("GET", "/metrics/cost-lens?by=contract&contract_id="
                     f"{seeded['contracts']['missed_target']}")[1]["rows"]
        return rows and rows[0]["cost_per_engaged_view"] and rows[0]
    row = eventually(lens)
    assert (row["engaged_views"], row["follows"], row["orders"]) == (36_000, 850, 120)
    assert row["cost_per_order"] is not None
