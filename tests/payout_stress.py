"""A randomized stress run of payout releases: faults, crashes, rival processors, changes.

Each trial is one approved payout. Several processor threads go through all of
them at once, in shuffled orders, while the Stripe test server answers 429, 401,
500 (saved under the key and replayed, before or after acting), times out
before or after acting, and lists lag; the processors "die" at random just
before calling Stripe or just after its answer; make-good cuts land on random
payouts while they are in flight; and webhooks are held back, duplicated and
delivered in any order. Dead processors are restarted; then calm rounds pay
what is left, finance approving again what a cut changed and retrying what
Stripe never answered. Then every payout must have exactly one transfer, be
recorded as paid with it, and what it paid less what it owes back must be its
amount less its cuts.

    python -m tests.payout_stress --trials 1000 --workers 4 [--postgres URL]
"""

import argparse
import json
import logging
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
from eventsourcing.persistence import ConnectionUnavailableError
from psycopg import sql

from application.bootstrap import Services, build_services
from application.common.actor import SYSTEM_USER
from application.errors import ConcurrentChange
from application.infrastructure.settings import Settings
from application.payments.payout_processor import PayoutProcessor
from domain.obligations import Milestone, MilestoneTrigger
from domain.payout import Payout, PayoutStatus, Rail
from doubles.stripe_server import Fault, StripeState
from tests.builders import Team, given_active_contract, given_creator, given_team
from tests.payments import stripe_with_webhooks

FAULTS = ("rate_limit", "unauthorized", "timeout_before", "timeout_after", "server_error",
          "server_error_after")
CALM_ROUNDS = 12


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
    wrong_amounts: int
    faults_injected: int
    cuts: int
    webhooks_delivered: int
    webhooks_kept: int
    crashes: dict[str, int]
    seconds: float


def approved_payouts(services: Services, trials: int, brand_id: str, contract_id: str,
                     account_creator: str) -> list[str]:
    ids = []
    batch: list[Payout] = []
    for number in range(trials):
        payout = Payout.schedule(
            actor="stress", brand_id=brand_id, contract_id=contract_id,
            creator_id=account_creator, currency="CNY",
            milestone=Milestone(f"stress-{number}", "On signature", 1_000 + number,
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


def cut_in_flight(services: Services, payout_id: str, cut: int) -> bool:
    """A make-good reduction landing whatever state the payout is in."""
    for _ in range(5):
        payout: Payout = services.payouts.find(payout_id)
        try:
            payout.take_off(SYSTEM_USER, cut, "Stress: make-good cut", f"stress cut {cut}")
            services.payouts.save_payout(payout)
        except (ConcurrentChange, ConnectionUnavailableError):
            # A rival processor changed it, or the store's writer stayed busy past its
            # timeout (a loaded machine): as a policy would, load again and retry.
            continue
        return True
    return False


def finish_by_hand(services: Services, team: Team, ids: list[str]) -> None:
    """What finance does after the chaos: approve again what a cut changed, retry what
    failed."""
    for payout_id in ids:
        payout: Payout = services.payouts.find(payout_id)
        if payout.status is PayoutStatus.FAILED:
            services.payouts.retry(team.finance, payout_id, "Stress: retry")
        elif payout.status is PayoutStatus.DUE:
            services.payouts.request_release(team.finance, payout_id)
            services.payouts.approve(team.finance2, payout_id)


def run(services: Services, trials: int = 1000, workers: int = 4, seed: int = 7,
        fault_rate: float = 0.15, crash_rate: float = 0.05, cut_rate: float = 0.1) -> Report:
    rng = random.Random(seed)
    team = given_team(services)
    state = stripe_with_webhooks(services, "whsec_stress")
    state.rng, state.hold_webhooks, state.duplicate_webhooks = random.Random(seed), True, 0.3
    webhooks = services.webhooks
    contract_id = given_active_contract(services, team)
    creator_id = given_creator(services, team)
    opened = services.payouts.open_payout_account(team.ops, creator_id, "CN", None,
                                                  "https://x.test", "https://x.test")
    state.complete_onboarding(opened["account_id"])
    ids = approved_payouts(services, trials, team.brand_id, contract_id, creator_id)
    chaos = ChaosGateway(services.payouts.gateway, rng, crash_rate)
    faults = rng.choices(FAULTS, k=int(trials * fault_rate))
    state.inject(*(Fault(kind) for kind in faults),
                 *(Fault("stale_list", "GET", "/v1/transfers") for _ in faults[::3]))
    cuts = {payout_id: rng.randrange(1, 500) for payout_id in rng.sample(
        ids, int(trials * cut_rate))}
    started = time.monotonic()

    def processor_thread(order_seed: int) -> None:
        order = list(ids)
        random.Random(order_seed).shuffle(order)
        for payout_id in order:
            processor = PayoutProcessor(services.payouts, chaos, first_delay=0)
            try:
                processor.pay(payout_id)
            except Crash:
                continue  # the process died; a new one carries on with the next payout

    def cutter() -> None:
        for payout_id, cut in list(cuts.items()):
            if not cut_in_flight(services, payout_id, cut):
                del cuts[payout_id]  # it kept changing: this cut never landed

    failures: list[BaseException] = []

    def reporting(work: Any, *args: Any) -> None:
        try:
            work(*args)
        except BaseException as error:  # a thread's error must fail the run, not vanish
            failures.append(error)

    threads = [threading.Thread(target=reporting, args=(processor_thread, seed + n))
               for n in range(workers)] + [threading.Thread(target=reporting, args=(cutter,))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    state.faults.clear()
    calm = PayoutProcessor(services.payouts, services.payouts.gateway, first_delay=0)
    for _ in range(CALM_ROUNDS):  # restarted processors finish what the dead ones left
        calm.pay_all(ids)
        finish_by_hand(services, team, ids)
    state.release_held()  # late, duplicated and reordered webhooks
    for _ in range(3):
        state.redeliver()
        webhooks.apply_pending()
    return report(services, state, ids, cuts, chaos, workers, len(faults),
                  time.monotonic() - started)


def report(services: Services, state: StripeState, ids: list[str], cuts: dict[str, int],
           chaos: ChaosGateway, workers: int, faults: int, seconds: float) -> Report:
    transfers = [t for t in state.transfers.values()
                 if t["metadata"].get("kolpact_payout_id") in set(ids)]
    per_payout = Counter(t["metadata"]["kolpact_payout_id"] for t in transfers)
    stuck = wrong = 0
    for number, payout_id in enumerate(ids):
        payout: Payout = services.payouts.find(payout_id)
        made = [t for t in transfers if t["metadata"]["kolpact_payout_id"] == payout_id]
        if payout.status is not PayoutStatus.PAID or len(made) != 1 or \
                payout.reference != made[0]["id"]:
            stuck += 1
        elif made[0]["amount"] - payout.owed_back != 1_000 + number - cuts.get(payout_id, 0):
            wrong += 1
    return Report(trials=len(ids), workers=workers, store=services.settings.backend,
                  transfers=len(transfers),
                  double_transfers=sum(n - 1 for n in per_payout.values() if n > 1),
                  stuck=stuck, wrong_amounts=wrong, faults_injected=faults, cuts=len(cuts),
                  webhooks_delivered=sum(len(w.deliveries) for w in state.webhooks),
                  webhooks_kept=services.webhooks.kept() if services.webhooks else 0,
                  crashes=dict(chaos.crashes), seconds=round(seconds, 1))
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
    logging.getLogger("application").setLevel(logging.CRITICAL)  # the faults are expected
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
    if found.double_transfers or found.stuck or found.wrong_amounts:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
