"""What a campaign's board reads of the read models: its contracts, and for each the
deliverables due, overdue and awaiting review, the shipments late and the payouts
awaiting approval; and per currency what its payouts paid and hold.

One query per read model for the whole campaign (contracts named `IN (...)`), never
one per contract.
"""

from collections.abc import Collection
from datetime import date
from typing import Any

from projections.deliverables_board import AWAITING_REVIEW, DONE
from projections.queries import IN_TRANSIT, in_brands
from projections.view import ReadModelView

MAX_CONTRACTS = 1000  # in one campaign's board


def campaign_contracts(view: ReadModelView, brand_ids: Collection[str],
                       campaign_id: str) -> list[dict[str, Any]]:
    brands, params = in_brands("c.brand_id", brand_ids)
    return view.read(
        "SELECT c.contract_id, c.creator_id, n.display_name AS creator_name, c.title, "
        "c.status, c.fee_amount, c.currency, c.active_since FROM {contracts_overview} c "
        "LEFT JOIN {contracts_overview_creators} n ON n.creator_id = c.creator_id "
        f"WHERE {brands} AND c.campaign_id = %s ORDER BY c.created_at, c.contract_id "
        f"LIMIT {MAX_CONTRACTS}", [*params, campaign_id])


def _ids(contract_ids: Collection[str]) -> tuple[str, list[str]]:
    return f"({', '.join(['%s'] * len(contract_ids))})", list(contract_ids)


def deliverable_figures(view: ReadModelView, contract_ids: Collection[str],
                        today: date) -> dict[str, dict[str, Any]]:
    """Per contract: the next item due (the earliest not done), how many are overdue and
    how many await review."""
    figures: dict[str, dict[str, Any]] = {c: {"next_due": None, "overdue": 0,
                                               "awaiting_review": 0} for c in contract_ids}
    if not contract_ids:
        return figures
    listed, params = _ids(contract_ids)
    done = ", ".join(["%s"] * len(DONE))
    for row in view.read(
            "SELECT deliverable_id, contract_id, key, item, status, due_date "
            f"FROM {{deliverables_board}} WHERE contract_id IN {listed} "
            f"AND status NOT IN ({done}) ORDER BY due_date, key, item", [*params, *DONE]):
        shown = figures[row["contract_id"]]
        if shown["next_due"] is None:
            shown["next_due"] = {"deliverable_id": row["deliverable_id"], "key": row["key"],
                                 "item": row["item"], "status": row["status"],
                                 "due_date": row["due_date"]}
        shown["overdue"] += row["due_date"] < today.isoformat()
        shown["awaiting_review"] += row["status"] in AWAITING_REVIEW
    return figures


def late_shipments(view: ReadModelView, contract_ids: Collection[str],
                   today: date) -> dict[str, int]:
    if not contract_ids:
        return {}
    listed, params = _ids(contract_ids)
    moving = ", ".join(["%s"] * len(IN_TRANSIT))
    return {row["contract_id"]: int(row["n"]) for row in view.read(
        f"SELECT contract_id, COUNT(*) AS n FROM {{shipments_tracker}} WHERE contract_id IN "
        f"{listed} AND status IN ({moving}) AND eta < %s GROUP BY contract_id",
        [*params, *IN_TRANSIT, today.isoformat()])}


def payout_figures(view: ReadModelView, contract_ids: Collection[str]
                   ) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """Per contract, the payouts awaiting approval; per currency, what was paid (net of
    reversals) and what is held."""
    if not contract_ids:
        return {}, {}
    listed, params = _ids(contract_ids)
    awaiting: dict[str, int] = {}
    money: dict[str, dict[str, int]] = {}
    for row in view.read(
            "SELECT contract_id, currency, status, COUNT(*) AS n, SUM(amount) AS amount, "
            f"SUM(reversed_amount) AS reversed FROM {{payouts_ledger}} WHERE contract_id IN "
            f"{listed} GROUP BY contract_id, currency, status", params):
        if row["status"] == "release_requested":
            awaiting[row["contract_id"]] = awaiting.get(row["contract_id"], 0) + int(row["n"])
        totals = money.setdefault(row["currency"], {"paid": 0, "held": 0})
        if row["status"] in ("paid", "reversed"):
            totals["paid"] += int(row["amount"]) - int(row["reversed"])
        elif row["status"] == "held":
            totals["held"] += int(row["amount"])
    return awaiting, money
