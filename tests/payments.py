"""Helpers for payout tests: a Stripe test server behind the real library, and payable records."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from application.bootstrap import Services
from application.infrastructure.stripe_gateway import StripeGateway, stripe_client
from application.payments.payout_processor import Outcome, PayoutProcessor
from application.payments.payouts import payout_id
from doubles.stripe_server import InProcessClient, StripeState
from tests.builders import Team, given_active_contract, valid_terms

RETURN_URL = "https://brand.example/payouts/onboarded"


def in_process_gateway(state: StripeState) -> StripeGateway:
    """The production adapter, its HTTP calls answered by the test server in-process."""
    return StripeGateway(stripe_client(state.api_key, "http://stripe.test",
                                       InProcessClient(state)))


@dataclass
class Payable:
    contract_id: str
    creator_id: str
    account_id: str | None
    signing: str  # the payout due on signature
    on_acceptance: str  # the payout due when the video is accepted


def given_payable(services: Services, team: Team, state: StripeState | None,
                  terms: dict[str, Any] | None = None) -> Payable:
    """An active contract (half paid on signature) whose creator is onboarded on the
    test server when one is given."""
    contract_id = given_active_contract(services, team, terms or valid_terms())
    services.run_policies()
    creator_id = str(services.contracts.repository.get(UUID(contract_id)).creator_id)
    account_id = None
    if state is not None:
        opened = services.payouts.open_payout_account(team.finance, creator_id, "CN", None,
                                                      RETURN_URL, RETURN_URL)
        account_id = opened["account_id"]
        state.complete_onboarding(account_id)
    return Payable(contract_id, creator_id, account_id,
                   str(payout_id(contract_id, "signing")),
                   str(payout_id(contract_id, "accepted")))


def approve(services: Services, team: Team, payout: str) -> None:
    services.payouts.request_release(team.finance, payout)
    services.payouts.approve(team.finance2, payout)


def no_wait_processor(services: Services, gateway: Any = None) -> PayoutProcessor:
    """A processor whose backoff between rounds is zero: each round tries again."""
    return PayoutProcessor(services.payouts, gateway or services.payouts.gateway,
                           first_delay=0)


def pay_rounds(processor: PayoutProcessor, ids: list[str], rounds: int) -> Outcome:
    """What `rounds` rounds of the worker do with these payouts."""
    total = Outcome()
    for _ in range(rounds):
        total = total.add(processor.pay_all(ids))
    return total


def stripe_with_webhooks(services: Services, secret: str = "whsec_test") -> StripeState:
    """A Stripe test server the payouts pay through and whose webhooks reach kolpact's
    handler in-process (a failed effect answers 500, as the API would: Stripe redelivers)."""
    state = StripeState()
    services.payouts.gateway = in_process_gateway(state)
    services.webhooks.secret = secret
    webhooks = services.webhooks

    def deliver(payload: bytes, headers: dict[str, str]) -> int:
        try:
            webhooks.receive(payload, headers["Stripe-Signature"])
        except Exception:  # the API answers 4xx/5xx; Stripe delivers it again later
            return 500
        return 200

    state.add_webhook(deliver, secret)
    return state


def given_paid_then_reversed_behind_our_back(services: Services, team, state):  # type: ignore[no-untyped-def]
    payable = given_payable(services, team, state)
    approve(services, team, payable.signing)
    no_wait_processor(services).pay_all([payable.signing])
    transfer = services.payouts.get_payout(team.finance, payable.signing)["reference"]
    services.payouts.gateway.client.v1.transfers.reversals.create(  # type: ignore[union-attr]
        transfer, {"amount": 5_000})  # no webhook reaches kolpact
    return payable
