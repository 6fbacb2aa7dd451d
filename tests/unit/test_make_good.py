"""Make-good rules: evaluated once when the window closes, from the snapshots inside it."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidTransition, InvalidValue
from domain.make_good import MakeGoodRule, RuleStatus, reduced
from domain.metrics import MetricSnapshot
from domain.money import Money
from domain.obligations import MakeGoodTerm, Remedy
from domain.vocabulary import Metric

PUBLISHED = datetime(2026, 12, 1, 12, tzinfo=UTC)
CLOSES = PUBLISHED + timedelta(days=7)
TERM = MakeGoodTerm("views", "video-1", Metric.VIEWS, 200_000, 7, Remedy.FEE_REDUCTION,
                    milestone_key="accepted", percent=Decimal(20))


def armed() -> MakeGoodRule:
    rule = MakeGoodRule.arm(actor="system", brand_id="b", contract_id="c", creator_id="k",
                            term=TERM)
    rule.open_window("system", PUBLISHED)
    return rule


def views(count: int, hours_after: float, source: str = "douyin") -> MetricSnapshot:
    return MetricSnapshot(source, PUBLISHED + timedelta(hours=hours_after), {"views": count})


def test_nothing_is_decided_before_the_window_closes() -> None:
    rule = armed()

    assert not rule.evaluate("system", [views(500_000, 10)], CLOSES - timedelta(seconds=1))
    assert rule.status is RuleStatus.ARMED


def test_a_breach_records_the_figures_used_and_ignores_snapshots_outside_the_window() -> None:
    rule = armed()
    snapshots = [views(150_000, 100), views(190_000, 160),
                 views(900_000, 24 * 8)]  # measured after the window closed

    assert rule.evaluate("system", snapshots, CLOSES)

    assert rule.status is RuleStatus.BREACHED
    assert rule.figures is not None
    assert (rule.figures.value, rule.figures.threshold, rule.figures.snapshots) == \
        (190_000, 200_000, 2)
    assert not rule.evaluate("system", snapshots, CLOSES)  # once


def test_reaching_the_threshold_meets_the_rule() -> None:
    rule = armed()

    rule.evaluate("system", [views(200_000, 150)], CLOSES)

    assert rule.status is RuleStatus.MET
    assert not rule.record_remedy("system", "nothing to remedy")


def test_a_remedy_is_recorded_once_and_legal_may_waive_a_breach_instead() -> None:
    applied, waived = armed(), armed()
    for rule in (applied, waived):
        rule.evaluate("system", [], CLOSES)

    assert applied.record_remedy("system", "payout accepted adjusted to 40000 CNY")
    assert not applied.record_remedy("system", "again")
    with pytest.raises(InvalidValue):
        waived.waive("legal", None)
    waived.waive("legal", "The platform throttled the post; agreed with the creator")
    with pytest.raises(InvalidTransition):
        applied.waive("legal", "too late")

    assert (applied.status, waived.status) == (RuleStatus.REMEDY_APPLIED, RuleStatus.WAIVED)


@given(amount=st.integers(0, 10**10), cut=st.integers(0, 10**11),
       percent=st.decimals(min_value=0, max_value=100, places=2))
def test_a_reduced_fee_never_goes_below_zero(amount: int, cut: int, percent: Decimal) -> None:
    by_amount = MakeGoodTerm("r", "v", Metric.VIEWS, 1, 1, Remedy.FEE_REDUCTION, "m",
                             amount=cut)
    by_percent = MakeGoodTerm("r", "v", Metric.VIEWS, 1, 1, Remedy.FEE_REDUCTION, "m",
                              percent=percent)

    for term in (by_amount, by_percent):
        after = reduced(Money(amount, "CNY"), term)
        assert 0 <= after.amount <= amount and after.currency == "CNY"
