"""A real `kolpact serve` process on PostgreSQL, driven over HTTP like a client would."""

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
    process = subprocess.Popen([KOLPACT, "serve", "--port", str(port)], env=env,
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

    assert set(seeded) == {"brand_id", "tokens", "creators", "contracts"}
    assert set(seeded["tokens"]) == {"legal", "ops", "finance", "finance_approver", "auditor",
                                     "admin"}
    assert set(seeded["contracts"]) == {"draft", "active"}
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
    assert [e["event"] for e in history["events"]] == ["Drafted", "SentForSignature", "Signed",
                                                       "Signed"]
    drafted_at = history["events"][0]["time"]
    _, then = auditor("GET", f"{path}?as_of={urllib.parse.quote(drafted_at)}")
    assert then["status"] == "draft"
    assert auditor("POST", f"{path}/terminate", {"reason": "x"})[0] == 403


def test_the_seeded_active_contract_is_readable(server: tuple[str, dict[str, Any]]) -> None:
    base, seeded = server

    status, contract = Client(base, seeded["tokens"]["auditor"])(
        "GET", f"/contracts/{seeded['contracts']['active']}")

    assert (status, contract["status"]) == (200, "active")
