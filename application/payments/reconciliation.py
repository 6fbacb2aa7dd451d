"""Comparing Stripe's transfers with kolpact's payouts, and recording what disagrees.

Kinds: paid_twice (more than one transfer for a payout), unknown_payout (a
transfer naming no payout kolpact has), unrecorded_transfer (a transfer for a
payout not recorded as paid), missing_transfer (a payout recorded as paid by
Stripe whose transfer Stripe does not have), amount_differs, reversal_differs
(Stripe reversed more or less than the payout records).

Each run is recorded (kolpact_reconciliations, read by the payouts API), and a
mismatch about a payout is also noted on the payout itself (MismatchFound, once
per mismatch), so it shows in the payout's history and its brand's activity.
The background worker runs it every KOLPACT_RECONCILE_SECONDS; so does
`kolpact payouts reconcile`.
"""

import json
import time
from collections import defaultdict
from collections.abc import Collection
from dataclasses import asdict, dataclass
from typing import Any

from application.common.actor import READERS, SYSTEM_USER, Actor, requires
from application.errors import ConcurrentChange, NotFound
from application.infrastructure.sql import SqlDatabase
from application.payments.payouts import PayoutsApp
from application.ports.payment_gateway import PaymentGateway, Transfer
from domain.money import Money
from domain.payout import Payout, PayoutStatus, Rail


@dataclass(frozen=True)
class Mismatch:
    kind: str
    payout_id: str | None
    transfer_id: str | None
    detail: str


class Reconciliation:
    def __init__(self, database: SqlDatabase, payouts: PayoutsApp) -> None:
        self.database, self.payouts = database, payouts
        self.table = database.table("kolpact_reconciliations")

    def create_table(self) -> None:
        with self.database.transaction() as sql:
            sql.run(f"CREATE TABLE IF NOT EXISTS {self.table} (run_ms BIGINT NOT NULL, "
                    "kind TEXT NOT NULL, payout_id TEXT, transfer_id TEXT, detail TEXT NOT NULL)")

    def run(self, gateway: PaymentGateway, paid_payout_ids: list[str]) -> list[Mismatch]:
        """Compares every kolpact transfer with the payouts, and the payouts recorded as
        paid through Stripe with the transfers; records and returns the mismatches."""
        transfers = gateway.transfers()
        by_payout: dict[str, list[Transfer]] = defaultdict(list)
        for transfer in transfers:
            by_payout[transfer.payout_id or ""].append(transfer)
        found = [m for payout_id, made in by_payout.items()
                 for m in self._check(payout_id, made)]
        known = {t.transfer_id for t in transfers}
        for payout_id in paid_payout_ids:
            payout: Payout = self.payouts.find(payout_id)
            if payout.rail in (None, Rail.STRIPE) and payout.reference not in known:
                found.append(Mismatch("missing_transfer", payout_id, payout.reference,
                                      "recorded as paid, but Stripe has no such transfer"))
        self._record(found)
        for mismatch in found:
            self._note_on_payout(mismatch)
        return found

    @requires(*READERS, action="read reconciliation results")
    def latest(self, actor: Actor) -> dict[str, Any]:
        """The last run's mismatches about the caller's brands' payouts."""
        with self.database.transaction() as sql:
            rows = sql.run(f"SELECT * FROM {self.table} WHERE run_ms = (SELECT MAX(run_ms) "
                           f"FROM {self.table})")
            (last,) = sql.run(f"SELECT MAX(run_ms) AS run_ms FROM {self.table}")
        mine = [row for row in rows if row["kind"] != "none" and
                self._visible(actor, row["payout_id"], actor.brand_ids)]
        return {"ran_at_ms": last["run_ms"], "mismatches": [
            {k: row[k] for k in ("kind", "payout_id", "transfer_id", "detail")}
            for row in mine]}

    def _visible(self, actor: Actor, payout_id: str | None, brands: Collection[str]) -> bool:
        if payout_id is None:
            return actor.all_brands  # a transfer naming no payout: the operators' to see
        try:
            payout: Payout = self.payouts.find(payout_id)
        except NotFound:
            return actor.all_brands
        return actor.all_brands or payout.brand_id in brands

    def _check(self, payout_id: str, made: list[Transfer]) -> list[Mismatch]:
        try:
            payout: Payout = self.payouts.find(payout_id)
        except NotFound:
            return [Mismatch("unknown_payout", payout_id or None, t.transfer_id,
                             "the transfer names no payout kolpact has") for t in made]
        found = []
        if len(made) > 1:
            found.append(Mismatch("paid_twice", payout_id, ",".join(t.transfer_id for t in made),
                                  f"{len(made)} transfers for one payout"))
        for transfer in made:
            found += _compared(payout, transfer)
        return found

    def _record(self, found: list[Mismatch]) -> None:
        """One row per mismatch, or one 'none' row: every run is on record."""
        now = int(time.time() * 1000)
        with self.database.transaction() as sql:
            for mismatch in found or [Mismatch("none", None, None, "all agree")]:
                sql.run(f"INSERT INTO {self.table} (run_ms, kind, payout_id, transfer_id, "
                        "detail) VALUES (%s, %s, %s, %s, %s)",
                        (now, mismatch.kind, mismatch.payout_id, mismatch.transfer_id,
                         mismatch.detail))

    def _note_on_payout(self, mismatch: Mismatch) -> None:
        if mismatch.payout_id is None or mismatch.kind == "unknown_payout":
            return
        for _ in range(3):
            payout: Payout = self.payouts.find(mismatch.payout_id)
            if not payout.note_mismatch(SYSTEM_USER, mismatch.kind, mismatch.transfer_id,
                                        mismatch.detail):
                return
            try:
                self.payouts.save_payout(payout)
                return
            except ConcurrentChange:
                continue  # noted at the next run otherwise


def _compared(payout: Payout, transfer: Transfer) -> list[Mismatch]:
    payout_id = str(payout.id)
    if payout.status not in (PayoutStatus.PAID, PayoutStatus.REVERSED) or \
            payout.reference != transfer.transfer_id:
        return [Mismatch("unrecorded_transfer", payout_id, transfer.transfer_id,
                         f"the payout is {payout.status.value} with reference "
                         f"{payout.reference}")]
    found = []
    # A transfer found after its answer was lost may have paid more: that is owed back.
    expected = payout.amount.amount + sum(owed for cause, owed in payout.overpaid
                                          if cause == f"transfer {transfer.transfer_id}")
    if transfer.amount != Money(expected, payout.amount.currency):
        found.append(Mismatch("amount_differs", payout_id, transfer.transfer_id,
                              f"transfer {transfer.amount}, payout {payout.amount}"))
    recorded = payout.reversed_amount.amount if payout.reversed_amount else 0
    if transfer.reversed_amount != recorded:
        found.append(Mismatch("reversal_differs", payout_id, transfer.transfer_id,
                              f"Stripe reversed {transfer.reversed_amount}, the payout "
                              f"records {recorded}"))
    return found


def report(found: list[Mismatch]) -> str:
    return json.dumps({"mismatches": [asdict(m) for m in found], "count": len(found)})
