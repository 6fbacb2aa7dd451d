"""The Stripe test server's HTTP face: Stripe's paths, form-encoded bodies, JSON answers."""

import hashlib
import json
import re
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, request

from doubles.stripe_server.state import Remembered, StripeState, new_id

NESTED = re.compile(r"\[([^\]]*)\]")
TIMEOUT_HEADER = "X-Test-Timeout"  # tells the in-process transport to act as if timed out
SERVER_ERROR = (500, {"error": {"type": "api_error", "message": "Something went wrong."}})
BEFORE_IDEMPOTENCY = {
    "rate_limit": (429, {"error": {"type": "invalid_request_error", "code": "rate_limit",
                                   "message": "Too many requests."}}),
    "unauthorized": (401, {"error": {"type": "invalid_request_error",
                                     "message": "Invalid API Key provided."}}),
    "forbidden": (403, {"error": {"type": "invalid_request_error",
                                  "message": "The provided key does not have access."}}),
}


class StripeError(Exception):
    def __init__(self, status: int, kind: str, message: str, code: str | None = None,
                 param: str | None = None) -> None:
        super().__init__(message)
        self.status, self.body = status, {"error": {
            "type": kind, "message": message, **({"code": code} if code else {}),
            **({"param": param} if param else {})}}


def invalid(message: str, code: str = "parameter_invalid", param: str | None = None
            ) -> StripeError:
    return StripeError(400, "invalid_request_error", message, code, param)


def params() -> dict[str, Any]:
    """Stripe's form encoding, `metadata[payout]=x&capabilities[transfers][requested]=true`,
    as nested dicts."""
    source = request.form if request.method == "POST" else request.args
    nested: dict[str, Any] = {}
    for key, value in source.items(multi=True):
        head = key.split("[", 1)[0]
        path = [head, *NESTED.findall(key)]
        node = nested
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return nested


def create_app(state: StripeState) -> Flask:
    app = Flask("stripe_test_server")

    def answer(status: int, body: dict[str, Any], headers: dict[str, str] | None = None
               ) -> Response:
        return Response(json.dumps(body), status=status, mimetype="application/json",
                        headers={"Request-Id": new_id("req"), **(headers or {})})

    @app.before_request
    def authenticate() -> Response | None:
        state.requests.append((request.method, request.path))
        if request.headers.get("Authorization") != f"Bearer {state.api_key}":
            return answer(401, {"error": {"type": "invalid_request_error",
                                          "message": "Invalid API Key provided."}})
        return None

    def endpoint(handler: Callable[..., tuple[int, dict[str, Any]]]) -> Callable[..., Any]:
        """Faults, idempotency and errors around one endpoint, as Stripe applies them:
        429s and 401s come before the idempotency layer and are never saved; the first
        answer under a key, a 500 included, is saved and replayed until the key expires;
        a request whose key is in use by one still running gets 409."""

        def run(**path: str) -> Response:
            fault = state.take_fault(request.method, request.path)
            kind = fault.kind if fault is not None else None
            if kind in BEFORE_IDEMPOTENCY:
                return answer(*BEFORE_IDEMPOTENCY[kind])
            if kind == "timeout_before":
                return answer(599, {}, {TIMEOUT_HEADER: "1"})  # never reached Stripe
            if kind == "stale_list":  # a list that does not show the newest objects yet
                return answer(200, {"object": "list", "url": request.path, "data": [],
                                    "has_more": False})
            key = request.headers.get("Idempotency-Key") if request.method == "POST" else None
            if key is not None and not state.claim_key(key):
                return answer(409, {"error": {
                    "type": "idempotency_error", "message": "There is currently another "
                    "in-progress request using this Stripe-Idempotency-Key."}})
            try:
                response = remembered(key) if key else None
                if response is None:
                    response = carry_out(handler, key, path, kind)
            finally:
                if key is not None:
                    state.release_key(key)
            if kind == "timeout_after":
                time.sleep(state.timeout_seconds)
                response.headers[TIMEOUT_HEADER] = "1"
            return response

        run.__name__ = handler.__name__
        return run

    def fingerprint() -> str:
        raw = f"{request.method} {request.path} {sorted(request.form.items(multi=True))}"
        return hashlib.sha256(raw.encode()).hexdigest()

    def remembered(key: str) -> Response | None:
        earlier = state.remembered_under(key)
        if earlier is None:
            return None
        if earlier.fingerprint != fingerprint():
            return answer(400, {"error": {
                "type": "idempotency_error", "message":
                "Keys for idempotent requests can only be used with the same parameters they "
                f"were first used with. Try using a key other than '{key}'."}})
        return answer(earlier.status, earlier.body, {"Idempotent-Replayed": "true"})

    def carry_out(handler: Callable[..., tuple[int, dict[str, Any]]], key: str | None,
                  path: dict[str, str], fault: str | None) -> Response:
        with state.lock:  # one request at a time acts, as on one Stripe account
            if fault == "server_error":
                status, body = SERVER_ERROR  # failed before acting
            else:
                try:
                    status, body = handler(**path)
                except StripeError as error:
                    status, body = error.status, error.body
                if fault == "server_error_after":
                    status, body = SERVER_ERROR  # acted, then failed to answer
            if key is not None:
                state.remember(key, Remembered(fingerprint(), status, body))
        state.flush()
        return answer(status, body)

    def account(account_id: str) -> dict[str, Any]:
        found = state.accounts.get(account_id)
        if found is None:
            raise StripeError(404, "invalid_request_error", f"No such account: '{account_id}'",
                              "resource_missing", "account")
        return found

    def transfer(transfer_id: str) -> dict[str, Any]:
        found = state.transfers.get(transfer_id)
        if found is None:
            raise StripeError(404, "invalid_request_error",
                              f"No such transfer: '{transfer_id}'", "resource_missing", "id")
        return found

    @app.post("/v1/accounts")
    @endpoint
    def create_account() -> tuple[int, dict[str, Any]]:
        given = params()
        if given.get("type", "express") != "express":
            raise invalid("Only Express accounts are supported here.", param="type")
        created = {"id": new_id("acct"), "object": "account", "type": "express",
                   "country": given.get("country", "US"), "email": given.get("email"),
                   "charges_enabled": False, "payouts_enabled": False,
                   "details_submitted": False, "capabilities": {"transfers": "inactive"},
                   "requirements": {"currently_due": ["external_account",
                                                      "tos_acceptance.date"],
                                    "disabled_reason": "requirements.past_due"},
                   "metadata": given.get("metadata", {}), "created": int(time.time())}
        state.accounts[created["id"]] = created
        if state.auto_onboard:
            state.complete_onboarding(created["id"], deliver_now=False)  # after the lock
        return 200, created

    @app.get("/v1/accounts/<account_id>")
    @endpoint
    def get_account(account_id: str) -> tuple[int, dict[str, Any]]:
        return 200, account(account_id)

    @app.post("/v1/account_links")
    @endpoint
    def create_account_link() -> tuple[int, dict[str, Any]]:
        given = params()
        linked = account(given.get("account", ""))
        for name in ("refresh_url", "return_url"):
            if not given.get(name):
                raise invalid(f"Missing required param: {name}.", "parameter_missing", name)
        now = int(time.time())
        return 200, {"object": "account_link", "created": now, "expires_at": now + 300,
                     "url": f"{request.host_url}connect/onboarding/{linked['id']}"}

    @app.post("/v1/transfers")
    @endpoint
    def create_transfer() -> tuple[int, dict[str, Any]]:
        given = params()
        try:
            amount = int(given.get("amount", ""))
        except ValueError:
            raise invalid("Invalid integer: amount", param="amount") from None
        currency = given.get("currency", "").lower()
        destination = account(given.get("destination", ""))
        if amount <= 0:
            raise invalid("Amount must be at least 1.", param="amount")
        if destination["capabilities"].get("transfers") != "active":
            raise invalid("Your destination account needs to have at least one of the "
                          "following capabilities enabled: transfers, crypto_transfers, "
                          "legacy_payments", "insufficient_capabilities_for_transfer",
                          "destination")
        if state.available.get(currency, 0) < amount:
            raise invalid("You have insufficient available funds in your Stripe account.",
                          "balance_insufficient")
        state.available[currency] -= amount
        created = {"id": new_id("tr"), "object": "transfer", "amount": amount,
                   "amount_reversed": 0, "currency": currency,
                   "destination": destination["id"], "reversed": False,
                   "transfer_group": given.get("transfer_group"),
                   "description": given.get("description"),
                   "metadata": given.get("metadata", {}), "created": int(time.time()),
                   "reversals": {"object": "list", "data": [], "has_more": False}}
        state.transfers[created["id"]] = created
        state.emit("transfer.created", created)
        return 200, created

    @app.get("/v1/transfers")
    @endpoint
    def list_transfers() -> tuple[int, dict[str, Any]]:
        given = params()
        found = [t for t in reversed(state.transfers.values())
                 if all(t.get(name) == given[name] for name in ("transfer_group", "destination")
                        if name in given)]
        if "starting_after" in given:
            ids = [t["id"] for t in found]
            found = found[ids.index(given["starting_after"]) + 1:] \
                if given["starting_after"] in ids else []
        limit = min(int(given.get("limit", 10)), 100)
        return 200, {"object": "list", "url": "/v1/transfers", "data": found[:limit],
                     "has_more": len(found) > limit}

    @app.get("/v1/transfers/<transfer_id>")
    @endpoint
    def get_transfer(transfer_id: str) -> tuple[int, dict[str, Any]]:
        return 200, transfer(transfer_id)

    @app.post("/v1/transfers/<transfer_id>/reversals")
    @endpoint
    def reverse_transfer(transfer_id: str) -> tuple[int, dict[str, Any]]:
        reversed_from = transfer(transfer_id)
        left = reversed_from["amount"] - reversed_from["amount_reversed"]
        amount = int(params().get("amount", left))
        if not 0 < amount <= left:
            raise invalid(f"Amount must be 1-{left}.", param="amount")
        reversal = {"id": new_id("trr"), "object": "transfer_reversal", "amount": amount,
                    "currency": reversed_from["currency"], "transfer": transfer_id,
                    "created": int(time.time()), "metadata": params().get("metadata", {})}
        reversed_from["amount_reversed"] += amount
        reversed_from["reversed"] = reversed_from["amount_reversed"] == reversed_from["amount"]
        reversed_from["reversals"]["data"].append(reversal)
        state.available[reversed_from["currency"]] += amount
        state.emit("transfer.reversed", reversed_from)
        return 200, reversal

    @app.post("/_test/accounts/<account_id>/complete-onboarding")
    def complete_onboarding(account_id: str) -> Response:
        """Stands in for the creator filling in Stripe's onboarding form."""
        if account_id not in state.accounts:
            return answer(404, {"error": {"type": "invalid_request_error",
                                          "message": "No such account"}})
        return answer(200, state.complete_onboarding(account_id))

    @app.get("/v1/balance")
    @endpoint
    def balance() -> tuple[int, dict[str, Any]]:
        return 200, {"object": "balance", "livemode": False, "pending": [],
                     "available": [{"amount": amount, "currency": currency,
                                    "source_types": {"card": amount}}
                                   for currency, amount in state.available.items()]}

    @app.get("/v1/events")
    @endpoint
    def list_events() -> tuple[int, dict[str, Any]]:
        given = params()
        found = [e for e in reversed(state.events)
                 if "type" not in given or e["type"] == given["type"]]
        limit = min(int(given.get("limit", 10)), 100)
        return 200, {"object": "list", "url": "/v1/events", "data": found[:limit],
                     "has_more": len(found) > limit}

    @app.get("/v1/events/<event_id>")
    @endpoint
    def get_event(event_id: str) -> tuple[int, dict[str, Any]]:
        for found in state.events:
            if found["id"] == event_id:
                return 200, found
        raise StripeError(404, "invalid_request_error", f"No such event: '{event_id}'",
                          "resource_missing", "id")

    return app
