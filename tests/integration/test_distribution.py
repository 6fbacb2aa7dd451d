"""KOC distribution on every store: legal sets a program's rules, ops enrol KOCs and
record the orders they bring in — each order once, at the rates of its time, with a
second level for the recruiter — and refunds take back exactly what was accrued;
another brand's program, creator or code is not found."""

from datetime import timedelta
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.errors import NotFound, RoleNotAllowed
from domain.errors import InvalidValue
from tests.builders import creator_profile, given_team

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)

RULES = {"currency": "CNY",
         "commissions": [{"sku": "SERUM-30", "rate_bp": 2000, "second_level_bp": 500},
                         {"sku": "CLEANSER", "rate_bp": 800}],
         "levels": [{"key": "bronze", "name": "Bronze"},
                    {"key": "silver", "name": "Silver", "criteria": {"orders": 10}}]}


def given_program(services, team) -> str:  # type: ignore[no-untyped-def]
    return str(services.distribution.create_program(team.legal, "Glow KOCs", RULES)["id"])


def given_koc(services, team, name: str = "Lin") -> str:  # type: ignore[no-untyped-def]
    profile = {**creator_profile(name), "kind": "KOC"}
    return str(services.creators.register_creator(team.ops, profile)["id"])


def given_distributor(services, team, program_id: str, recruiter_id: str | None = None,  # type: ignore[no-untyped-def]
                      origin: str = "external") -> dict:
    return services.distribution.enrol(team.ops, program_id, given_koc(services, team),
                                       origin, recruiter_id)


def an_order(order_id: str, distributor: str, placed_at, *lines) -> dict:  # type: ignore[no-untyped-def]
    return {"order_id": order_id, "placed_at": placed_at, "currency": "CNY",
            "distributor": distributor,
            "lines": [{"sku": sku, "quantity": 1, "amount": amount} for sku, amount in lines]}


def test_orders_earn_their_seller_and_recruiter_once_each(services, clock) -> None:  # type: ignore[no-untyped-def]
    team = given_team(services)
    program = given_program(services, team)
    recruiter = given_distributor(services, team, program)
    seller = given_distributor(services, team, program, recruiter["id"])
    clock.advance(minutes=1)
    orders = [an_order("T-1", seller["tracking_code"], clock.now(), ("SERUM-30", 29_900)),
              an_order("T-2", seller["id"], clock.now(), ("CLEANSER", 9_950))]

    first = services.distribution.record_orders(team.ops, program, orders)
    again = services.distribution.record_orders(team.ops, program, orders)
    recorded = services.distribution.get_order(team.auditor, program, "T-1")

    assert (first["recorded"], again["recorded"], again["already_recorded"]) == (2, 0, 2)
    assert [(line["distributor_id"], line["tier"], line["commission"])
            for line in recorded["lines"]] == [(seller["id"], 1, 5_980),
                                               (recruiter["id"], 2, 1_495)]


def test_a_refund_takes_back_exactly_what_the_order_accrued(services, clock) -> None:  # type: ignore[no-untyped-def]
    team = given_team(services)
    program = given_program(services, team)
    seller = given_distributor(services, team, program)
    clock.advance(minutes=1)
    services.distribution.record_orders(team.ops, program, [an_order(
        "T-9", seller["id"], clock.now(), ("SERUM-30", 29_900), ("CLEANSER", 9_950))])

    part = services.distribution.reverse_order(team.ops, program, "T-9", "refund", [2])
    rest = services.distribution.reverse_order(team.ops, program, "T-9", "refund")
    twice = services.distribution.reverse_order(team.ops, program, "T-9", "refund")

    assert part["commission"] == 5_980 and rest["commission"] == 0
    assert twice["version"] == rest["version"]  # nothing taken twice


def test_an_order_earns_at_the_rates_of_its_time(services, clock) -> None:  # type: ignore[no-untyped-def]
    team = given_team(services)
    program = given_program(services, team)
    seller = given_distributor(services, team, program)
    richer = {**RULES, "commissions": [{"sku": "SERUM-30", "rate_bp": 2500},
                                       {"sku": "CLEANSER", "rate_bp": 800}]}
    services.distribution.revise_rules(team.legal, program, richer,
                                       clock.now() + timedelta(days=1), "Launch month")
    before = clock.now() + timedelta(minutes=1)
    clock.advance(days=2)

    services.distribution.record_orders(team.ops, program, [
        an_order("OLD", seller["id"], before, ("SERUM-30", 10_000)),
        an_order("NEW", seller["id"], clock.now(), ("SERUM-30", 10_000))])

    old = services.distribution.get_order(team.ops, program, "OLD")
    new = services.distribution.get_order(team.ops, program, "NEW")
    assert (old["rules_version"], old["commission"]) == (1, 2_000)
    assert (new["rules_version"], new["commission"]) == (2, 2_500)


def test_a_batch_with_a_bad_order_records_none(services, clock) -> None:  # type: ignore[no-untyped-def]
    team = given_team(services)
    program = given_program(services, team)
    seller = given_distributor(services, team, program)
    clock.advance(minutes=1)

    with pytest.raises(InvalidValue) as refused:
        services.distribution.record_orders(team.ops, program, [
            an_order("G-1", seller["id"], clock.now(), ("SERUM-30", 100)),
            an_order("B-1", seller["id"], clock.now(), ("LIPSTICK", 100)),
            an_order("B-2", "koc-nosuchcode", clock.now(), ("SERUM-30", 100)),
            an_order("B-3", seller["id"], clock.now() + timedelta(days=3), ("SERUM-30", 1))])

    assert set(refused.value.errors) == {"orders[1].lines[0].sku", "orders[2].distributor",
                                         "orders[3].placed_at"}
    with pytest.raises(NotFound):
        services.distribution.get_order(team.ops, program, "G-1")


def test_only_kocs_of_the_brand_are_enrolled_and_once(services) -> None:  # type: ignore[no-untyped-def]
    team, other = given_team(services), given_team(services)
    program = given_program(services, team)
    koc = given_koc(services, team)
    kol = str(services.creators.register_creator(team.ops, creator_profile())["id"])

    first = services.distribution.enrol(team.ops, program, koc, "internal")
    again = services.distribution.enrol(team.ops, program, koc, "internal")

    assert first["id"] == again["id"] and first["tracking_code"].startswith("koc-")
    with pytest.raises(InvalidValue, match="KOC"):
        services.distribution.enrol(team.ops, program, kol, "internal")
    with pytest.raises(NotFound):
        services.distribution.enrol(team.ops, program, given_koc(services, other), "internal")
    with pytest.raises(NotFound):
        services.distribution.enrol(other.ops, program, given_koc(services, other), "internal")


def test_another_brands_distributor_code_finds_nobody(services, clock) -> None:  # type: ignore[no-untyped-def]
    team, other = given_team(services), given_team(services)
    theirs = given_distributor(services, other, given_program(services, other))
    program = given_program(services, team)
    clock.advance(minutes=1)

    for named in (theirs["tracking_code"], theirs["id"]):
        with pytest.raises(InvalidValue) as refused:
            services.distribution.record_orders(team.ops, program, [
                an_order("X-1", named, clock.now(), ("SERUM-30", 100))])
        assert "orders[0].distributor" in refused.value.errors


def test_legal_sets_the_rules_and_ops_run_the_program(services) -> None:  # type: ignore[no-untyped-def]
    team = given_team(services)
    program = given_program(services, team)

    moved = services.distribution.move_cohort(team.ops, program, "training")

    assert moved["stage"] == "training"
    for role in ("ops", "finance", "auditor", "admin"):
        with pytest.raises(RoleNotAllowed):
            services.distribution.create_program(getattr(team, role), "Mine", RULES)
    with pytest.raises(RoleNotAllowed):
        services.distribution.move_cohort(team.legal, program, "trained")


def test_a_program_and_a_distributor_come_back_whole_from_a_snapshot(services) -> None:  # type: ignore[no-untyped-def]
    from domain.distribution import CohortStage, DistributorStatus, Origin

    team = given_team(services)
    program = given_program(services, team)
    services.distribution.move_cohort(team.ops, program, "training")
    seller = given_distributor(services, team, program)
    for record_id in (program, seller["id"]):
        services.distribution.take_snapshot(UUID(record_id))

    loaded = services.distribution.repository.get(UUID(program))
    distributor = services.distribution.repository.get(UUID(seller["id"]))

    assert loaded.stage is CohortStage.TRAINING and loaded.versions[0].rules.currency == "CNY"
    assert (distributor.origin, distributor.status) == (Origin.EXTERNAL,
                                                        DistributorStatus.ACTIVE)


def test_the_ledger_and_the_months_standings(durable_services, clock) -> None:  # type: ignore[no-untyped-def]
    services = durable_services
    team = given_team(services)
    program = given_program(services, team)
    recruiter = given_distributor(services, team, program)
    seller = given_distributor(services, team, program, recruiter["id"])
    clock.advance(minutes=1)
    services.distribution.record_orders(team.ops, program, [
        an_order("A-1", seller["id"], clock.now(), ("SERUM-30", 29_900)),
        an_order("A-2", seller["id"], clock.now(), ("CLEANSER", 9_950)),
        an_order("B-1", recruiter["id"], clock.now(), ("CLEANSER", 5_000))])
    services.distribution.reverse_order(team.ops, program, "A-2", "refund")
    services.read_models.catch_up()
    month = clock.now().strftime("%Y-%m")

    ledger = services.program_reports.ledger(team.finance, program)
    standings = services.program_reports.standings(team.auditor, program, month)

    assert (ledger["sales"], ledger["accrued"], ledger["reversed"], ledger["owed"]) == (
        29_900 + 5_000, 5_980 + 1_495 + 796 + 400, -796, 5_980 + 1_495 + 400)
    assert [(row["rank"], row["distributor_id"], row["sales"], row["orders"])
            for row in standings["rows"]] == [(1, seller["id"], 29_900, 1),
                                              (2, recruiter["id"], 5_000, 1)]
    with pytest.raises(NotFound):
        services.program_reports.ledger(given_team(services).finance, program)


REWARDING = {**RULES,
             "levels": [{"key": "bronze", "name": "Bronze"},
                        {"key": "silver", "name": "Silver", "criteria": {"orders": 2},
                         "rewards": [{"kind": "red_envelope", "description": "Silver 88",
                                      "amount": 8_800}]}],
             "achievements": [{"key": "first-order", "name": "First order",
                               "kind": "first_order", "rewards": [
                                   {"kind": "physical", "description": "A serum",
                                    "sku": "SERUM-30"}]}],
             "competition": {"metric": "sales", "prizes": [
                 {"rank": 1, "reward": {"kind": "certificate",
                                        "description": "Seller of the month"}}]}}


def test_the_worker_promotes_rewards_and_prizes_each_once(durable_services, clock) -> None:  # type: ignore[no-untyped-def]
    from application.workers.background import evaluate_programs

    services = durable_services
    team = given_team(services)
    program = str(services.distribution.create_program(team.legal, "Glow", REWARDING)["id"])
    best = given_distributor(services, team, program)
    other = given_distributor(services, team, program)
    clock.advance(minutes=1)
    services.distribution.record_orders(team.ops, program, [
        an_order("P-1", best["id"], clock.now(), ("SERUM-30", 29_900)),
        an_order("P-2", best["id"], clock.now(), ("CLEANSER", 9_950)),
        an_order("P-3", other["id"], clock.now(), ("CLEANSER", 9_950))])

    def versions() -> list[int]:
        return [services.distribution.get_distributor(team.ops, d["id"])["version"]
                for d in (best, other)]

    evaluate_programs(services)  # (the store is shared: other programs are evaluated too)
    first = versions()
    evaluate_programs(services)
    again = versions()
    clock.advance(days=32)  # the month is over: its competition is decided
    evaluate_programs(services)
    month_end = versions()
    evaluate_programs(services)
    later = versions()

    winner = services.distribution.get_distributor(team.auditor, best["id"])
    runner_up = services.distribution.get_distributor(team.auditor, other["id"])
    assert first == [1 + 1 + 2, 1 + 1 + 1]  # enrolled; promoted once; its rewards
    assert again == first and later == month_end == [first[0] + 1, first[1]]
    assert (winner["level"], runner_up["level"]) == ("silver", "bronze")
    assert [g["key"] for g in winner["grants"]] == [
        "level:silver:0", "achievement:first-order:0",
        f"competition:{(clock.now() - timedelta(days=32)).strftime('%Y-%m')}:1"]
    assert [g["key"] for g in runner_up["grants"]] == ["achievement:first-order:0"]


def test_an_external_distributor_short_at_the_periods_end_is_eliminated_once(
        durable_services, clock) -> None:  # type: ignore[no-untyped-def]
    from application.workers.background import evaluate_programs

    services = durable_services
    team = given_team(services)
    assessed = {**RULES, "assessment": {"period_days": 30, "min_orders": 2}}
    program = str(services.distribution.create_program(team.legal, "Glow", assessed)["id"])
    short = given_distributor(services, team, program)
    busy = given_distributor(services, team, program)
    fan = given_distributor(services, team, program, origin="internal")
    clock.advance(minutes=1)
    services.distribution.record_orders(team.ops, program, [
        an_order(f"Q-{n}", busy["id"], clock.now(), ("CLEANSER", 9_950)) for n in (1, 2)])

    def statuses() -> list[tuple[str, int]]:
        return [(shown["status"], shown["version"]) for shown in (
            services.distribution.get_distributor(team.ops, d["id"]) for d in (short, busy, fan))]

    evaluate_programs(services)  # (the store is shared: other programs are assessed too)
    during = statuses()
    clock.advance(days=31)
    evaluate_programs(services)
    after = statuses()
    evaluate_programs(services)

    assert [status for status, _ in during] == ["active"] * 3
    assert [status for status, _ in after] == ["eliminated", "active", "active"]
    assert statuses() == after  # once
    (*_, eliminated) = services.distribution.events.get(UUID(short["id"]))
    assert (eliminated.figures.orders, eliminated.assessment.min_orders) == (0, 2)
    assert "Missed the assessment" in eliminated.reason


def given_one_sale(services, team, clock):  # type: ignore[no-untyped-def]
    """A program whose one distributor sold one serum (29,900 at 20 %: 5,980 earned)."""
    program = given_program(services, team)
    seller = given_distributor(services, team, program)
    clock.advance(minutes=1)
    services.distribution.record_orders(team.ops, program, [
        an_order("S-1", seller["id"], clock.now(), ("SERUM-30", 29_900))])
    return program, seller


def test_a_disqualification_forfeits_what_was_owed_visibly(durable_services, clock) -> None:  # type: ignore[no-untyped-def]
    services = durable_services
    team = given_team(services)
    program, seller = given_one_sale(services, team, clock)

    with pytest.raises(RoleNotAllowed):
        services.disqualifications.disqualify(team.ops, seller["id"], "Breach")
    out = services.disqualifications.disqualify(
        team.legal, seller["id"], "Sold another brand's serum to our fan group")
    services.read_models.catch_up()
    ledger = services.program_reports.ledger(team.finance, program)

    assert (out["status"], out["forfeited"]) == ("disqualified", 5_980)
    assert (ledger["accrued"], ledger["forfeited"], ledger["owed"]) == (5_980, 5_980, 0)
    with pytest.raises(InvalidValue, match="disqualified"):
        services.distribution.record_orders(team.ops, program, [
            an_order("F-2", seller["id"], clock.now(), ("SERUM-30", 100))])


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=2),
                          st.sampled_from(["SERUM-30", "CLEANSER"]),
                          st.integers(min_value=1, max_value=10**7), st.booleans()),
                min_size=1, max_size=12))
def test_statements_sum_to_the_ledger(durable_services, clock, orders) -> None:  # type: ignore[no-untyped-def]
    """Whatever the orders, refunds and rewards, a month's statements add up to what the
    ledger says is owed."""
    from application.workers.background import evaluate_programs

    services = durable_services
    team = given_team(services)
    program = str(services.distribution.create_program(team.legal, "Glow", REWARDING)["id"])
    first = given_distributor(services, team, program)
    people = [first, given_distributor(services, team, program, first["id"]),
              given_distributor(services, team, program)]
    placed = clock.now() + timedelta(minutes=1)
    clock.advance(minutes=2)
    services.distribution.record_orders(team.ops, program, [
        an_order(f"H-{n}", people[who]["id"], placed, (sku, amount))
        for n, (who, sku, amount, _) in enumerate(orders)])
    for n, (_, _, _, refunded) in enumerate(orders):
        if refunded:
            services.distribution.reverse_order(team.ops, program, f"H-{n}", "refund")
    evaluate_programs(services)  # rewards, red envelopes among them
    services.read_models.catch_up()
    month = clock.now().strftime("%Y-%m")

    statements = services.program_reports.statements(team.finance, program, month)
    ledger = services.program_reports.ledger(team.finance, program)

    assert statements["payable"] == ledger["owed"]
    assert sum(s["sales"] for s in statements["statements"]) == ledger["sales"]


def test_a_disqualified_distributors_statement_pays_nothing(durable_services, clock) -> None:  # type: ignore[no-untyped-def]
    services = durable_services
    team = given_team(services)
    program, seller = given_one_sale(services, team, clock)
    services.disqualifications.disqualify(team.legal, seller["id"], "Breach of the rules")
    services.read_models.catch_up()

    (statement,) = services.program_reports.statements(
        team.finance, program, clock.now().strftime("%Y-%m"), seller["id"])["statements"]
    other_brand = given_team(services)

    assert (statement["earned"], statement["forfeited"], statement["payable"]) == (
        5_980, 5_980, 0)
    with pytest.raises(NotFound):
        services.program_reports.statements(other_brand.finance, program, "2026-12")


def test_an_honour_is_a_certificate_to_download_and_check(durable_services, clock) -> None:  # type: ignore[no-untyped-def]
    from application.workers.background import evaluate_programs

    services = durable_services
    team = given_team(services)
    program = str(services.distribution.create_program(team.legal, "Glow", REWARDING)["id"])
    best = given_distributor(services, team, program)
    clock.advance(minutes=1)
    services.distribution.record_orders(team.ops, program, [
        an_order("C-1", best["id"], clock.now(), ("SERUM-30", 29_900))])
    month = clock.now().strftime("%Y-%m")
    clock.advance(days=32)
    evaluate_programs(services)

    page = services.distribution.certificate(team.auditor, best["id"], f"competition:{month}:1")

    assert "Seller of the month" in page and "Lin" in page
    assert f"Rank 1 in the {month} sales competition" in page and "SHA-256" in page
    with pytest.raises(NotFound):  # a reward that is not an honour has no certificate
        services.distribution.certificate(team.auditor, best["id"],
                                          "achievement:first-order:0")
    with pytest.raises(NotFound):
        services.distribution.certificate(given_team(services).auditor, best["id"],
                                          f"competition:{month}:1")


def test_a_months_statement_is_issued_once_and_a_late_order_waits_for_the_next(
        durable_services, clock) -> None:  # type: ignore[no-untyped-def]
    from application.workers.background import evaluate_programs

    services = durable_services
    team = given_team(services)
    program, seller = given_one_sale(services, team, clock)
    month = clock.now().strftime("%Y-%m")
    placed_in_month = clock.now()
    clock.advance(days=32)  # the month is over

    evaluate_programs(services)
    issued = services.distribution.get_statement(team.finance, seller["id"], month)
    services.distribution.record_orders(team.ops, program, [  # imported late
        an_order("LATE-1", seller["id"], placed_in_month, ("CLEANSER", 10_000))])
    evaluate_programs(services)
    again = services.distribution.get_statement(team.finance, seller["id"], month)
    services.read_models.catch_up()
    next_month = services.program_reports.statements(team.finance, program,
                                                     clock.now().strftime("%Y-%m"))

    assert (issued["earned"], issued["payable"], issued["version"]) == (5_980, 5_980, 1)
    assert again == issued  # kept as it was stated
    assert [s["earned"] for s in next_month["statements"]] == [800]  # booked when recorded
    with pytest.raises(NotFound):
        services.distribution.get_statement(given_team(services).finance, seller["id"], month)
