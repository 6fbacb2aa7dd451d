"""The port through which payouts reach a payment rail (Stripe Connect, in production).

Adapters raise TransientGatewayError when the answer says nothing about the
request (the rail's own errors, timeouts, lost connections: it may or may not
have been carried out), RailBusy when the rail turned it away before acting on
it (rate limits, kolpact's key refused, a rival request with the same key in
flight), and GatewayRefused when the rail refused the request itself (with its
code): only that last one ever closes an attempt as failed.
"""

from dataclasses import dataclass
from typing import Protocol

from domain.money import Money
from domain.payout import Attempt


class TransientGatewayError(Exception):
    """Trying again later may succeed; the request may or may not have been carried out."""


class RailBusy(TransientGatewayError):
    """The rail turned the request away before acting on it (429, 401, 403, 409)."""


class GatewayRefused(Exception):
    """The rail refused the request; the same request will be refused again."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


@dataclass(frozen=True)
class AccountState:
    account_id: str
    can_receive: bool  # transfers to it will be accepted
    requirements: tuple[str, ...] = ()  # what the creator still has to provide


@dataclass(frozen=True)
class Transfer:
    transfer_id: str
    payout_id: str | None
    attempt: int | None
    amount: Money
    destination: str
    reversed_amount: int = 0


class PaymentGateway(Protocol):
    def open_account(self, creator_id: str, country: str, email: str | None) -> AccountState:
        ...

    def onboarding_link(self, account_id: str, refresh_url: str, return_url: str) -> str: ...

    def account(self, account_id: str) -> AccountState: ...

    def transfer(self, *, payout_id: str, contract_id: str, attempt: Attempt, amount: Money,
                 destination: str) -> Transfer:
        """Moves the money at most once per attempt (the attempt's idempotency key)."""
        ...

    def find_transfer(self, payout_id: str, attempt: int | None = None) -> Transfer | None:
        """The transfer an attempt (None: any attempt) made, if any: how a lost answer
        is recovered."""
        ...

    def transfers(self) -> list[Transfer]:
        """Every transfer kolpact made (for reconciliation)."""
        ...
