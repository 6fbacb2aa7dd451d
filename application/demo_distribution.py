"""Demo data for KOC distribution: a program the brand has run for five weeks, with
three levels, commissions by product (a second level for recruiters), a first-order
gift, a monthly competition and an assessment for external distributors; four
distributors and a month of their orders, one of them refunded. The background worker
then promotes and rewards them from the figures."""

from datetime import datetime, timedelta
from typing import Any

from application.bootstrap import Services
from application.common.actor import Actor

PROGRAM_RULES: dict[str, Any] = {
    "currency": "CNY",
    "commissions": [
        {"sku": "SERUM-30ML", "rate_bp": 2000, "second_level_bp": 500},  # high margin
        {"sku": "CREAM-50ML", "rate_bp": 1500, "second_level_bp": 300},  # hot seller
        {"sku": "CLEANSER", "rate_bp": 800}],
    "levels": [
        {"key": "bronze", "name": "Bronze"},
        {"key": "silver", "name": "Silver", "criteria": {"orders": 5},
         "rewards": [{"kind": "red_envelope", "description": "Silver red envelope",
                      "amount": 8_800}]},
        {"key": "gold", "name": "Gold", "criteria": {"orders": 12, "sales": 300_000,
                                                     "recruits": 1},
         "rewards": [{"kind": "certificate", "description": "Gold distributor"},
                     {"kind": "membership", "description": "A year of VIP membership"}]}],
    "achievements": [
        {"key": "first-order", "name": "First order", "kind": "first_order",
         "rewards": [{"kind": "physical", "description": "A 5 ml serum",
                      "sku": "SERUM-5ML"}]}],
    "competition": {"metric": "sales", "prizes": [
        {"rank": 1, "reward": {"kind": "red_envelope", "description": "Seller of the month",
                               "amount": 28_800}},
        {"rank": 2, "reward": {"kind": "coupon", "description": "200 CNY coupon"}}]},
    "assessment": {"period_days": 30, "min_orders": 3},
}
KOCS: list[tuple[str, str, str]] = [  # name, handle, origin
    ("Su Qing", "suqing_glow", "internal"), ("Tang Mei", "tangmei_skin", "external"),
    ("Guo Lei", "guolei_home", "internal"), ("He Yu", "heyu_daily", "external")]
ORDERS_EACH = (14, 6, 3, 1)  # a month of orders, spread over the last thirty days
BASKETS = (("SERUM-30ML", 29_900), ("CREAM-50ML", 19_900), ("CLEANSER", 9_900))


def seed_program(services: Services, legal: Actor, ops: Actor) -> dict[str, Any]:
    now = services.distribution.clock.now()
    program = services.distribution.create_program(
        legal, "Glow KOC circle", PROGRAM_RULES, began_on=(now - timedelta(days=35)).date())
    services.distribution.move_cohort(ops, program["id"], "training")
    distributors: list[dict[str, Any]] = []
    for name, handle, origin in KOCS:
        creator = services.creators.register_creator(ops, {
            "display_name": name, "kind": "KOC", "categories": ["skincare"],
            "handles": [{"platform": "wechat", "handle": handle, "followers": 600}]})
        recruiter = distributors[0]["id"] if name == "Tang Mei" else None  # Su Qing's
        distributors.append(services.distribution.enrol(ops, program["id"], creator["id"],
                                                        origin, recruiter))
    services.distribution.record_orders(ops, program["id"], [
        month_of_orders(n, d["tracking_code"], who, now)
        for who, (d, count) in enumerate(zip(distributors, ORDERS_EACH, strict=True))
        for n in range(count)])
    services.distribution.reverse_order(ops, program["id"], "GLOW-1-0", "refund",
                                        reason="Returned unopened")
    return {"program": program["id"], "distributors": [d["id"] for d in distributors]}


def month_of_orders(n: int, code: str, who: int, now: datetime) -> dict[str, Any]:
    sku, price = BASKETS[(n + who) % len(BASKETS)]
    quantity = 1 + n % 2
    return {"order_id": f"GLOW-{who}-{n}",
            "placed_at": now - timedelta(days=29 - (2 * n) % 30, hours=who),
            "currency": "CNY", "distributor": code,
            "lines": [{"sku": sku, "quantity": quantity, "amount": price * quantity}]}
