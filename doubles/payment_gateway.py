"""An in-memory payment rail, for unit tests of the payout rules (a test double).

It keeps transfers by idempotency key, as Stripe does: repeating an attempt's
key returns the transfer it made, never a second one. Tests script its next
answers: "lost" (the transfer is made, the answer never arrives), "busy" (turned
away before acting) or "refused:<code>" (refused, nothing made).
"""

from dataclasses import replace

from application.ports.payment_gateway import (
    AccountState,
    GatewayRefused,
    RailBusy,
    Transfer,
    TransientGatewayError,
)
from domain.money import Money
from domain.payout import Attempt


class FakeGateway:
    def __init__(self) -> None:
        self.accounts: dict[str, AccountState] = {}
        self.by_key: dict[str, Transfer] = {}
        self.answers: list[str] = []  # scripted answers to the next transfers; then "ok"
        self.calls = 0  # transfer requests received

    def open_account(self, creator_id: str, country: str, email: str | None) -> AccountState:
        account = AccountState(f"acct_{len(self.accounts) + 1}", can_receive=True)
        self.accounts[account.account_id] = account
        return account

    def onboarding_link(self, account_id: str, refresh_url: str, return_url: str) -> str:
        return f"https://connect.invalid/onboarding/{self.account(account_id).account_id}"

    def account(self, account_id: str) -> AccountState:
        if account_id not in self.accounts:
            raise GatewayRefused("resource_missing", f"No such account: {account_id}")
        return self.accounts[account_id]

    def cannot_receive(self, account_id: str, *requirements: str) -> None:
        self.accounts[account_id] = replace(self.accounts[account_id], can_receive=False,
                                            requirements=requirements)

    def transfer(self, *, payout_id: str, contract_id: str, attempt: Attempt, amount: Money,
                 destination: str) -> Transfer:
        self.calls += 1
        answer = self.answers.pop(0) if self.answers else "ok"
        if answer == "busy":
            raise RailBusy("429: too many requests")
        if answer.startswith("refused:"):
            raise GatewayRefused(answer.removeprefix("refused:"), "refused by the fake rail")
        made = self.by_key.setdefault(attempt.idempotency_key, Transfer(
            f"tr_{len(self.by_key) + 1}", payout_id, attempt.number, amount, destination))
        if answer == "lost":
            raise TransientGatewayError("the connection dropped before the answer arrived")
        return made

    def find_transfer(self, payout_id: str, attempt: int | None = None) -> Transfer | None:
        return next((t for t in self.by_key.values()
                     if t.payout_id == payout_id and attempt in (None, t.attempt)), None)

    def transfers(self) -> list[Transfer]:
        return list(self.by_key.values())
