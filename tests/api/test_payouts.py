"""Payouts over HTTP: maker-checker release, the ledger and its totals, signed webhooks."""

import json
import time
from typing import Any

import pytest

from application.workers.payouts import bring_payouts_due
from doubles.stripe_server import StripeState
from doubles.stripe_server.state import new_id, signature_header
from tests.api.conftest import Api
from tests.builders import event_count, given_bonus_results
from tests.payments import given_payable, in_process_gateway, no_wait_processor

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)

SECRET = "whsec_kolpact_test"


@pytest.fixture
def stripe_state(api: Api) -> StripeState:
    state = StripeState()
    api.services.payouts.gateway = in_process_gateway(state)
    api.services.webhooks.secret = SECRET  # type: ignore[union-attr]
    return state


def pay(api: Api, payout_id: str) -> None:
    no_wait_processor(api.services).pay_all([payout_id])


def test_one_finance_user_requests_another_approves_and_the_ledger_shows_it_paid(
        api: Api, stripe_state: StripeState) -> None:
    payable = given_payable(api.services, api.team, stripe_state)
    path = f"/payouts/{payable.signing}"

    requested = api.call("POST", f"{path}/request-release", role="finance", json={})
    self_approval = api.call("POST", f"{path}/approve", role="finance", json={})
    api.services.read_models.catch_up()
    awaiting = api.call("GET", "/payouts", role=None, query_string={
        "awaiting_my_approval": "true"}, headers={
        "Authorization": f"Bearer {api.team.tokens['finance2']}"}).json["items"]
    not_for_requester = api.call("GET", "/payouts", role="finance", query_string={
        "awaiting_my_approval": "true"}).json["items"]
    approved = api.call("POST", f"{path}/approve", role=None, json={}, headers={
        "Authorization": f"Bearer {api.team.tokens['finance2']}"})
    pay(api, payable.signing)
    api.services.read_models.catch_up()
    ledger = api.call("GET", "/payouts", role="auditor",
                      query_string={"contract_id": payable.contract_id}).json["items"]
    totals = api.call("GET", "/payouts/totals", role="finance",
                      query_string={"contract_id": payable.contract_id}).json["currencies"]

    assert requested.status_code == 200 and requested.json["status"] == "release_requested"
    assert self_approval.status_code == 403
    assert "maker-checker" in self_approval.json["detail"]
    assert [p["payout_id"] for p in awaiting] == [payable.signing]
    assert not_for_requester == []
    assert approved.json["status"] == "approved"
    by_key = {p["milestone_key"]: p for p in ledger}
    assert by_key["signing"]["status"] == "paid" and by_key["signing"]["reference"]
    assert by_key["accepted"]["status"] == "scheduled"
    assert totals["CNY"]["committed"] == 100_000 and totals["CNY"]["paid"] == 50_000
    assert totals["CNY"]["scheduled"] == 50_000


def test_payouts_appear_in_the_contracts_history(api: Api, stripe_state: StripeState) -> None:
    payable = given_payable(api.services, api.team, stripe_state)

    events = api.call("GET", f"/contracts/{payable.contract_id}/history",
                      role="auditor").json["events"]

    assert {"Payout"} <= {e["aggregate"] for e in events}
    assert [e["event"] for e in events if e["aggregate"] == "Payout"][:2] == \
        ["Scheduled", "BecameDue"]


def test_an_offline_payment_is_maker_checked_and_needs_proof(api: Api) -> None:
    payable = given_payable(api.services, api.team, None)
    path = f"/payouts/{payable.signing}"
    api.call("POST", f"{path}/request-release", role="finance", json={"rail": "wechat_pay"})

    too_early = api.call("POST", f"{path}/record-payment", role="finance",
                         json={"reference": "4200001", "proof": "receipt.png"})
    api.call("POST", f"{path}/approve", role=None, json={},
             headers={"Authorization": f"Bearer {api.team.tokens['finance2']}"})
    no_proof = api.call("POST", f"{path}/record-payment", role="finance",
                        json={"reference": "4200001"})
    paid = api.call("POST", f"{path}/record-payment", role="finance",
                    json={"reference": "4200001", "proof": "Finance drive/receipts/4200001.png"})

    assert too_early.status_code == 409 and no_proof.status_code == 422
    assert paid.json["status"] == "paid" and paid.json["reference"] == "4200001"


def test_a_brand_can_require_two_approvers_above_an_amount(api: Api) -> None:
    set_threshold = api.call("POST", f"/brands/{api.team.brand_id}/approval-threshold",
                             role="admin", json={"currency": "CNY", "amount": 10_000,
                                                 "reason": "Audit finding 7"})
    payable = given_payable(api.services, api.team, None)

    requested = api.call("POST", f"/payouts/{payable.signing}/request-release", role="finance",
                         json={})

    assert set_threshold.json["two_approvers_above"] == [{"amount": 10_000, "currency": "CNY"}]
    assert requested.json["approvals_needed"] == 2


def test_onboarding_opens_one_account_and_returns_a_link(api: Api,
                                                         stripe_state: StripeState) -> None:
    payable = given_payable(api.services, api.team, None)
    body = {"refresh_url": "https://brand.example/r", "return_url": "https://brand.example/ok"}

    first = api.call("POST", f"/creators/{payable.creator_id}/payout-account", role="finance",
                     json=body)
    second = api.call("POST", f"/creators/{payable.creator_id}/payout-account", role="ops",
                      json=body)
    by_legal = api.call("POST", f"/creators/{payable.creator_id}/payout-account",
                        role="legal", json=body)

    assert first.status_code == 200 and first.json["onboarding_url"].startswith("http")
    assert second.json["account_id"] == first.json["account_id"]
    assert len(stripe_state.accounts) == 1 and by_legal.status_code == 403


def deliver(api: Api, event: dict[str, Any], secret: str = SECRET,
            timestamp: int | None = None):  # type: ignore[no-untyped-def]
    payload = json.dumps(event).encode()
    return api.client.post("/api/v1/webhooks/stripe", data=payload, headers={
        "Stripe-Signature": signature_header(payload, secret, timestamp),
        "Content-Type": "application/json"})


def test_a_signed_account_update_reaches_the_creator_once(api: Api,
                                                          stripe_state: StripeState) -> None:
    payable = given_payable(api.services, api.team, None)
    opened = api.services.payouts.open_payout_account(api.team.ops, payable.creator_id, "CN",
                                                      None, "https://x.test", "https://x.test")
    account = stripe_state.complete_onboarding(opened["account_id"])
    event = {"id": new_id("evt"), "type": "account.updated", "data": {"object": account}}

    accepted = deliver(api, event)
    replayed = deliver(api, event)

    creator = api.call("GET", f"/creators/{payable.creator_id}", role="ops").json
    assert accepted.status_code == 200 and accepted.json["acted"] is True
    assert replayed.status_code == 200  # a non-2xx would be redelivered for days
    assert (replayed.json["duplicate"], replayed.json["acted"]) == (True, False)
    assert creator["payout_account_ready"] is True


def test_forged_stale_and_unsigned_deliveries_are_refused_and_change_nothing(
        api: Api, stripe_state: StripeState) -> None:
    payable = given_payable(api.services, api.team, stripe_state)
    event = {"id": new_id("evt"), "type": "account.updated", "data": {"object": {
        "id": payable.account_id, "capabilities": {"transfers": "inactive"},
        "metadata": {"kolpact_creator_id": payable.creator_id}}}}
    before = event_count(api.services)

    forged = deliver(api, event, secret="whsec_someone_else")
    stale = deliver(api, {**event, "id": new_id("evt")}, timestamp=int(time.time()) - 3600)
    unsigned = api.client.post("/api/v1/webhooks/stripe", data=json.dumps(event).encode())
    not_json = api.client.post("/api/v1/webhooks/stripe", data=b"{", headers={
        "Stripe-Signature": signature_header(b"{", SECRET)})

    assert [r.status_code for r in (forged, stale, unsigned, not_json)] == [400] * 4
    assert forged.mimetype == "application/problem+json"
    assert event_count(api.services) == before


def test_a_reversed_transfer_reverses_the_payout(api: Api, stripe_state: StripeState) -> None:
    payable = given_payable(api.services, api.team, stripe_state)
    api.services.payouts.request_release(api.team.finance, payable.signing)
    api.services.payouts.approve(api.team.finance2, payable.signing)
    pay(api, payable.signing)
    stripe_state.add_webhook(
        lambda payload, headers: api.client.post("/api/v1/webhooks/stripe", data=payload,
                                                 headers=headers).status_code, SECRET)
    transfer_id = api.call("GET", f"/payouts/{payable.signing}").json["reference"]

    api.services.payouts.gateway.client.v1.transfers.reversals.create(  # type: ignore[union-attr]
        transfer_id, {"amount": 50_000})

    reversed_payout = api.call("GET", f"/payouts/{payable.signing}").json
    assert reversed_payout["status"] == "reversed"
    assert reversed_payout["reversed_amount"] == {"amount": 50_000, "currency": "CNY"}


def test_a_bonus_payout_shows_its_calculation_and_the_ledger_filters_bonuses(api: Api) -> None:
    contract_id = given_bonus_results(api.services, api.team, orders=20, engaged_views=150_000)
    api.services.payouts.clock.advance(days=15)
    bring_payouts_due(api.services)
    api.services.read_models.catch_up()

    (row,) = api.call("GET", "/payouts", role="finance", query_string={
        "contract_id": contract_id, "kind": "bonus"}).json["items"]
    payout = api.call("GET", f"/payouts/{row['payout_id']}", role="auditor").json
    bad_kind = api.call("GET", "/payouts", role="finance", query_string={"kind": "tip"})

    assert row["kind"] == "bonus" and row["status"] == "due"
    assert payout["bonus"] is True and payout["amount"] == {"amount": 80_000, "currency": "CNY"}
    assert payout["calculation"]["lines"] == [
        {"metric": "orders", "figure": 20, "basis": "rate", "unit": 1_500, "amount": 30_000},
        {"metric": "engaged_views", "figure": 150_000, "basis": "tier", "unit": 100_000,
         "amount": 50_000}]
    assert payout["calculation"]["cap"] == 300_000
    assert bad_kind.status_code == 422 and "kind" in bad_kind.json["errors"]


def test_finance_records_a_refund_of_what_a_paid_payout_owes_back(
        api: Api, stripe_state: StripeState) -> None:
    payable = given_payable(api.services, api.team, stripe_state)
    api.services.payouts.request_release(api.team.finance, payable.signing)
    api.services.payouts.approve(api.team.finance2, payable.signing)
    pay(api, payable.signing)
    payout = api.services.payouts.find(payable.signing)
    payout.take_off("system", 12_500, "Make-good after payment", "make-good rule x breached")
    api.services.payouts.save(payout)
    path = f"/payouts/{payable.signing}/record-refund"
    refund = {"amount": {"amount": 12_500, "currency": "CNY"}, "reference": "bank 991"}

    owed = api.call("GET", f"/payouts/{payable.signing}", role="finance").json["owed_back"]
    by_ops = api.call("POST", path, role="ops", json=refund)
    too_much = api.call("POST", path, role="finance", json={**refund, "amount": {
        "amount": 12_501, "currency": "CNY"}})
    recorded = api.call("POST", path, role="finance", json=refund)

    assert owed == {"amount": 12_500, "currency": "CNY"}
    assert (by_ops.status_code, too_much.status_code, recorded.status_code) == (403, 422, 200)
    assert recorded.json["owed_back"] is None
