"""What the Stripe test server remembers: accounts, transfers, balance, events, keys, faults."""

import hashlib
import hmac
import json
import random
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

API_VERSION = "2025-03-31.basil"
Deliver = Callable[[bytes, dict[str, str]], int]  # payload, headers -> HTTP status


@dataclass
class Fault:
    """One injected failure for the next matching request.

    kind, as Stripe behaves:
    - "rate_limit" (429), "unauthorized" (401), "forbidden" (403): answered before
      the idempotency layer; nothing done, nothing saved under the key;
    - "timeout_before": the connection is lost before the request reaches Stripe;
    - "server_error" (500): fails before acting, and the 500 is saved under the key
      and replayed to every retry with that key until it expires;
    - "server_error_after": acts, then answers 500, which is saved likewise;
    - "timeout_after": acts and saves the answer, then the client gets none;
    - "stale_list" (for a GET of a list): an empty page, as a list that lags behind.
    """

    kind: str
    method: str = "POST"
    path: str = "/v1/transfers"


@dataclass
class Remembered:
    fingerprint: str
    status: int
    body: dict[str, Any]
    at: float = 0.0  # time.monotonic() when saved


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
        self.key_ttl_seconds = 24 * 3600.0  # Stripe keeps keys at least 24 h, then prunes
        self.keys_in_use: set[str] = set()
        self.faults: list[Fault] = []
        self.webhooks: list[Webhook] = []
        self.requests: list[tuple[str, str]] = []  # (method, path) of every request seen
        self.timeout_seconds = 0.0  # how long "timeout_after" stalls a real HTTP answer
        self.auto_onboard = False  # new accounts can receive transfers at once (demo)
        # Webhook faults: held back (delayed) until released, then in any order; each
        # delivery possibly sent twice; any non-2xx answer is redelivered later.
        self.hold_webhooks = False
        self.held: list[dict[str, Any]] = []
        self.duplicate_webhooks = 0.0  # the chance that a delivery is sent twice
        self.to_redeliver: list[tuple[Webhook, dict[str, Any]]] = []
        self.rng = random.Random(0)

    # What a real Stripe account keeps: `make run` saves it to a file between restarts,
    # so the demo's connected accounts and transfers are still there the next time.
    DURABLE = ("accounts", "transfers", "events", "available")

    def save(self, path: Path) -> None:
        with self.lock:
            kept = {name: getattr(self, name) for name in self.DURABLE}
            kept["remembered"] = {key: asdict(answer) for key, answer
                                  in self.remembered.items()}
            text = json.dumps(kept)
        path.with_suffix(".tmp").write_text(text)
        path.with_suffix(".tmp").replace(path)  # whole or not at all

    def restore(self, path: Path) -> None:
        kept = json.loads(path.read_text())
        with self.lock:
            for name in self.DURABLE:
                setattr(self, name, kept[name])
            self.remembered = {key: Remembered(**{**answer, "at": time.monotonic()})
                               for key, answer in kept["remembered"].items()}

    # Idempotency keys.

    def claim_key(self, key: str) -> bool:
        """False while another request with this key is running."""
        with self.lock:
            if key in self.keys_in_use:
                return False
            self.keys_in_use.add(key)
            return True

    def release_key(self, key: str) -> None:
        with self.lock:
            self.keys_in_use.discard(key)

    def remember(self, key: str, answer: Remembered) -> None:
        with self.lock:
            answer.at = time.monotonic()
            self.remembered[key] = answer

    def remembered_under(self, key: str) -> Remembered | None:
        """The first answer under the key, unless the key has expired (then pruned)."""
        with self.lock:
            earlier = self.remembered.get(key)
            if earlier is not None and time.monotonic() - earlier.at > self.key_ttl_seconds:
                del self.remembered[key]
                return None
            return earlier

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
            if self.hold_webhooks:
                self.held.extend(events)
                return
        self._send(events)

    def release_held(self, reorder: bool = True) -> None:
        """Delivers the webhooks held back, in a random order if `reorder`."""
        with self.lock:
            events, self.held = self.held, []
            if reorder:
                self.rng.shuffle(events)
        self._send(events)

    def redeliver(self) -> None:
        """Stripe's later tries of every delivery that was not answered with a 2xx."""
        with self.lock:
            again, self.to_redeliver = self.to_redeliver, []
        for webhook, event in again:
            self.deliver(webhook, event)

    def _send(self, events: list[dict[str, Any]]) -> None:
        with self.lock:
            webhooks = list(self.webhooks)
        for event in events:
            for webhook in webhooks:
                self.deliver(webhook, event)
                if self.rng.random() < self.duplicate_webhooks:
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
        if not 200 <= status < 300:
            with self.lock:
                self.to_redeliver.append((webhook, event))
        return status
