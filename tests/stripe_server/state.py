"""What the Stripe test server remembers: accounts, transfers, balance, events, keys, faults."""

import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

API_VERSION = "2025-03-31.basil"
Deliver = Callable[[bytes, dict[str, str]], int]  # payload, headers -> HTTP status


@dataclass
class Fault:
    """One injected failure for the next matching request.

    kind: "rate_limit" (429) or "server_error" (500), answered before acting and
    not remembered under the idempotency key, as Stripe does; or "timeout_after":
    the request is carried out and remembered, then the client gets no answer.
    """

    kind: str
    method: str = "POST"
    path: str = "/v1/transfers"


@dataclass
class Remembered:
    fingerprint: str
    status: int
    body: dict[str, Any]


@dataclass
class Webhook:
    deliver: Deliver
    secret: str
    deliveries: list[tuple[str, int]] = field(default_factory=list)  # (event id, status)


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def signature_header(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """Stripe-Signature: t=<unix time>,v1=<HMAC-SHA256 of "t.payload" with the secret>."""
    stamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{stamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


class StripeState:
    def __init__(self, api_key: str = "sk_test_kolpact", balance: dict[str, int] | None = None
                 ) -> None:
        self.api_key = api_key
        self.lock = threading.RLock()
        self.accounts: dict[str, dict[str, Any]] = {}
        self.transfers: dict[str, dict[str, Any]] = {}  # in creation order
        self.events: list[dict[str, Any]] = []
        self.undelivered: list[dict[str, Any]] = []
        self.available = dict(balance or {"cny": 10**12, "usd": 10**12})
        self.remembered: dict[str, Remembered] = {}
        self.faults: list[Fault] = []
        self.webhooks: list[Webhook] = []
        self.requests: list[tuple[str, str]] = []  # (method, path) of every request seen
        self.timeout_seconds = 0.0  # how long "timeout_after" stalls a real HTTP answer
        self.auto_onboard = False  # new accounts can receive transfers at once (demo)

    # Test controls.

    def inject(self, *faults: Fault) -> None:
        with self.lock:
            self.faults.extend(faults)

    def take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.method == method and path.startswith(fault.path):
                    self.faults.remove(fault)
                    return fault
        return None

    def add_webhook(self, deliver: Deliver, secret: str) -> Webhook:
        webhook = Webhook(deliver, secret)
        with self.lock:
            self.webhooks.append(webhook)
        return webhook

    def complete_onboarding(self, account_id: str, deliver_now: bool = True) -> dict[str, Any]:
        """What happens when the creator finishes Stripe's onboarding form."""
        with self.lock:
            account = self.accounts[account_id]
            account.update(details_submitted=True, payouts_enabled=True, charges_enabled=True,
                           capabilities={"transfers": "active"},
                           requirements={"currently_due": [], "disabled_reason": None})
        self.emit("account.updated", account)
        if deliver_now:
            self.flush()
        return account

    def transfers_to(self, account_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return [t for t in self.transfers.values() if t["destination"] == account_id]

    # Events and webhooks.

    def emit(self, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        """Records an event; its webhooks go out at the next flush(), outside the lock."""
        event = {"id": new_id("evt"), "object": "event", "api_version": API_VERSION,
                 "created": int(time.time()), "type": kind, "livemode": False,
                 "data": {"object": json.loads(json.dumps(obj))}, "pending_webhooks":
                 len(self.webhooks), "request": {"id": None, "idempotency_key": None}}
        with self.lock:
            self.events.append(event)
            self.undelivered.append(event)
        return event

    def flush(self) -> None:
        with self.lock:
            events, self.undelivered = self.undelivered, []
            webhooks = list(self.webhooks)
        for event in events:
            for webhook in webhooks:
                self.deliver(webhook, event)

    def deliver(self, webhook: Webhook, event: dict[str, Any]) -> int:
        payload = json.dumps(event).encode()
        headers = {"Content-Type": "application/json; charset=utf-8",
                   "Stripe-Signature": signature_header(payload, webhook.secret)}
        try:
            status = webhook.deliver(payload, headers)
        except OSError:
            status = 0
        webhook.deliveries.append((event["id"], status))
        return status
