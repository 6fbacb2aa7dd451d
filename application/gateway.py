"""The port through which payouts reach a payment rail (Stripe Connect, in production).

Adapters raise TransientGatewayError when trying again may succeed (rate
limits, the rail's own errors, timeouts: the request may or may not have been
carried out) and GatewayRefused when it will not (with the rail's code).
"""

from dataclasses import dataclass
from typing import Protocol

from domain.money import Money
from domain.payout import Attempt


class TransientGatewayError(Exception):
    """Trying again later may succeed; the request may or may not have been carried out."""


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

    def find_transfer(self, payout_id: str, attempt: int) -> Transfer | None:
        """The transfer an attempt made, if any: how a crash after the call is recovered."""
        ...

    def transfers(self) -> list[Transfer]:
        """Every transfer kolpact made (for reconciliation)."""
        ...
