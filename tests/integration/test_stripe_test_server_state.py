"""`make run`'s Stripe test server keeps what Stripe keeps across its restarts: accounts,
transfers and idempotency keys, so the demo's creators can still be paid, and once."""

from pathlib import Path

from domain.money import Money
from domain.payout import Attempt, Rail, idempotency_key
from doubles.stripe_server import StripeState
from tests.payments import in_process_gateway


def test_a_restarted_server_knows_its_accounts_and_answers_a_retried_transfer_the_same(
        tmp_path: Path) -> None:
    before, kept = StripeState(), tmp_path / "stripe.json"
    before.auto_onboard = True
    gateway = in_process_gateway(before)
    account = gateway.open_account("creator-1", "CN", None).account_id
    attempt = Attempt(1, Rail.STRIPE, idempotency_key("p-1", 1))
    paid = gateway.transfer(payout_id="p-1", contract_id="c-1", attempt=attempt,
                            amount=Money(12_000, "CNY"), destination=account)
    before.save(kept)

    after = StripeState()
    after.restore(kept)
    restarted = in_process_gateway(after)

    assert restarted.account(account).can_receive
    again = restarted.transfer(payout_id="p-1", contract_id="c-1", attempt=attempt,
                               amount=Money(12_000, "CNY"), destination=account)
    assert again.transfer_id == paid.transfer_id
    assert [t.transfer_id for t in restarted.transfers()] == [paid.transfer_id]
