"""Money invariants of payouts, for any sequence of commands (hypothesis)."""

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.money import Money, minor_units
from domain.obligations import Milestone, MilestoneTrigger
from domain.payout import Payout, PayoutStatus, Rail

COMMANDS = st.lists(st.tuples(
    st.sampled_from(["due", "request", "approve", "submit", "pay", "fail", "retry", "hold",
                     "release", "waive", "adjust", "reverse"]),
    st.integers(-10**6, 10**7), st.sampled_from(["CNY", "USD", "JPY"]),
    st.sampled_from(["ana", "bo", "cy"])), max_size=30)


def apply(payout: Payout, command: str, amount: int, currency: str, user: str) -> None:
    actions = {
        "due": lambda: payout.fall_due("system", "signed"),
        "request": lambda: payout.request_release(user, Rail.STRIPE, 1 + amount % 2),
        "approve": lambda: payout.approve(user),
        "submit": lambda: payout.submit("processor"),
        "pay": lambda: payout.record_payment("processor", f"tr_{amount}"),
        "fail": lambda: payout.record_failure("processor", len(payout.attempts), "x", "y"),
        "retry": lambda: payout.allow_retry(user, "again"),
        "hold": lambda: payout.hold(user, "check"),
        "release": lambda: payout.release_hold(user, "ok"),
        "waive": lambda: payout.waive(user, "no"),
        "adjust": lambda: payout.adjust(user, Money(amount, currency), "make-good", "rule"),
        "reverse": lambda: payout.reverse(user, Money(amount, currency), "trr", "refund"),
    }
    with contextlib.suppress(DomainError):  # a refused command changes nothing
        actions[command]()


@settings(max_examples=300, deadline=None)
@given(commands=COMMANDS)
def test_the_amount_never_goes_below_zero_nor_changes_currency_and_pays_at_most_once(
        commands: list[tuple[str, int, str, str]]) -> None:
    payout = Payout.schedule(actor="system", brand_id="b", contract_id="c", creator_id="k",
                             milestone=Milestone("m", "M", 50_000,
                                                 MilestoneTrigger.ON_SIGNATURE),
                             currency="CNY")

    for command in commands:
        apply(payout, *command)

    events = [type(e).__name__ for e in payout.collect_events()]
    assert payout.amount.currency == "CNY" and payout.amount.amount >= 0
    assert events.count("Paid") <= 1
    if payout.status is PayoutStatus.PAID:
        assert len(payout.approved_by) >= payout.approvals_needed
        assert payout.requested_by not in payout.approved_by
    if payout.reversed_amount is not None:
        assert 0 < payout.reversed_amount.amount <= payout.amount.amount


@given(units=st.integers(0, 10**12), currency=st.sampled_from(["CNY", "USD", "JPY", "KRW"]))
def test_amounts_written_in_major_units_come_back_exactly(units: int, currency: str) -> None:
    major = str(units) if currency in ("JPY", "KRW") else f"{units // 100}.{units % 100:02d}"

    assert minor_units(major, currency) == units
