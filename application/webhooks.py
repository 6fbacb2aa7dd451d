"""Stripe webhooks: verified, deduplicated, and turned into kolpact events.

A delivery is acted on only if its signature matches the configured secret
within the tolerance, and only the first time its event id is seen; anything
else is refused and changes nothing. Transfer reversals become payout
reversals; account updates tell the creator's record whether Stripe will
accept transfers to it.
"""

import json
import logging
import time
from collections.abc import Callable
from typing import Any

import stripe

from application.actor import SYSTEM_USER
from application.errors import ApplicationError
from application.gateway import AccountState
from application.sql import SqlDatabase
from domain.errors import DomainError
from domain.money import Money
from domain.payout import Payout

log = logging.getLogger(__name__)


class WebhookRefused(ApplicationError):
    """Raised for a forged, stale, malformed or replayed delivery."""


class StripeWebhooks:
    def __init__(self, database: SqlDatabase, payouts: Any, secret: str | None,
                 tolerance: int, clock: Callable[[], float] = time.time) -> None:
        self.database, self.payouts = database, payouts
        self.secret, self.tolerance, self.clock = secret, tolerance, clock
        self.table = database.table("kolpact_stripe_events")

    def create_table(self) -> None:
        with self.database.transaction() as sql:
            sql.run(f"CREATE TABLE IF NOT EXISTS {self.table} (event_id TEXT PRIMARY KEY, "
                    "type TEXT NOT NULL, received_ms BIGINT NOT NULL)")

    def receive(self, payload: bytes, signature: str | None) -> dict[str, Any]:
        event = self._verified(payload, signature)
        if not self._first_time(event):
            log.warning("stripe webhook replayed", extra={"stripe_event": event["id"]})
            raise WebhookRefused(f"Event {event['id']} was delivered before; refused.")
        handler = HANDLERS.get(event["type"])
        acted = bool(handler and handler(self, event["data"]["object"]))
        return {"event_id": event["id"], "type": event["type"], "acted": acted}

    def _verified(self, payload: bytes, signature: str | None) -> dict[str, Any]:
        if not self.secret:
            raise WebhookRefused("No webhook secret is configured; every delivery is refused.")
        try:
            stripe.WebhookSignature.verify_header(payload.decode("utf-8"), signature or "",
                                                  self.secret, self.tolerance)
            event: dict[str, Any] = json.loads(payload)
        except (stripe.SignatureVerificationError, ValueError, UnicodeDecodeError) as error:
            log.warning("stripe webhook refused", extra={"why": str(error)})
            raise WebhookRefused(f"The delivery's signature does not verify: {error}") \
                from error
        if not isinstance(event, dict) or not isinstance(event.get("id"), str) or \
                not isinstance(event.get("data", {}).get("object"), dict):
            raise WebhookRefused("The delivery is not a Stripe event.")
        return event

    def _first_time(self, event: dict[str, Any]) -> bool:
        with self.database.transaction() as sql:
            return bool(sql.run(f"INSERT INTO {self.table} (event_id, type, received_ms) "
                                "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING RETURNING event_id",
                                (event["id"], str(event.get("type")),
                                 int(self.clock() * 1000))))

    def transfer_reversed(self, transfer: dict[str, Any]) -> bool:
        payout_id = (transfer.get("metadata") or {}).get("kolpact_payout_id")
        reversals = (transfer.get("reversals") or {}).get("data") or [{}]
        if not payout_id or not transfer.get("amount_reversed"):
            return False
        amount = Money(int(transfer["amount_reversed"]), str(transfer["currency"]).upper())
        payout: Payout = self.payouts._load(Payout, payout_id, "payout")
        try:
            payout.reverse(SYSTEM_USER, amount, str(reversals[-1].get("id", transfer["id"])),
                           "Stripe reported the transfer reversed")
        except DomainError:
            return False  # recorded already, or not paid through Stripe
        self.payouts._save_changes(payout)
        return True

    def account_updated(self, account: dict[str, Any]) -> bool:
        capabilities = account.get("capabilities") or {}
        requirements = (account.get("requirements") or {}).get("currently_due") or []
        state = AccountState(str(account.get("id")), capabilities.get("transfers") == "active",
                             tuple(requirements))
        creator_id = (account.get("metadata") or {}).get("kolpact_creator_id")
        return bool(self.payouts.note_payout_account(state, creator_id))


HANDLERS: dict[str, Callable[[StripeWebhooks, dict[str, Any]], bool]] = {
    "transfer.reversed": StripeWebhooks.transfer_reversed,
    "transfer.updated": StripeWebhooks.transfer_reversed,  # a reversal shows here too
    "account.updated": StripeWebhooks.account_updated,
}
