"""PaymentGateway on Stripe Connect, through the official `stripe` library.

One client factory: the API key and, for tests, the API's base address come
from settings, so tests point the same code at a Stripe test server on
127.0.0.1. The library's own retries are off: the payout processor retries
with its own backoff and records what happened.
"""

from typing import Any

import stripe

from application.ports.payment_gateway import (
    AccountState,
    GatewayRefused,
    RailBusy,
    Transfer,
    TransientGatewayError,
)
from domain.money import Money
from domain.payout import Attempt

TIMEOUT_SECONDS = 20
# Answered before Stripe's idempotency layer: nothing was done, nothing was saved.
TURNED_AWAY = (401, 403, 409, 429)


def stripe_client(api_key: str, api_base: str | None = None,
                  http_client: stripe.HTTPClient | None = None) -> stripe.StripeClient:
    bases: Any = {"api": api_base, "connect": api_base} if api_base else None
    return stripe.StripeClient(api_key, base_addresses=bases, max_network_retries=0,
                               http_client=http_client or stripe.RequestsClient(
                                   timeout=TIMEOUT_SECONDS))


class StripeGateway:
    def __init__(self, client: stripe.StripeClient) -> None:
        self.client = client

    def open_account(self, creator_id: str, country: str, email: str | None) -> AccountState:
        params: Any = {"type": "express", "country": country,
                       "capabilities": {"transfers": {"requested": True}},
                       "metadata": {"kolpact_creator_id": creator_id}}
        if email:
            params["email"] = email
        return account_state(self._call(lambda: self.client.v1.accounts.create(
            params, {"idempotency_key": f"kolpact-account-{creator_id}"})))

    def onboarding_link(self, account_id: str, refresh_url: str, return_url: str) -> str:
        link = self._call(lambda: self.client.v1.account_links.create({
            "account": account_id, "refresh_url": refresh_url, "return_url": return_url,
            "type": "account_onboarding"}))
        return str(link.url)

    def account(self, account_id: str) -> AccountState:
        return account_state(self._call(lambda: self.client.v1.accounts.retrieve(account_id)))

    def transfer(self, *, payout_id: str, contract_id: str, attempt: Attempt, amount: Money,
                 destination: str) -> Transfer:
        created = self._call(lambda: self.client.v1.transfers.create({
            "amount": amount.amount, "currency": amount.currency.lower(),
            "destination": destination, "transfer_group": payout_id,
            "description": f"kolpact payout {payout_id}",
            "metadata": {"kolpact_payout_id": payout_id, "kolpact_contract_id": contract_id,
                         "kolpact_attempt": str(attempt.number)}},
            {"idempotency_key": attempt.idempotency_key}))
        return transfer_of(created)

    def find_transfer(self, payout_id: str, attempt: int | None = None) -> Transfer | None:
        found = self._call(lambda: self.client.v1.transfers.list(
            {"transfer_group": payout_id, "limit": 100}))
        for made in map(transfer_of, found.data):
            if made.payout_id == payout_id and attempt in (None, made.attempt):
                return made
        return None

    def transfers(self) -> list[Transfer]:
        page = self._call(lambda: self.client.v1.transfers.list({"limit": 100}))
        made = (transfer_of(t) for t in page.auto_paging_iter())
        return [transfer for transfer in made if transfer.payout_id]

    def _call(self, request: Any) -> Any:
        try:
            return request()
        except stripe.StripeError as error:
            raise classified(error) from error


def classified(error: stripe.StripeError) -> Exception:
    """What Stripe's answer says about the request (see application.ports.payment_gateway)."""
    if error.http_status in TURNED_AWAY or isinstance(error, stripe.RateLimitError):
        return RailBusy(f"{error.http_status}: {error}")
    if isinstance(error, (stripe.APIConnectionError, stripe.APIError,
                          stripe.IdempotencyError)) or (error.http_status or 500) >= 500:
        # A 5xx may be a saved answer replayed; a key reused with other parameters means
        # an earlier request under it may have acted: neither says what happened.
        return TransientGatewayError(str(error))
    return GatewayRefused(error.code or type(error).__name__, error.user_message or str(error))


def account_state(account: Any) -> AccountState:
    plain = account.to_dict()  # the library's objects are not dicts
    capabilities = plain.get("capabilities") or {}
    requirements = (plain.get("requirements") or {}).get("currently_due") or []
    return AccountState(account.id, capabilities.get("transfers") == "active",
                        tuple(requirements))


def transfer_of(made: Any) -> Transfer:
    metadata = made.to_dict().get("metadata") or {}
    attempt = metadata.get("kolpact_attempt")
    return Transfer(made.id, metadata.get("kolpact_payout_id"),
                    int(attempt) if attempt else None,
                    Money(made.amount, made.currency.upper()), made.destination,
                    made.amount_reversed or 0)
