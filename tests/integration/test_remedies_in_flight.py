"""A make-good fee reduction that lands while its milestone is being paid, or after, is
never dropped: the retry pays less, or what was overpaid is offset or owed back."""

from uuid import UUID

from application.bootstrap import Services
from application.rights.make_goods import rule_id
from doubles.stripe_server import Fault, StripeState
from tests.builders import Team, given_published, valid_terms
from tests.payments import Payable, approve, given_payable, no_wait_processor

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)

QUARTER_OFF_SIGNING = [{
    "key": "views", "deliverable_key": "video-1", "metric": "views", "threshold": 200_000,
    "window_days": 7, "remedy": "fee_reduction", "milestone_key": "signing", "percent": "25"}]


def given_breach(services: Services, team: Team, payable: Payable) -> None:
    """The video got 150,000 views of the 200,000 the rule asks for; the window closed."""
    published = given_published(services, team, payable.contract_id)
    services.run_policies()
    services.deliverables.record_metrics(team.ops, published, {
        "source": "douyin", "measured_at": services.deliverables.clock.now(),
        "counts": {"views": 150_000}})
    services.make_goods.clock.advance(days=8)
    services.make_goods.evaluate_due([str(rule_id(payable.contract_id, "views"))])
    services.run_policies()  # the payout takes the remedy
    services.run_policies()  # the rule records how


def rule_status(services: Services, team: Team, payable: Payable) -> str:
    (rule,) = services.make_goods.rules_of(team.legal, services.contracts.repository.get(
        UUID(payable.contract_id)))
    return str(rule["status"])


def test_a_cut_on_a_paid_milestone_is_offset_against_the_next_one(
        services, team, stripe_state: StripeState) -> None:  # type: ignore[no-untyped-def]
    payable = given_payable(services, team, stripe_state,
                            valid_terms(make_goods=QUARTER_OFF_SIGNING))
    approve(services, team, payable.signing)
    no_wait_processor(services).pay_all([payable.signing])

    given_breach(services, team, payable)

    signing = services.payouts.get_payout(team.finance, payable.signing)
    accepted = services.payouts.get_payout(team.finance, payable.on_acceptance)
    (transfer,) = stripe_state.transfers_to(payable.account_id)
    assert transfer["amount"] == 50_000 and signing["status"] == "paid"
    assert signing["owed_back"] is None  # settled by the offset below
    assert accepted["amount"].amount == 50_000 - 12_500
    assert rule_status(services, team, payable) == "remedy_applied"
    events = {e["event"] for e in services.audit.contract_history(
        team.auditor, payable.contract_id)["events"]}
    assert {"OverpaymentRecorded", "OverpaymentOffset", "RemedyApplied"} <= events


def test_a_cut_while_the_attempt_is_in_flight_is_taken_off_when_it_fails(
        services, team, stripe_state: StripeState) -> None:  # type: ignore[no-untyped-def]
    payable = given_payable(services, team, stripe_state,
                            valid_terms(make_goods=QUARTER_OFF_SIGNING))
    approve(services, team, payable.signing)
    stripe_state.inject(Fault("timeout_before"))
    processor = no_wait_processor(services)
    processor.pay_all([payable.signing])  # no answer: submitted, outcome unknown

    given_breach(services, team, payable)
    in_flight = services.payouts.get_payout(team.finance, payable.signing)
    stripe_state.available["cny"] = 10
    processor.pay_all([payable.signing])  # Stripe refuses: nothing was paid
    failed = services.payouts.get_payout(team.finance, payable.signing)
    stripe_state.available["cny"] = 10**9
    approve(services, team, payable.signing)  # the new amount, approved again
    processor.pay_all([payable.signing])

    (transfer,) = stripe_state.transfers_to(payable.account_id)
    assert in_flight["cuts_awaiting_outcome"].amount == 12_500
    assert rule_status(services, team, payable) == "remedy_applied"
    assert (failed["status"], failed["amount"].amount) == ("due", 37_500)
    assert transfer["amount"] == 37_500


def test_a_cut_while_in_flight_is_owed_back_when_the_attempt_paid(
        services, team, stripe_state: StripeState) -> None:  # type: ignore[no-untyped-def]
    terms = valid_terms(make_goods=QUARTER_OFF_SIGNING)
    terms["milestones"] = [{"key": "signing", "label": "On signature", "amount": 100_000,
                            "trigger": "on_signature"}]
    payable = given_payable(services, team, stripe_state, terms)
    approve(services, team, payable.signing)
    stripe_state.inject(Fault("timeout_before"))
    processor = no_wait_processor(services)
    processor.pay_all([payable.signing])

    given_breach(services, team, payable)
    processor.pay_all([payable.signing])  # the attempt pays the full amount

    paid = services.payouts.get_payout(team.finance, payable.signing)
    assert paid["status"] == "paid" and paid["owed_back"].amount == 25_000  # nothing to offset
    assert rule_status(services, team, payable) == "remedy_applied"
