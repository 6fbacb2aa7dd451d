"""Payouts end to end: `kolpact payouts process` as a real process, Stripe over real HTTP.

By default Stripe is the test server of doubles/stripe_server on 127.0.0.1. The same
tests run against Stripe's own test mode when these are set (see README):
KOLPACT_STRIPE_TEST_KEY (sk_test_…) and KOLPACT_STRIPE_TEST_ACCOUNT (an acct_… in
test mode that can receive transfers); otherwise those runs are skipped, saying so.
"""

import json
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from application.bootstrap import Services, build_services
from application.infrastructure.settings import Settings
from application.infrastructure.stripe_gateway import StripeGateway
from doubles.stripe_server import Fault, RunningServer, serve
from tests.builders import given_team
from tests.e2e.test_server import KOLPACT
from tests.payments import approve, given_payable

STRIPE_TEST_KEY = os.environ.get("KOLPACT_STRIPE_TEST_KEY")
STRIPE_TEST_ACCOUNT = os.environ.get("KOLPACT_STRIPE_TEST_ACCOUNT")


@dataclass
class Rail:
    env: dict[str, str]
    services: Services
    server: RunningServer | None  # None: Stripe's own test mode

    def transfers_for(self, payout_id: str) -> list[Any]:
        gateway = self.services.payouts.gateway
        assert isinstance(gateway, StripeGateway)
        return list(gateway.client.v1.transfers.list({"transfer_group": payout_id}).data)


@pytest.fixture(params=["test-server", "stripe-test-mode"])
def rail(request, postgres_database: str) -> Iterator[Rail]:  # type: ignore[no-untyped-def]
    server = None
    if request.param == "stripe-test-mode":
        if not (STRIPE_TEST_KEY and STRIPE_TEST_ACCOUNT):
            pytest.skip("Stripe test mode: set KOLPACT_STRIPE_TEST_KEY (sk_test_…) and "
                        "KOLPACT_STRIPE_TEST_ACCOUNT (acct_… able to receive transfers)")
        stripe_env = {"KOLPACT_STRIPE_API_KEY": STRIPE_TEST_KEY}
    else:
        server = serve()
        stripe_env = {"KOLPACT_STRIPE_API_KEY": server.state.api_key,
                      "KOLPACT_STRIPE_API_BASE": server.url}
    url = f"{postgres_database}?schema=pay_{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "KOLPACT_DATABASE_URL": url, **stripe_env}
    settings = Settings.from_environ(env)
    services = build_services(settings)
    try:
        yield Rail(env, services, server)
    finally:
        services.close()
        if server is not None:
            server.stop()


def payable_payout(rail: Rail) -> tuple[Any, str]:
    services = rail.services
    team = given_team(services)
    payable = given_payable(services, team, rail.server.state if rail.server else None)
    if rail.server is None:  # Stripe test mode: a connected account prepared beforehand
        services.creators.update_profile(team.ops, payable.creator_id,
                                         {"payout_account": STRIPE_TEST_ACCOUNT})
    approve(services, team, payable.signing)
    services.read_models.catch_up()
    return team, payable.signing


def process_once(rail: Rail) -> dict[str, int]:
    done = subprocess.run([KOLPACT, "payouts", "process", "--once"], env=rail.env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_the_processor_pays_an_approved_payout_once_and_reconcile_agrees(rail: Rail) -> None:
    team, payout_id = payable_payout(rail)

    first = process_once(rail)
    second = process_once(rail)
    reconciled = subprocess.run([KOLPACT, "payouts", "reconcile"], env=rail.env,
                                capture_output=True, text=True, timeout=120)

    paid = rail.services.payouts.get_payout(team.finance, payout_id)
    (transfer,) = rail.transfers_for(payout_id)
    assert (first["paid"], second["paid"]) == (1, 0)
    assert paid["status"] == "paid" and paid["reference"] == transfer.id
    if rail.server is not None:  # Stripe's test account holds other transfers too
        assert reconciled.returncode == 0, reconciled.stdout + reconciled.stderr
        assert json.loads(reconciled.stdout)["count"] == 0


def test_a_processor_killed_after_stripe_acted_does_not_pay_again(rail: Rail) -> None:
    if rail.server is None:
        pytest.skip("needs the test server to hold Stripe's answer while the process dies")
    team, payout_id = payable_payout(rail)
    rail.server.state.timeout_seconds = 30  # Stripe acts, then the answer never comes
    rail.server.state.inject(Fault("timeout_after"))
    worker = subprocess.Popen([KOLPACT, "payouts", "process", "--interval", "0.2"],
                              env=rail.env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not rail.server.state.transfers:
            assert time.monotonic() < deadline, "the transfer was never made"
            time.sleep(0.05)
    finally:
        worker.send_signal(signal.SIGKILL)  # after Stripe's transfer, before recording it
        worker.wait()
    assert rail.services.payouts.get_payout(team.finance, payout_id)["status"] == "submitted"

    restarted = process_once(rail)

    assert restarted["paid"] == 1
    assert len(rail.transfers_for(payout_id)) == 1
    assert rail.services.payouts.get_payout(team.finance, payout_id)["status"] == "paid"


def test_reconcile_reports_a_transfer_the_ledger_does_not_know(rail: Rail) -> None:
    if rail.server is None:
        pytest.skip("would create a stray transfer on a real Stripe account")
    _, payout_id = payable_payout(rail)
    process_once(rail)
    account = next(iter(rail.server.state.accounts))
    gateway = rail.services.payouts.gateway
    assert isinstance(gateway, StripeGateway)
    gateway.client.v1.transfers.create({  # someone paid the same payout by hand
        "amount": 100, "currency": "cny", "destination": account, "transfer_group": payout_id,
        "metadata": {"kolpact_payout_id": payout_id, "kolpact_attempt": "9"}})

    reconciled = subprocess.run([KOLPACT, "payouts", "reconcile"], env=rail.env,
                                capture_output=True, text=True, timeout=120)

    kinds = {m["kind"] for m in json.loads(reconciled.stdout)["mismatches"]}
    assert reconciled.returncode == 1 and {"paid_twice", "unrecorded_transfer"} <= kinds

