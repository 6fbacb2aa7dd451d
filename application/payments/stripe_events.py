"""Stripe webhooks: verified, deduplicated, and turned into kolpact events.

A delivery is acted on only if its signature matches the configured secret
within the tolerance. Stripe delivers at least once, in any order, and
redelivers anything not answered with a 2xx for days, so:
- a delivery seen before answers 200 and does nothing;
- every effect is idempotent in the domain (a reversal is recorded once by its
  id, a transfer once per payout), and the event is marked seen only after its
  effect is saved: a failed effect answers 5xx, nothing is marked, and the
  redelivery does it again. That is what one transaction for both would give,
  without one transaction across the event store and this table;
- an event that arrives before kolpact can apply it (a reversal before the
  processor recorded the transfer, an account update before the account id was
  stored) is kept and applied by the background worker once it can be.
"""

import json
import logging
import time
from collections.abc import Callable
from enum import Enum
from typing import Any

import stripe

from application.common.actor import SYSTEM_USER
from application.errors import ApplicationError, NotFound
from application.infrastructure.sql import SqlDatabase
from application.payments.payouts import PayoutsApp
from application.ports.payment_gateway import AccountState
from domain.creator import Creator
from domain.errors import DomainError
from domain.money import Money
from domain.payout import Payout, PayoutStatus

log = logging.getLogger(__name__)

KEEP_PENDING_DAYS = 30  # an event still not applicable then is dropped with a warning


class WebhookRefused(ApplicationError):
    """Raised for a forged, stale or malformed delivery."""


class Effect(Enum):
    ACTED = "acted"
    NOTHING = "nothing"  # nothing to do: not kolpact's, or recorded already
    NOT_YET = "not_yet"  # kept: applied once the record reaches the state it needs


class StripeWebhooks:
    def __init__(self, database: SqlDatabase, payouts: PayoutsApp, secret: str | None,
                 tolerance: int, clock: Callable[[], float] = time.time) -> None:
        self.database, self.payouts = database, payouts
        self.secret, self.tolerance, self.clock = secret, tolerance, clock
        self.table = database.table("kolpact_stripe_events")
        self.pending = database.table("kolpact_stripe_pending")

    def create_table(self) -> None:
        with self.database.transaction() as sql:
            sql.run(f"CREATE TABLE IF NOT EXISTS {self.table} (event_id TEXT PRIMARY KEY, "
                    "type TEXT NOT NULL, received_ms BIGINT NOT NULL)")
            sql.run(f"CREATE TABLE IF NOT EXISTS {self.pending} (event_id TEXT PRIMARY KEY, "
                    "type TEXT NOT NULL, payload TEXT NOT NULL, received_ms BIGINT NOT NULL)")

    def receive(self, payload: bytes, signature: str | None) -> dict[str, Any]:
        event = self._verified(payload, signature)
        if self._seen(event["id"]):
            log.info("stripe webhook delivered again", extra={"stripe_event": event["id"]})
            return {"event_id": event["id"], "type": event["type"], "acted": False,
                    "duplicate": True}
        effect = self._apply(event)
        self._mark_seen(event, keep=effect is Effect.NOT_YET)
        return {"event_id": event["id"], "type": event["type"],
                "acted": effect is Effect.ACTED, "duplicate": False,
                "kept_until_applicable": effect is Effect.NOT_YET}

    def apply_pending(self) -> int:
        """Applies the kept events that can be applied now (the background worker);
        returns how many were."""
        with self.database.transaction() as sql:
            rows = sql.run(f"SELECT event_id, payload, received_ms FROM {self.pending} "
                           "ORDER BY received_ms")
        applied = 0
        for row in rows:
            effect = self._apply(json.loads(row["payload"]))
            too_old = self.clock() * 1000 - row["received_ms"] > KEEP_PENDING_DAYS * 86_400_000
            if effect is not Effect.NOT_YET or too_old:
                if too_old and effect is Effect.NOT_YET:
                    log.warning("stripe webhook dropped: never applicable",
                                extra={"stripe_event": row["event_id"]})
                with self.database.transaction() as sql:
                    sql.run(f"DELETE FROM {self.pending} WHERE event_id = %s",
                            (row["event_id"],))
                applied += effect is Effect.ACTED
        return applied

    def kept(self) -> int:
        with self.database.transaction() as sql:
            (row,) = sql.run(f"SELECT COUNT(*) AS n FROM {self.pending}")
        return int(row["n"])

    def _apply(self, event: dict[str, Any]) -> Effect:
        handler = HANDLERS.get(event["type"])
        return handler(self, event["data"]["object"]) if handler else Effect.NOTHING

    def _verified(self, payload: bytes, signature: str | None) -> dict[str, Any]:
        if not self.secret:
            raise WebhookRefused("No webhook secret is configured; every delivery is refused.")
        try:
            stripe.WebhookSignature.verify_header(payload.decode("utf-8"), signature or "",
                                                  self.secret, self.tolerance)
            event: dict[str, Any] = json.loads(payload)
        except (stripe.SignatureVerificationError, ValueError, UnicodeDecodeError,
                RecursionError) as error:
            log.warning("stripe webhook refused", extra={"why": str(error)})
            raise WebhookRefused(f"The delivery's signature does not verify: {error}") \
                from error
        if not isinstance(event, dict) or not isinstance(event.get("id"), str) or \
                not isinstance(event.get("type"), str) or \
                not isinstance(event.get("data"), dict) or \
                not isinstance(event["data"].get("object"), dict):
            raise WebhookRefused("The delivery is not a Stripe event.")
        return event

    def _seen(self, event_id: str) -> bool:
        with self.database.transaction() as sql:
            return bool(sql.run(f"SELECT 1 AS seen FROM {self.table} WHERE event_id = %s",
                                (event_id,)))

    def _mark_seen(self, event: dict[str, Any], keep: bool) -> None:
        """After the effect was saved; `keep` puts the event aside to apply later, in
        the same transaction."""
        now = int(self.clock() * 1000)
        with self.database.transaction() as sql:
            sql.run(f"INSERT INTO {self.table} (event_id, type, received_ms) "
                    "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING", (event["id"], event["type"], now))
            if keep:
                sql.run(f"INSERT INTO {self.pending} (event_id, type, payload, received_ms) "
                        "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                        (event["id"], event["type"], json.dumps(event), now))

    # What each kind of event does.

    def transfer_created(self, transfer: dict[str, Any]) -> Effect:
        """A transfer kolpact asked for: paid, even if the processor lost the answer."""
        payout = self._payout_of(transfer)
        if payout is None or payout.status in (PayoutStatus.PAID, PayoutStatus.REVERSED):
            return Effect.NOTHING
        if not payout.money_may_be_on_its_way:
            return Effect.NOT_YET  # the attempt is recorded before the call, so soon it is
        attempt = (transfer.get("metadata") or {}).get("kolpact_attempt")
        payout.record_found_transfer(SYSTEM_USER, str(transfer["id"]), _amount(transfer),
                                     int(str(attempt)) if str(attempt or "").isdigit() else None,
                                     "reported by its webhook")
        return self._saved(payout)

    def transfer_reversed(self, transfer: dict[str, Any]) -> Effect:
        """Each reversal the transfer lists is recorded once, by its id."""
        payout = self._payout_of(transfer)
        if payout is None or not transfer.get("amount_reversed"):
            return Effect.NOTHING
        if payout.status not in (PayoutStatus.PAID, PayoutStatus.REVERSED):
            return Effect.NOT_YET  # before the processor recorded the transfer
        if payout.reference != transfer.get("id"):
            return Effect.NOTHING  # another transfer: reconciliation reports it
        currency = str(transfer.get("currency", "")).upper()
        recorded = payout.reversed_amount.amount if payout.reversed_amount else 0
        changed = False
        for reversal in (transfer.get("reversals") or {}).get("data") or []:
            amount = int(reversal.get("amount") or 0)
            if reversal.get("id") in payout.reversals or \
                    recorded + amount > int(transfer["amount_reversed"]):
                continue
            try:
                changed |= payout.reverse(SYSTEM_USER, Money(amount, currency),
                                          str(reversal["id"]),
                                          "Stripe reported the transfer reversed")
            except DomainError as error:
                log.warning("stripe reversal not recorded: %s", error)
                continue
            recorded += amount
        return self._saved(payout) if changed else Effect.NOTHING

    def account_updated(self, account: dict[str, Any]) -> Effect:
        creator_id = (account.get("metadata") or {}).get("kolpact_creator_id")
        creator = self._creator(creator_id)
        if creator is None:
            return Effect.NOTHING
        if creator.profile.payout_account is None:
            return Effect.NOT_YET  # the account id is being stored
        capabilities = account.get("capabilities") or {}
        requirements = (account.get("requirements") or {}).get("currently_due") or []
        state = AccountState(str(account.get("id")), capabilities.get("transfers") == "active",
                             tuple(requirements))
        return Effect.ACTED if self.payouts.note_payout_account(state, creator_id) \
            else Effect.NOTHING

    def _payout_of(self, transfer: dict[str, Any]) -> Payout | None:
        payout_id = (transfer.get("metadata") or {}).get("kolpact_payout_id")
        if not payout_id or not isinstance(transfer.get("id"), str):
            return None
        try:
            return self.payouts.find(payout_id)
        except NotFound:
            return None  # not a payout of this installation

    def _creator(self, creator_id: Any) -> Creator | None:
        if not isinstance(creator_id, str):
            return None
        try:
            return self.payouts.creator(creator_id)
        except NotFound:
            return None

    def _saved(self, payout: Payout) -> Effect:
        self.payouts.save_payout(payout)  # a rival's change: 409, and Stripe redelivers
        if payout.owed_back:
            self.payouts.settle_overpayment(str(payout.id))
        return Effect.ACTED


def _amount(transfer: dict[str, Any]) -> Money:
    return Money(int(transfer.get("amount") or 0), str(transfer.get("currency", "")).upper())


HANDLERS: dict[str, Callable[[StripeWebhooks, dict[str, Any]], Effect]] = {
    "transfer.created": StripeWebhooks.transfer_created,
    "transfer.reversed": StripeWebhooks.transfer_reversed,
    "transfer.updated": StripeWebhooks.transfer_reversed,  # a reversal shows here too
    "account.updated": StripeWebhooks.account_updated,
}
