"""The production layout, as the README tells it: two `kolpact serve` API servers, one
`kolpact projections run --rounds` runner and one `kolpact payouts process` worker against
one PostgreSQL, each a process of its own, with Stripe the test server over HTTP.

Clients write through both APIs at once, retrying each create through the other server
as a client does after a lost answer, and race each other on one draft; the worker pays
meanwhile. Nothing is lost, doubled or out of order: every create is there once, the
race gives one winner per version, every payout is paid by one transfer, the lists show
each record once, and the hash chain checks."""

import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from application.bootstrap import Services, build_services
from application.infrastructure.settings import Settings
from doubles.stripe_server import RunningServer, serve
from tests.builders import Team, given_creator, given_draft, given_team, valid_terms
from tests.e2e.test_server import KOLPACT, Client, free_port, wait_until_healthy
from tests.payments import approve, given_payable

CLIENTS_PER_API = 3
CREATES_PER_CLIENT = 8
PAYOUTS = 4


@dataclass
class Deployment:
    apis: list[str]
    services: Services  # the test's own view of the store, for set-up and checks
    team: Team
    stripe: RunningServer
    env: dict[str, str]

    def client(self, api: int, role: str) -> Client:
        return Client(self.apis[api], self.team.tokens[role])


@pytest.fixture
def deployment(postgres_database: str, tmp_path: Path) -> Iterator[Deployment]:
    stripe = serve()
    env = {**os.environ, "KOLPACT_DATABASE_URL":
           f"{postgres_database}?schema=deploy_{uuid.uuid4().hex[:8]}",
           "KOLPACT_STRIPE_API_KEY": stripe.state.api_key, "KOLPACT_STRIPE_API_BASE": stripe.url,
           "KOLPACT_DB_POOL_SIZE": "1", "KOLPACT_DB_MAX_OVERFLOW": "3"}
    subprocess.run([KOLPACT, "init-db"], env=env, check=True, capture_output=True)
    services = build_services(Settings.from_environ(env))
    ports = [free_port(), free_port()]
    commands = [*([KOLPACT, "serve", "--workers", "2", "--port", str(port)] for port in ports),
                [KOLPACT, "projections", "run", "--rounds"],
                [KOLPACT, "payouts", "process", "--interval", "0.5"]]
    logs = [(tmp_path / f"process-{n}.log").open("wb") for n in range(len(commands))]
    processes = [subprocess.Popen(command, env=env, stdout=log, stderr=log)
                 for command, log in zip(commands, logs, strict=True)]
    apis = [f"http://127.0.0.1:{port}/api/v1" for port in ports]
    try:
        for base, process in zip(apis, processes, strict=False):
            wait_until_healthy(base, process)
        yield Deployment(apis, services, given_team(services), stripe, env)
        assert all(process.poll() is None for process in processes), "a process died"
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        for log in logs:
            log.close()
        services.close()
        stripe.stop()


def create_twice(deployment: Deployment, client: int, creator_id: str) -> list[str]:
    """Creates contracts through one API, each sent again with its key through the other."""
    ids = []
    for n in range(CREATES_PER_CLIENT):
        body = {"creator_id": creator_id, "title": f"Client {client} #{n}",
                "terms": valid_terms()}
        key = {"Idempotency-Key": uuid.uuid4().hex}
        first, second = (deployment.client((client + step) % 2, "legal")(
            "POST", "/contracts", body, headers=key) for step in (0, 1))
        assert first[0] == second[0] == 201, (first, second)
        assert first[1]["id"] == second[1]["id"]
        ids.append(first[1]["id"])
    return ids


def revise_racing(deployment: Deployment, client: int, draft: str) -> list[int]:
    """Revises the draft's terms at the version last seen; returns the versions won."""
    won = []
    api = deployment.client(client % 2, "legal")
    for _ in range(CREATES_PER_CLIENT):
        _, seen = api("GET", f"/contracts/{draft}")
        fee = 200_000 + 100 * seen["version"] + client  # never the terms it replaces
        status, revised = api("PUT", f"/contracts/{draft}/terms",
                              {"terms": valid_terms(fee), "reason": f"client {client}"},
                              headers={"If-Match": f'"{seen["version"]}"'})
        assert status in (200, 409, 412), revised
        if status == 200:
            won.append(revised["version"])
    return won


def listed_ids(deployment: Deployment) -> list[str]:
    api, ids, cursor = deployment.client(1, "auditor"), [], None
    while True:
        query = f"/contracts?limit=100&brand_id={deployment.team.brand_id}"
        status, page = api("GET", query + (f"&cursor={cursor}" if cursor else ""))
        assert status == 200, page
        ids += [item["contract_id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            return ids


def wait_for(condition: Any, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.2)


def test_two_apis_a_runner_and_a_worker_lose_double_and_reorder_nothing(
        deployment: Deployment) -> None:
    services, team = deployment.services, deployment.team
    creator, draft = given_creator(services, team), given_draft(services, team)
    payables = [given_payable(services, team, deployment.stripe.state)
                for _ in range(PAYOUTS)]
    for payable in payables:
        approve(services, team, payable.signing)

    clients = 2 * CLIENTS_PER_API
    with ThreadPoolExecutor(2 * clients) as pool:
        creates = [pool.submit(create_twice, deployment, n, creator) for n in range(clients)]
        races = [pool.submit(revise_racing, deployment, n, draft) for n in range(clients)]
        created = [id_ for future in creates for id_ in future.result()]
        won = sorted(version for future in races for version in future.result())

    assert len(created) == len(set(created)) == clients * CREATES_PER_CLIENT
    _, final = deployment.client(0, "legal")("GET", f"/contracts/{draft}")
    assert won == list(range(2, final["version"] + 1))  # one winner per version, no gaps

    wait_for(lambda: len(listed_ids(deployment)) == len(created) + 1 + PAYOUTS,
             "the runner lists every contract")
    listed = listed_ids(deployment)
    assert len(listed) == len(set(listed)) and set(created) | {draft} <= set(listed)

    def all_paid() -> bool:
        return all(services.payouts.get_payout(team.finance, p.signing)["status"] == "paid"
                   for p in payables)
    wait_for(all_paid, "the worker pays every approved payout")
    for payable in payables:
        transfers = [t for t in deployment.stripe.state.transfers.values()
                     if t["transfer_group"] == payable.signing]
        assert len(transfers) == 1, transfers

    verified = subprocess.run([KOLPACT, "audit", "verify"], env=deployment.env,
                              capture_output=True, text=True, timeout=120)
    assert verified.returncode == 0, verified.stdout + verified.stderr
