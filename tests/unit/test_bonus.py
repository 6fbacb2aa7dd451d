"""Performance bonuses: a rate per order, tiers by engaged views, a cap; the bonus payout."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.bonus import calculate_bonus, figures_in_window
from domain.errors import InvalidTransition, InvalidValue
from domain.metrics import MetricSnapshot
from domain.money import Money
from domain.obligations import Bonus, BonusTier, Milestone, MilestoneTrigger
from domain.payout import Payout, PayoutStatus
from domain.terms import ContractTerms
from domain.vocabulary import Metric
from tests.builders import valid_terms

OPENED = datetime(2026, 11, 1, 12, tzinfo=UTC)
WINDOW = (OPENED, OPENED + timedelta(days=14))
TIERS = (BonusTier(100_000, 50_000), BonusTier(500_000, 200_000), BonusTier(1_000_000, 500_000))
SHARED = Bonus("video-1", 14, rate_metric=Metric.ORDERS, rate=1_500,
               tier_metric=Metric.ENGAGED_VIEWS, tiers=TIERS, cap=600_000)


@pytest.mark.parametrize(("orders", "engaged", "lines", "earned", "paid"), [
    (0, 0, [0, 0], 0, 0),  # nothing reached: still two lines that say so
    (120, 0, [180_000, 0], 180_000, 180_000),  # 120 orders x 15.00
    (0, 99_999, [0, 0], 0, 0),  # one short of the first tier
    (0, 100_000, [0, 50_000], 50_000, 50_000),  # the first tier exactly
    (10, 720_000, [15_000, 200_000], 215_000, 215_000),  # only the highest tier reached
    (300, 2_000_000, [450_000, 500_000], 950_000, 600_000),  # capped
])
def test_a_rate_per_order_plus_the_highest_tier_reached_at_most_the_cap(
        orders: int, engaged: int, lines: list[int], earned: int, paid: int) -> None:
    calculation = calculate_bonus(SHARED, {"orders": orders, "engaged_views": engaged},
                                  "CNY", WINDOW)

    assert [line.amount for line in calculation.lines] == lines
    assert (calculation.earned, calculation.amount) == (earned, paid)
    assert calculation.cap == 600_000 and calculation.currency == "CNY"
    assert str(paid) in calculation.summary()


def test_figures_are_each_items_best_inside_the_window_added_up() -> None:
    def snapshot(hours: float, orders: int) -> MetricSnapshot:
        return MetricSnapshot("douyin", OPENED + timedelta(hours=hours), {"orders": orders})

    first_item = [snapshot(-1, 999), snapshot(24, 40), snapshot(48, 70)]  # cumulative
    second_item = [snapshot(30, 20), snapshot(15 * 24, 500)]  # the last one after the window

    figures = figures_in_window([first_item, second_item, []], ["orders", "engaged_views"],
                                *WINDOW)

    assert figures == {"orders": 90, "engaged_views": 0}


counts = st.integers(min_value=0, max_value=10**9)
# Valid tiers only (terms refuse others): thresholds and amounts both rise.
tiers = st.lists(st.tuples(st.integers(1, 10**8), st.integers(1, 10**7)), min_size=1,
                 max_size=5, unique_by=(lambda t: t[0], lambda t: t[1])).map(
    lambda ts: tuple(BonusTier(at, amount) for at, amount in
                     zip(sorted(t[0] for t in ts), sorted(t[1] for t in ts), strict=True)))
bonuses = st.builds(Bonus, st.just("video-1"), st.integers(1, 90),
                    rate_metric=st.just(Metric.ORDERS), rate=st.integers(1, 10**6),
                    tier_metric=st.just(Metric.ENGAGED_VIEWS), tiers=tiers,
                    cap=st.none() | st.integers(1, 10**9))


@given(bonuses, counts, counts, counts, counts)
def test_a_bonus_is_never_negative_never_above_its_cap_and_never_falls_as_figures_rise(
        bonus: Bonus, orders: int, engaged: int, more_orders: int, more_engaged: int) -> None:
    low = calculate_bonus(bonus, {"orders": orders, "engaged_views": engaged}, "CNY", WINDOW)
    high = calculate_bonus(bonus, {"orders": orders + more_orders,
                                   "engaged_views": engaged + more_engaged}, "CNY", WINDOW)

    assert 0 <= low.amount <= high.amount
    assert bonus.cap is None or high.amount <= bonus.cap
    assert low.earned == sum(line.amount for line in low.lines)


def bonus_terms(**bonus: object) -> dict:  # type: ignore[type-arg]
    terms = valid_terms()
    terms["milestones"][1]["bonus"] = {"deliverable_key": "video-1", "window_days": 14,
                                       **bonus}
    return terms


@pytest.mark.parametrize(("bonus", "field", "says"), [
    ({}, "milestones[1].bonus", "rate per unit"),
    ({"rate_metric": "orders"}, "milestones[1].bonus.rate", "both"),
    ({"rate": 100}, "milestones[1].bonus.rate", "both"),
    ({"tiers": [{"at_least": 10, "amount": 5}]}, "milestones[1].bonus.tier_metric", "required"),
    ({"tier_metric": "engaged_views", "tiers": [{"at_least": 10, "amount": 5},
                                                {"at_least": 10, "amount": 9}]},
     "milestones[1].bonus.tiers[1].at_least", "rise"),
    ({"tier_metric": "engaged_views", "tiers": [{"at_least": 10, "amount": 9},
                                                {"at_least": 20, "amount": 5}]},
     "milestones[1].bonus.tiers[1].amount", "more than the tier below"),
    ({"rate_metric": "revenue", "rate": 1}, "milestones[1].bonus.rate_metric", "revenue"),
    ({"rate_metric": "orders", "rate": 1, "deliverable_key": "nope"},
     "milestones[1].bonus.deliverable_key", "nope"),
    ({"rate_metric": "orders", "rate": 1, "cap": 0}, "milestones[1].bonus.cap", "from 1 to"),
])
def test_a_bonus_that_cannot_be_calculated_is_refused_with_the_field(
        bonus: dict, field: str, says: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(InvalidValue) as refused:
        ContractTerms.parse(bonus_terms(**bonus))

    assert says in refused.value.errors[field]


def scheduled_bonus() -> Payout:
    milestone = Milestone("accepted", "Video accepted", 50_000,
                          MilestoneTrigger.ON_DELIVERABLE_ACCEPTED, deliverable_key="video-1",
                          bonus=SHARED)
    return Payout.schedule(actor="system", brand_id="b", contract_id="c", creator_id="k",
                           milestone=milestone, currency="CNY", bonus=True)


def test_a_bonus_owes_nothing_and_ignores_its_milestones_trigger_until_calculated() -> None:
    payout = scheduled_bonus()

    fell_due = payout.fall_due("system", "deliverable video-1 accepted")

    assert fell_due is False and payout.status is PayoutStatus.SCHEDULED
    assert payout.amount == Money(0, "CNY")
    with pytest.raises(InvalidTransition, match="window closes"):
        payout.adjust("finance", Money(10, "CNY"), "guess", "a guess")


def test_a_calculated_bonus_is_an_adjustment_with_its_calculation_then_due_once() -> None:
    payout = scheduled_bonus()
    calculation = calculate_bonus(SHARED, {"orders": 120}, "CNY", WINDOW)

    settled = payout.settle_bonus("system", calculation)
    again = payout.settle_bonus("system", calculation)

    adjusted, due = payout.collect_events()[-2:]
    assert (settled, again) == (True, False)
    assert isinstance(adjusted, Payout.Adjusted) and adjusted.calculation == calculation
    assert adjusted.amount == Money(180_000, "CNY") and "120 orders" in (adjusted.reason or "")
    assert isinstance(due, Payout.BecameDue) and payout.status is PayoutStatus.DUE


def test_a_bonus_that_earned_nothing_is_waived_with_the_calculation_kept() -> None:
    payout = scheduled_bonus()

    payout.settle_bonus("system", calculate_bonus(SHARED, {}, "CNY", WINDOW))

    assert payout.status is PayoutStatus.WAIVED and payout.calculation is not None
    assert payout.calculation.lines[1].figure == 0


def test_a_held_bonus_is_calculated_and_stays_held_until_released() -> None:
    payout = scheduled_bonus()
    payout.hold("finance", "Creator disputes the order count")

    payout.settle_bonus("system", calculate_bonus(SHARED, {"orders": 10}, "CNY", WINDOW))
    payout.release_hold("finance", "Order count confirmed")

    assert payout.status is PayoutStatus.DUE and payout.amount == Money(15_000, "CNY")
