"""KOC distribution in the domain: commission lines and their reversal (properties: a
commission never exceeds the rate times the amount; a refund takes back exactly what its
order accrued), rules checked and versioned, the cohort's stages, and a distributor's
levels, rewards (each once), elimination and disqualification."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.commission import Order, OrderLine, commission, commission_lines, reversal
from domain.distribution import (
    CohortStage,
    Distributor,
    DistributorStatus,
    Grant,
    Origin,
    Program,
    assessment_periods,
)
from domain.errors import InvalidTransition, InvalidValue
from domain.program_rules import Assessment, Figures, ProgramRules, Reward, RewardKind

NOW = datetime(2026, 11, 1, 9, tzinfo=UTC)


def rules(**changes) -> ProgramRules:  # type: ignore[no-untyped-def]
    return ProgramRules.parse({
        "currency": "CNY",
        "commissions": [{"sku": "SERUM-30", "rate_bp": 2000, "second_level_bp": 500},
                        {"sku": "CLEANSER", "rate_bp": 800}],
        "levels": [{"key": "bronze", "name": "Bronze"},
                   {"key": "silver", "name": "Silver", "criteria": {"orders": 10},
                    "rewards": [{"kind": "red_envelope", "description": "Silver envelope",
                                 "amount": 8800}]},
                   {"key": "gold", "name": "Gold", "criteria": {"orders": 50,
                                                                "sales": 5_000_000,
                                                                "recruits": 3}}],
        "assessment": {"period_days": 90, "min_orders": 5},
        **changes})


def order(*lines: tuple[str, int], currency: str = "CNY") -> Order:
    return Order("T-1001", NOW, currency, tuple(OrderLine(sku, 1, amount)
                                                for sku, amount in lines))


def distributor(origin: Origin = Origin.EXTERNAL) -> Distributor:
    return Distributor.enrol(actor="ops", brand_id="b", program_id="p", creator_id="c",
                             origin=origin, recruiter_id=None, tracking_code="KOC-7",
                             joined_on=date(2026, 8, 1))


@given(st.integers(min_value=0, max_value=10**15), st.integers(min_value=0, max_value=10_000))
def test_a_commission_never_exceeds_the_rate_times_the_amount(amount: int, rate: int) -> None:
    earned = commission(amount, rate)

    assert 0 <= earned * 10_000 <= amount * rate
    assert amount * rate - earned * 10_000 < 10_000  # rounded down by less than a fen


@given(st.lists(st.tuples(st.sampled_from(["SERUM-30", "CLEANSER"]),
                          st.integers(min_value=0, max_value=10**12)), min_size=1, max_size=8),
       st.booleans())
def test_a_refund_takes_back_exactly_what_its_order_accrued(lines: list[tuple[str, int]],
                                                            recruited: bool) -> None:
    accrued = commission_lines(order(*lines), rules(), "seller", "recruiter" if recruited
                               else None)

    taken_back = reversal(accrued)

    for who in ("seller", "recruiter"):
        assert sum(line.commission for line in accrued + taken_back
                   if line.distributor_id == who) == 0
    assert all(line.rate_bp in (2000, 500, 800) for line in accrued)


def test_an_order_line_pays_its_seller_and_their_recruiter_at_the_products_rates() -> None:
    accrued = commission_lines(order(("SERUM-30", 29_900), ("CLEANSER", 9_950)), rules(),
                               "seller", "recruiter")

    assert [(line.line, line.distributor_id, line.tier, line.rate_bp, line.commission)
            for line in accrued] == [(1, "seller", 1, 2000, 5_980),
                                     (1, "recruiter", 2, 500, 1_495),
                                     (2, "seller", 1, 800, 796)]
    assert [line.commission for line in reversal(accrued, {2})] == [-796]


def test_an_order_of_an_unknown_product_or_in_another_currency_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        commission_lines(order(("LIPSTICK", 100), currency="USD"), rules(), "s", None)

    assert set(refused.value.errors) == {"currency", "lines[0].sku"}


def test_rules_are_checked_whole() -> None:
    with pytest.raises(InvalidValue) as refused:
        rules(currency="XYZ", commissions=[{"sku": "A", "rate_bp": 9000,
                                            "second_level_bp": 2000},
                                           {"sku": "A", "rate_bp": -1}],
              levels=[{"key": "gold", "name": "Gold", "criteria": {"orders": 50}},
                      {"key": "silver", "name": "Silver", "criteria": {"orders": 10}}],
              competition={"prizes": [{"rank": 2, "reward": {
                  "kind": "physical", "description": "A serum"}}]},
              assessment={"period_days": 3})

    assert set(refused.value.errors) >= {
        "currency", "commissions", "commissions[0].second_level_bp",
        "commissions[1].rate_bp", "levels[1].criteria", "competition.prizes",
        "competition.prizes[0].reward.sku", "assessment.period_days", "assessment"}


def test_the_rules_in_force_are_those_of_the_orders_time() -> None:
    program = Program.create(actor="legal", brand_id="b", name="Glow KOCs", rules=rules(),
                             now=NOW)
    richer = rules(commissions=[{"sku": "SERUM-30", "rate_bp": 2500}])

    program.revise_rules("legal", richer, NOW + timedelta(days=30), NOW + timedelta(days=1),
                         "Launch month")

    assert program.rules_at(NOW + timedelta(days=29)).version == 1
    assert program.rules_at(NOW + timedelta(days=30)).rules == richer
    with pytest.raises(InvalidValue, match="effective_from"):
        program.revise_rules("legal", richer, NOW, NOW + timedelta(days=2), "Back in time")
    with pytest.raises(InvalidValue, match="reason"):
        program.revise_rules("legal", richer, NOW + timedelta(days=40),
                             NOW + timedelta(days=2), None)
    with pytest.raises(InvalidValue, match="currency"):
        program.revise_rules("legal", rules(currency="USD"), NOW + timedelta(days=40),
                             NOW + timedelta(days=2), "Dollars")


def test_the_cohort_moves_forward_only() -> None:
    program = Program.create(actor="ops", brand_id="b", name="Glow KOCs", rules=rules(),
                             now=NOW)

    program.move_to("ops", CohortStage.TRAINING)
    program.move_to("ops", CohortStage.ENDED, "Season over")

    assert program.stage is CohortStage.ENDED
    with pytest.raises(InvalidTransition):
        program.move_to("ops", CohortStage.TRAINED)


def test_a_distributor_climbs_to_the_highest_level_reached_and_never_falls() -> None:
    kept = distributor()

    first = kept.promote("worker", rules(), Figures(orders=12))
    again = kept.promote("worker", rules(), Figures(orders=60, sales=6_000_000))
    lower = kept.promote("worker", rules(), Figures(orders=1))

    assert first is not None and first.key == "silver"
    assert again is None  # gold asks for three recruits too
    assert lower is None and kept.level == "silver"


def test_a_reward_is_granted_once_per_key() -> None:
    kept = distributor()
    envelope = Reward(RewardKind.RED_ENVELOPE, "Silver envelope", 8800)

    granted = [kept.grant("worker", Grant("level:silver", envelope, "Reached Silver"))
               for _ in range(2)]

    assert granted == [True, False] and len(kept.grants) == 1


def test_only_an_external_distributor_short_of_the_assessment_is_eliminated() -> None:
    external, internal, passing = distributor(), distributor(Origin.INTERNAL), distributor()
    assessment = Assessment(90, min_orders=5)
    (period,) = assessment_periods(external.joined_on, assessment, date(2026, 11, 15))

    passed = passing.assess("worker", period, Figures(orders=5), assessment)
    out = external.assess("worker", period, Figures(orders=2, sales=5_000), assessment)

    assert period == (date(2026, 8, 1), date(2026, 10, 30))
    assert (passed, out, external.status) == (False, True, DistributorStatus.ELIMINATED)
    assert not external.grant("worker", Grant("level:silver", Reward(
        RewardKind.COUPON, "Coupon"), "late"))
    with pytest.raises(InvalidTransition):
        internal.assess("worker", period, Figures(), assessment)


def test_a_disqualification_needs_a_reason_and_forfeits_what_was_unpaid() -> None:
    kept = distributor()

    with pytest.raises(InvalidValue, match="reason"):
        kept.disqualify("legal", " ", 12_000)
    kept.disqualify("legal", "Sold another brand's serum to our fan group", 12_000)

    assert (kept.status, kept.forfeited) == (DistributorStatus.DISQUALIFIED, 12_000)
    with pytest.raises(InvalidTransition):
        kept.suspend("ops", "Again")


def recorded(*lines: tuple[str, int]):  # type: ignore[no-untyped-def]
    from domain.attributed_order import AttributedOrder

    placed = order(*lines)
    return AttributedOrder.record(
        actor="ops", brand_id="b", program_id="p", distributor_id="seller", order=placed,
        lines=commission_lines(placed, rules(), "seller", "recruiter"), rules_version=1,
        id=None)


def test_an_order_refunded_in_parts_gives_back_all_it_accrued_once() -> None:
    from domain.attributed_order import ReversalKind

    kept = recorded(("SERUM-30", 29_900), ("CLEANSER", 9_950))

    first = kept.reverse("ops", ReversalKind.REFUND, (2,))
    twice = kept.reverse("ops", ReversalKind.REFUND, (2,))
    rest = kept.reverse("ops", ReversalKind.REFUND, None)

    assert (first, twice, rest, kept.fully_reversed) == (True, False, True, True)
    assert sum(line.commission for line in kept.lines + kept.reversals) == 0
    with pytest.raises(InvalidValue, match="no line 3"):
        kept.reverse("ops", ReversalKind.REFUND, (3,))


def test_an_order_partly_refunded_is_not_cancelled() -> None:
    from domain.attributed_order import ReversalKind

    kept = recorded(("SERUM-30", 29_900), ("CLEANSER", 9_950))
    kept.reverse("ops", ReversalKind.REFUND, (1,))

    with pytest.raises(InvalidTransition, match="refund the rest"):
        kept.reverse("ops", ReversalKind.CANCELLATION, None)
