"""Comparing Stripe's transfers with kolpact's payouts, and recording what disagrees.

Kinds: paid_twice (more than one transfer for a payout), unknown_payout (a
transfer naming no payout kolpact has), unrecorded_transfer (a transfer for a
payout not recorded as paid), missing_transfer (a payout recorded as paid by
Stripe whose transfer Stripe does not have), amount_differs.
"""

import json
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from application.errors import NotFound
from application.gateway import PaymentGateway, Transfer
from application.sql import SqlDatabase
from domain.payout import Payout, PayoutStatus, Rail


@dataclass(frozen=True)
class Mismatch:
    kind: str
    payout_id: str | None
    transfer_id: str | None
    detail: str


class Reconciliation:
    def __init__(self, database: SqlDatabase, payouts: Any, gateway: PaymentGateway) -> None:
        self.database, self.payouts, self.gateway = database, payouts, gateway
        self.table = database.table("kolpact_reconciliations")

    def create_table(self) -> None:
        with self.database.transaction() as sql:
            sql.run(f"CREATE TABLE IF NOT EXISTS {self.table} (run_ms BIGINT NOT NULL, "
                    "kind TEXT NOT NULL, payout_id TEXT, transfer_id TEXT, detail TEXT NOT NULL)")

    def run(self, paid_payout_ids: list[str]) -> list[Mismatch]:
        """Compares every kolpact transfer with the payouts, and the payouts recorded as
        paid through Stripe with the transfers; records and returns the mismatches."""
        transfers = self.gateway.transfers()
        by_payout: dict[str, list[Transfer]] = defaultdict(list)
        for transfer in transfers:
            by_payout[transfer.payout_id or ""].append(transfer)
        found = [m for payout_id, made in by_payout.items()
                 for m in self._check(payout_id, made)]
        known = {t.transfer_id for t in transfers}
        for payout_id in paid_payout_ids:
            payout: Payout = self.payouts._load(Payout, payout_id, "payout")
            if payout.rail in (None, Rail.STRIPE) and payout.reference not in known:
                found.append(Mismatch("missing_transfer", payout_id, payout.reference,
                                      "recorded as paid, but Stripe has no such transfer"))
        self._record(found)
        return found

    def _check(self, payout_id: str, made: list[Transfer]) -> list[Mismatch]:
        try:
            payout: Payout = self.payouts._load(Payout, payout_id, "payout")
        except NotFound:
            return [Mismatch("unknown_payout", payout_id or None, t.transfer_id,
                             "the transfer names no payout kolpact has") for t in made]
        found = []
        if len(made) > 1:
            found.append(Mismatch("paid_twice", payout_id, ",".join(t.transfer_id for t in made),
                                  f"{len(made)} transfers for one payout"))
        for transfer in made:
            if payout.status not in (PayoutStatus.PAID, PayoutStatus.REVERSED) or \
                    payout.reference != transfer.transfer_id:
                found.append(Mismatch("unrecorded_transfer", payout_id, transfer.transfer_id,
                                      f"the payout is {payout.status.value} with reference "
                                      f"{payout.reference}"))
            elif transfer.amount != payout.amount:
                found.append(Mismatch("amount_differs", payout_id, transfer.transfer_id,
                                      f"transfer {transfer.amount}, payout {payout.amount}"))
        return found

    def _record(self, found: list[Mismatch]) -> None:
        now = int(time.time() * 1000)
        with self.database.transaction() as sql:
            for mismatch in found:
                sql.run(f"INSERT INTO {self.table} (run_ms, kind, payout_id, transfer_id, "
                        "detail) VALUES (%s, %s, %s, %s, %s)",
                        (now, mismatch.kind, mismatch.payout_id, mismatch.transfer_id,
                         mismatch.detail))


def report(found: list[Mismatch]) -> str:
    return json.dumps({"mismatches": [asdict(m) for m in found], "count": len(found)})
