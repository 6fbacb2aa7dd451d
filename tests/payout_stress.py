"""A randomized stress run of payout releases: faults, crashes and rival processors.

Each trial is one approved payout. Several processor threads go through all of
them at once, in shuffled orders, while the Stripe test server answers 429, 500
or times out after acting, and the processors "die" at random just before
calling Stripe or just after its answer. Dead processors are restarted; a last
calm round pays whatever is left. Then every payout must have exactly one
transfer and be recorded as paid with it.

    python -m tests.payout_stress --trials 1000 --workers 4 [--postgres URL]
"""

import argparse
import json
import random
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from application.payout_processor import PayoutProcessor
from application.services import Services, build_services
from application.settings import Settings
from domain.obligations import Milestone, MilestoneTrigger
from domain.payout import Payout, PayoutStatus, Rail
from tests.builders import given_creator, given_team
from tests.payments import in_process_gateway
from tests.stripe_server import Fault, StripeState

FAULTS = ("rate_limit", "server_error", "timeout_after")


class Crash(BaseException):
    """A processor killed mid-payment (BaseException: nothing in the code catches it)."""


class ChaosGateway:
    """The real gateway, with processors dying just before a call or just after it."""

    def __init__(self, inner: Any, rng: random.Random, crash_rate: float) -> None:
        self.inner, self.rng, self.crash_rate = inner, rng, crash_rate
        self.crashes = Counter[str]()
        self.lock = threading.Lock()

    def _maybe_crash(self, where: str) -> None:
        with self.lock:
            crash = self.rng.random() < self.crash_rate
            if crash:
                self.crashes[where] += 1
        if crash:
            raise Crash(where)

    def transfer(self, **kwargs: Any) -> Any:
        self._maybe_crash("before the transfer call")
        made = self.inner.transfer(**kwargs)
        self._maybe_crash("after Stripe's answer, before recording")
        return made

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@dataclass
class Report:
    trials: int
    workers: int
    store: str
    transfers: int
    double_transfers: int
    stuck: int
    faults_injected: int
    crashes: dict[str, int]
    seconds: float


def approved_payouts(services: Services, trials: int, account_creator: str) -> list[str]:
    ids = []
    batch: list[Payout] = []
    for number in range(trials):
        payout = Payout.schedule(
            actor="stress", brand_id="stress-brand", contract_id=f"stress-{number}",
            creator_id=account_creator, currency="CNY",
            milestone=Milestone("signing", "On signature", 1_000 + number,
                                MilestoneTrigger.ON_SIGNATURE))
        payout.fall_due("stress", "signed")
        payout.request_release("maker", Rail.STRIPE, 1)
        payout.approve("checker")
        batch.append(payout)
        ids.append(str(payout.id))
        if len(batch) == 100:
            services.payouts.save(*batch)
            batch = []
    if batch:
        services.payouts.save(*batch)
    return ids


def run(services: Services, trials: int = 1000, workers: int = 4, seed: int = 7,
        fault_rate: float = 0.15, crash_rate: float = 0.05) -> Report:
    rng = random.Random(seed)
    state = StripeState()
    team = given_team(services)
    services.payouts.gateway = in_process_gateway(state)
    creator_id = given_creator(services, team)
    opened = services.payouts.open_payout_account(team.ops, creator_id, "CN", None,
                                                  "https://x.test", "https://x.test")
    state.complete_onboarding(opened["account_id"])
    ids = approved_payouts(services, trials, creator_id)
    chaos = ChaosGateway(services.payouts.gateway, rng, crash_rate)
    faults = rng.choices(FAULTS, k=int(trials * fault_rate))
    state.inject(*(Fault(kind) for kind in faults))
    started = time.monotonic()

    def processor_thread(order_seed: int) -> None:
        order = list(ids)
        random.Random(order_seed).shuffle(order)
        for payout_id in order:
            processor = PayoutProcessor(services.payouts, chaos, sleep=lambda _: None)
            try:
                processor.pay(payout_id)
            except Crash:
                continue  # the process died; a new one carries on with the next payout

    threads = [threading.Thread(target=processor_thread, args=(seed + n,))
               for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    calm = PayoutProcessor(services.payouts, services.payouts.gateway, sleep=lambda _: None)
    state.faults.clear()
    for _ in range(3):  # restarted processors finish what the dead ones left
        calm.pay_all(ids)
    return report(services, state, ids, chaos, workers, len(faults),
                  time.monotonic() - started)


def report(services: Services, state: StripeState, ids: list[str], chaos: ChaosGateway,
           workers: int, faults: int, seconds: float) -> Report:
    per_payout = Counter(t["metadata"].get("kolpact_payout_id") for t in state.transfers.values())
    stuck = 0
    for payout_id in ids:
        payout: Payout = services.payouts._load(Payout, payout_id, "payout")
        transfers = [t for t in state.transfers.values()
                     if t["metadata"].get("kolpact_payout_id") == payout_id]
        if payout.status is not PayoutStatus.PAID or len(transfers) != 1 or \
                payout.reference != transfers[0]["id"]:
            stuck += 1
    return Report(trials=len(ids), workers=workers, store=services.settings.backend,
                  transfers=len(state.transfers),
                  double_transfers=sum(n - 1 for n in per_payout.values() if n > 1),
                  stuck=stuck, faults_injected=faults, crashes=dict(chaos.crashes),
                  seconds=round(seconds, 1))


def drop_schema(url: str, schema: str) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres", help="a PostgreSQL URL (a new schema is used)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = (f"{args.postgres}?schema=stress_{uuid.uuid4().hex[:8]}" if args.postgres
               else f"sqlite:///{Path(folder) / 'stress.db'}")
        services = build_services(Settings(database_url=url))
        try:
            found = run(services, args.trials, args.workers, args.seed)
        finally:
            services.close()
            if args.postgres:
                drop_schema(args.postgres, url.rsplit("schema=", 1)[1])
    print(json.dumps(asdict(found), indent=2))
    if found.double_transfers or found.stuck:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
