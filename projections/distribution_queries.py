"""Reading the distribution ledger: distributors a page at a time, what each did in a
span of months (orders, sales net of refunds, commission earned and taken back), the
month's standings, and a program's totals."""

from collections.abc import Collection
from typing import Any

from application.ports.read_models import Page
from projections.pages import fetch_page, sort_by
from projections.queries import equal, in_brands
from projections.view import ReadModelView


def programs(view: ReadModelView, brand_ids: Collection[str], filters: dict[str, Any],
             sort: str, cursor: str | None, limit: int) -> Page:
    conditions = [in_brands("p.brand_id", brand_ids), *equal("p.stage", filters.get("stage"))]
    order = sort_by(sort, {"created_at": "p.created_at", "name": "p.name"}, "p.program_id")
    return fetch_page(view, "SELECT p.* FROM {distribution_programs} p", conditions, order,
                      cursor, limit)


def distributors(view: ReadModelView, brand_ids: Collection[str], filters: dict[str, Any],
                 sort: str, cursor: str | None, limit: int) -> Page:
    conditions = [in_brands("d.brand_id", brand_ids),
                  *equal("d.program_id", filters.get("program_id")),
                  *equal("d.status", filters.get("status")),
                  *equal("d.origin", filters.get("origin")),
                  *equal("d.level", filters.get("level")),
                  *equal("d.recruiter_id", filters.get("recruiter_id"))]
    order = sort_by(sort, {"created_at": "d.created_at"}, "d.distributor_id")
    return fetch_page(view, "SELECT d.* FROM {distribution_distributors} d", conditions,
                      order, cursor, limit)


def figures(view: ReadModelView, program_id: str, since: str | None = None,
            until: str | None = None) -> dict[str, dict[str, int]]:
    """Per distributor, over the lines counted from `since` up to (not including) `until`
    (UTC times as the ledger writes them): orders (those not wholly refunded), sales net
    of refunds (as the seller), commission earned and taken back (both levels)."""
    conditions, params = ["program_id = %s"], [program_id]
    for bound, value in ((">=", since), ("<", until)):
        if value:
            conditions.append(f"at {bound} %s")
            params.append(value)
    where = " AND ".join(conditions)
    per_order = view.read(
        "SELECT distributor_id, order_key, "
        "SUM(CASE WHEN tier = 1 THEN sales ELSE 0 END) AS sales, "
        "SUM(CASE WHEN commission > 0 THEN commission ELSE 0 END) AS earned, "
        "SUM(CASE WHEN commission < 0 THEN commission ELSE 0 END) AS taken_back, "
        "SUM(CASE WHEN tier = 1 AND kind = 'order' THEN 1 ELSE 0 END) AS sold "
        f"FROM {{distribution_lines}} WHERE {where} GROUP BY distributor_id, order_key",
        params)
    found: dict[str, dict[str, int]] = {}
    for row in per_order:
        kept = found.setdefault(row["distributor_id"], {"orders": 0, "sales": 0, "earned": 0,
                                                        "taken_back": 0})
        kept["sales"] += int(row["sales"])
        kept["earned"] += int(row["earned"])
        kept["taken_back"] += int(row["taken_back"])
        kept["orders"] += int(row["sold"] > 0 and row["sales"] > 0)
    return found


def recruits(view: ReadModelView, program_id: str) -> dict[str, int]:
    """Per recruiter, the distributors they recruited who are still in the program."""
    return {row["recruiter_id"]: int(row["recruits"]) for row in view.read(
        "SELECT recruiter_id, COUNT(*) AS recruits FROM {distribution_distributors} "
        "WHERE program_id = %s AND recruiter_id IS NOT NULL AND status IN "
        "('active', 'suspended') GROUP BY recruiter_id", [program_id])}


def program_ledger(view: ReadModelView, program_id: str) -> dict[str, int]:
    """Accrued (every commission earned), reversed (taken back by refunds and
    cancellations, as a negative figure) and forfeited (by disqualified distributors)."""
    lines = view.read("SELECT SUM(CASE WHEN commission > 0 THEN commission ELSE 0 END) AS "
                      "accrued, SUM(CASE WHEN commission < 0 THEN commission ELSE 0 END) AS "
                      "reversed, SUM(CASE WHEN tier = 1 THEN sales ELSE 0 END) AS sales "
                      "FROM {distribution_lines} WHERE program_id = %s", [program_id])[0]
    forfeited = view.read("SELECT SUM(forfeited) AS forfeited FROM "
                          "{distribution_distributors} WHERE program_id = %s",
                          [program_id])[0]["forfeited"]
    rewards = view.read("SELECT SUM(amount) AS amount FROM {distribution_rewards} "
                        "WHERE program_id = %s", [program_id])[0]["amount"]
    return {"sales": int(lines["sales"] or 0), "accrued": int(lines["accrued"] or 0),
            "reversed": int(lines["reversed"] or 0), "rewards": int(rewards or 0),
            "forfeited": int(forfeited or 0)}


def statements(view: ReadModelView, program_id: str, month: str) -> list[dict[str, Any]]:
    """Each distributor's month, by what was booked in it: sales as the seller,
    commission earned (both levels), taken back by refunds, reward money granted (red
    envelopes), and the rewards."""
    lines = {row["distributor_id"]: row for row in view.read(
        "SELECT distributor_id, SUM(CASE WHEN tier = 1 THEN sales ELSE 0 END) AS sales, "
        "SUM(CASE WHEN commission > 0 THEN commission ELSE 0 END) AS earned, "
        "SUM(CASE WHEN commission < 0 THEN commission ELSE 0 END) AS taken_back "
        "FROM {distribution_lines} WHERE program_id = %s AND booked = %s "
        "GROUP BY distributor_id", [program_id, month])}
    rewards: dict[str, list[dict[str, Any]]] = {}
    for row in view.read("SELECT distributor_id, grant_key, kind, description, amount, why, "
                         "at FROM {distribution_rewards} WHERE program_id = %s AND "
                         "month = %s ORDER BY at, grant_key", [program_id, month]):
        rewards.setdefault(row.pop("distributor_id"), []).append(row)
    found = []
    for distributor in view.read("SELECT distributor_id, creator_id, status, forfeited FROM "
                                 "{distribution_distributors} WHERE program_id = %s "
                                 "ORDER BY created_at, distributor_id", [program_id]):
        mine, granted = lines.get(distributor["distributor_id"], {}), \
            rewards.get(distributor["distributor_id"], [])
        if not mine and not granted:
            continue
        found.append({**distributor, "sales": int(mine.get("sales") or 0),
                      "earned": int(mine.get("earned") or 0),
                      "taken_back": int(mine.get("taken_back") or 0),
                      "reward_money": sum(int(r["amount"]) for r in granted),
                      "rewards": granted})
    return found


def reward_money(view: ReadModelView, program_id: str) -> dict[str, int]:
    """Per distributor, the money their rewards carried (red envelopes), all months."""
    return {row["distributor_id"]: int(row["amount"]) for row in view.read(
        "SELECT distributor_id, SUM(amount) AS amount FROM {distribution_rewards} "
        "WHERE program_id = %s GROUP BY distributor_id", [program_id])}
