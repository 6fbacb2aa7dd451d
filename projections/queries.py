"""What the list endpoints ask of the read models, always within the caller's brands."""

import json
from collections.abc import Collection
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from application.ports.read_models import Page
from domain.shipment import IN_TRANSIT as SHIPMENT_IN_TRANSIT
from projections.columns import moment
from projections.deliverables_board import AWAITING_REVIEW, DONE
from projections.pages import fetch_page, sort_by
from projections.rights_calendar import NEVER
from projections.view import ReadModelView

Condition = tuple[str, list[Any]]
IN_TRANSIT = tuple(status.value for status in SHIPMENT_IN_TRANSIT)
JSON_COLUMNS = ("deliverables_by_state", "next_milestone", "handles", "price_ranges",
                "category_list", "budget")


def one_of(column: str, values: Collection[str]) -> Condition:
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def in_brands(column: str, brand_ids: Collection[str]) -> Condition:
    return one_of(column, brand_ids)


def equal(column: str, value: Any) -> list[Condition]:
    return [] if value is None else [(f"{column} = %s", [value])]


def between(column: str, since: datetime | None, until: datetime | None) -> list[Condition]:
    return ([(f"{column} >= %s", [moment(since)])] if since else []) + \
        ([(f"{column} < %s", [moment(until)])] if until else [])


def contracts(view: ReadModelView, brand_ids: Collection[str], filters: dict[str, Any],
              sort: str, cursor: str | None, limit: int) -> Page:
    select = ("SELECT c.*, n.display_name AS creator_name FROM {contracts_overview} c "
              "LEFT JOIN {contracts_overview_creators} n ON n.creator_id = c.creator_id")
    conditions = [in_brands("c.brand_id", brand_ids),
                  *equal("c.status", filters.get("status")),
                  *equal("c.creator_id", filters.get("creator_id")),
                  *equal("c.campaign", filters.get("campaign")),
                  *equal("c.campaign_id", filters.get("campaign_id")),
                  *between("c.created_at", filters.get("created_from"),
                           filters.get("created_to"))]
    order = sort_by(sort, {"created_at": "c.created_at", "title": "c.title"}, "c.contract_id")
    page = _decoded(fetch_page(view, select, conditions, order, cursor, limit))
    return _with_deliverable_states(view, page)


def campaigns(view: ReadModelView, brand_ids: Collection[str], filters: dict[str, Any],
              sort: str, cursor: str | None, limit: int) -> Page:
    """`status`, `owner_id`; `open`: planned, running or under review."""
    conditions = [in_brands("c.brand_id", brand_ids),
                  *equal("c.status", filters.get("status")),
                  *equal("c.owner_id", filters.get("owner_id"))]
    if filters.get("open"):
        conditions.append(("c.status IN (%s, %s, %s)", ["planned", "running", "reviewing"]))
    order = sort_by(sort, {"created_at": "c.created_at", "starts_on": "c.starts_on",
                           "name": "c.name"}, "c.campaign_id")
    return _decoded(fetch_page(view, "SELECT c.* FROM {campaigns_overview} c", conditions,
                               order, cursor, limit))


def _with_deliverable_states(view: ReadModelView, page: Page) -> Page:
    """Once a contract's deliverables exist, their own states are what count."""
    ids = [item["contract_id"] for item in page.items]
    if not ids:
        return page
    counts: dict[str, dict[str, int]] = {}
    for row in view.read("SELECT contract_id, status, COUNT(*) AS n FROM "
                         "{contracts_overview_deliverables} WHERE contract_id IN "
                         f"({', '.join(['%s'] * len(ids))}) GROUP BY contract_id, status", ids):
        counts.setdefault(row["contract_id"], {})[row["status"]] = int(row["n"])
    for item in page.items:
        item["deliverables_by_state"] = counts.get(item["contract_id"],
                                                   item["deliverables_by_state"])
    return page


def creators(view: ReadModelView, brand_ids: Collection[str], filters: dict[str, Any],
             sort: str, cursor: str | None, limit: int) -> Page:
    """With each its cooperation record; `worked_with`: creators with a contract in force
    at some time; `min_on_time_pct`: those whose published deliverables were on time at
    least that often."""
    conditions = [in_brands("d.brand_id", brand_ids),
                  *equal("d.kind", filters.get("kind")),
                  *equal("d.status", filters.get("status"))]
    if filters.get("platform"):
        conditions.append(("d.platforms LIKE %s", [f"%,{filters['platform']},%"]))
    if filters.get("category"):
        conditions.append(("d.categories LIKE %s", [f"%,{filters['category'].casefold()},%"]))
    if filters.get("min_followers") is not None:
        conditions.append(("d.total_followers >= %s", [filters["min_followers"]]))
    if filters.get("q"):
        conditions.append(("LOWER(d.display_name) LIKE %s", [f"%{filters['q'].lower()}%"]))
    conditions += equal("d.owner_id", filters.get("owner_id")) + \
        equal("d.creator_id", filters.get("creator_id"))
    if filters.get("folder_id"):
        conditions.append(("d.creator_id IN (SELECT creator_id FROM {creators_folder_members} "
                           "WHERE folder_id = %s)", [filters["folder_id"]]))
    if filters.get("max_followers") is not None:
        conditions.append(("d.total_followers <= %s", [filters["max_followers"]]))
    if filters.get("min_engagement_bp") is not None:
        conditions.append(("d.best_engagement_bp >= %s", [filters["min_engagement_bp"]]))
    if filters.get("price_format") or filters.get("price_currency") or \
            filters.get("max_price") is not None or filters.get("min_price") is not None:
        conditions.append(_price_condition(filters))
    if filters.get("worked_with"):
        conditions.append(("k.contracts > 0", []))
    if filters.get("worked_with_since") is not None:
        conditions.append(("k.last_worked_with >= %s", [moment(filters["worked_with_since"])]))
    if filters.get("min_on_time_pct") is not None:
        conditions.append(("k.published > 0 AND k.on_time * 100 >= %s * k.published",
                           [filters["min_on_time_pct"]]))
    if filters.get("follow_up_by") is not None:  # follow-ups due by that day
        conditions.append(("d.next_follow_up <= %s", [filters["follow_up_by"].isoformat()]))
    order = sort_by(sort, {"created_at": "d.created_at", "display_name": "d.display_name",
                           "next_follow_up": "d.next_follow_up",
                           "last_worked_with": "k.last_worked_with"}, "d.creator_id")
    if order.name.removeprefix("-") == "next_follow_up":  # by follow-up: those that have one
        conditions.append(("d.next_follow_up IS NOT NULL", []))
    if order.name.removeprefix("-") == "last_worked_with":  # those the brand worked with
        conditions.append(("k.last_worked_with > ''", []))
    page = _decoded(fetch_page(
        view, "SELECT d.*, k.contracts AS coop_contracts, k.last_worked_with, k.published, "
              "k.on_time, k.late, k.violations, k.make_goods_breached "
              "FROM {creators_directory} d LEFT JOIN "
              "{creators_cooperation} k ON k.creator_id = d.creator_id", conditions, order,
        cursor, limit))
    for item in page.items:
        item["cooperation"] = {
            "contracts": item.pop("coop_contracts") or 0,
            "last_worked_with": item.pop("last_worked_with") or None,
            **{name: item.pop(name) or 0 for name in ("published", "on_time", "late",
                                                       "violations", "make_goods_breached")}}
    return page


def creator_handles(view: ReadModelView, brand_id: str) -> list[tuple[str, list[Any]]]:
    """Every creator of the brand with their platform handles."""
    return [(row["creator_id"], json.loads(row["handles"])) for row in view.read(
        "SELECT creator_id, handles FROM {creators_directory} WHERE brand_id = %s", [brand_id])]


def _price_condition(filters: dict[str, Any]) -> Condition:
    """A price range of theirs for that format and currency that overlaps the budget:
    one that starts at or below `max_price` and ends at or above `min_price`."""
    parts = [*equal("p.format", filters.get("price_format")),
             *equal("p.currency", filters.get("price_currency"))]
    if filters.get("max_price") is not None:
        parts.append(("p.min_amount <= %s", [filters["max_price"]]))
    if filters.get("min_price") is not None:
        parts.append(("p.max_amount >= %s", [filters["min_price"]]))
    where = " AND ".join(sql for sql, _ in parts)
    return (f"d.creator_id IN (SELECT p.creator_id FROM {{creators_prices}} p WHERE {where})",
            [value for _, values in parts for value in values])


def folders(view: ReadModelView, brand_ids: Collection[str], filters: dict[str, Any],
            sort: str, cursor: str | None, limit: int) -> Page:
    """`creator_id`: the folders that creator is in."""
    conditions = [in_brands("f.brand_id", brand_ids)]
    if filters.get("creator_id"):
        conditions.append(("f.folder_id IN (SELECT folder_id FROM {creators_folder_members} "
                           "WHERE creator_id = %s)", [filters["creator_id"]]))
    order = sort_by(sort, {"name": "f.name", "created_at": "f.created_at"}, "f.folder_id")
    return fetch_page(view, "SELECT f.* FROM {creators_folders} f", conditions, order, cursor,
                      limit)


def activity(view: ReadModelView, brand_ids: Collection[str], filters: dict[str, Any],
             sort: str, cursor: str | None, limit: int) -> Page:
    conditions = [in_brands("a.brand_id", brand_ids),
                  *equal("a.aggregate_id", filters.get("aggregate_id")),
                  *equal("a.aggregate", filters.get("aggregate")),
                  *equal("a.event", filters.get("event")),
                  *equal("a.actor", filters.get("actor")),
                  *between("a.time", filters.get("since"), filters.get("until"))]
    order = sort_by(sort, {"time": "a.time"}, "a.event_key")
    return fetch_page(view, "SELECT a.* FROM {activity_feed} a", conditions, order, cursor,
                      limit)


def deliverables(view: ReadModelView, brand_ids: Collection[str], filters: dict[str, Any],
                 sort: str, cursor: str | None, limit: int) -> Page:
    """`today` comes from the application's clock, so tests can move time."""
    today = filters["today"].isoformat()
    conditions = [in_brands("b.brand_id", brand_ids),
                  *equal("b.status", filters.get("status")),
                  *equal("b.contract_id", filters.get("contract_id"))]
    done = ", ".join(["%s"] * len(DONE))
    awaiting = ", ".join(["%s"] * len(AWAITING_REVIEW))
    if filters.get("overdue"):
        conditions.append((f"b.due_date < %s AND b.status NOT IN ({done})", [today, *DONE]))
    if filters.get("due_within_days") is not None:
        until = (filters["today"] + timedelta(days=filters["due_within_days"])).isoformat()
        conditions.append((f"b.due_date >= %s AND b.due_date <= %s AND b.status NOT IN "
                           f"({done})", [today, until, *DONE]))
    if filters.get("awaiting_review"):
        conditions.append((f"b.status IN ({', '.join(['%s'] * len(AWAITING_REVIEW))})",
                           list(AWAITING_REVIEW)))
    if filters.get("needs_legal"):
        conditions.append(("b.needs_legal = %s", [True]))
    if filters.get("review_overdue"):
        conditions.append((f"b.review_due < %s AND b.status IN ({awaiting})",
                           [today, *AWAITING_REVIEW]))
    if filters.get("has_proposals"):
        conditions.append(("b.open_proposals > 0", []))
    if filters.get("for_me"):
        conditions.append(_waiting_for(filters["roles"]))
    order = sort_by(sort, {"due_date": "b.due_date", "created_at": "b.created_at"},
                    "b.deliverable_id")
    page = fetch_page(view, "SELECT b.* FROM {deliverables_board} b", conditions, order,
                      cursor, limit)
    for item in page.items:
        item["overdue"] = item["due_date"] < today and item["status"] not in DONE
        item["review_overdue"] = bool(item["review_due"]) and item["review_due"] < today \
            and item["status"] in AWAITING_REVIEW
        for flag in ("review_required", "needs_legal"):
            item[flag] = bool(item[flag])
    return page


def _waiting_for(roles: Collection[str]) -> Condition:
    """What waits on the caller's role: ops reviews compliant submissions and decides on
    proposed extensions; legal decides on non-compliant ones. Other roles have none."""
    awaiting = ", ".join(["%s"] * len(AWAITING_REVIEW))
    cases: list[Condition] = []
    if "ops" in roles:
        cases += [(f"(b.status IN ({awaiting}) AND b.needs_legal = %s)",
                   [*AWAITING_REVIEW, False]), ("b.open_proposals > 0", [])]
    if "legal" in roles:
        cases.append(("b.needs_legal = %s", [True]))
    if not cases:
        return "1 = 0", []
    return "(" + " OR ".join(c for c, _ in cases) + ")", [p for _, ps in cases for p in ps]


def _decoded(page: Page) -> Page:
    """JSON columns back into values; SQLite's 0/1 back into booleans."""
    for item in page.items:
        for column in JSON_COLUMNS:
            if isinstance(item.get(column), str):
                item[column] = json.loads(item[column])
        if "has_payout_account" in item:
            item["has_payout_account"] = bool(item["has_payout_account"])
    return page


def shipments(view: ReadModelView, brand_ids: Collection[str], filters: dict[str, Any],
              sort: str, cursor: str | None, limit: int) -> Page:
    """`state`: in_transit (dispatched or delayed), or one status; `late`: in transit past
    the ETA on the application's clock."""
    state = filters.get("state")
    statuses = IN_TRANSIT if state == "in_transit" else ((state,) if state else ())
    conditions = [in_brands("s.brand_id", brand_ids),
                  *equal("s.contract_id", filters.get("contract_id")),
                  *equal("s.creator_id", filters.get("creator_id"))]
    if statuses:
        conditions.append((f"s.status IN ({', '.join(['%s'] * len(statuses))})",
                           list(statuses)))
    if filters.get("deliverable_id"):
        conditions.append(("s.deliverable_ids LIKE %s", [f"%,{filters['deliverable_id']},%"]))
    if filters.get("late"):
        conditions.append((f"s.eta < %s AND s.status IN ({', '.join(['%s'] * len(IN_TRANSIT))})",
                           [filters["today"].isoformat(), *IN_TRANSIT]))
    order = sort_by(sort, {"created_at": "s.created_at", "updated_at": "s.updated_at"},
                    "s.shipment_id")
    page = fetch_page(view, "SELECT s.* FROM {shipments_tracker} s", conditions, order,
                      cursor, limit)
    for item in page.items:
        item["deliverable_ids"] = [d for d in item["deliverable_ids"].split(",") if d]
    return page


def metric_figures(view: ReadModelView, brand_ids: Collection[str], column: str,
                   value: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The deliverables in scope (one deliverable, a contract's or a campaign's), and the
    latest figure of each metric for each of them."""
    assert column in ("deliverable_id", "contract_id", "campaign")
    brands, params = in_brands("d.brand_id", brand_ids)
    where = f"{brands} AND d.{column} = %s"
    owners = view.read(f"SELECT d.* FROM {{metric_deliverables}} d WHERE {where} "
                       "ORDER BY d.contract_id, d.key, d.item", [*params, value])
    figures = view.read(f"SELECT f.* FROM {{metric_figures}} f JOIN {{metric_deliverables}} d "
                        f"ON d.deliverable_id = f.deliverable_id WHERE {where}",
                        [*params, value])
    return owners, figures


def payouts(view: ReadModelView, brand_ids: Collection[str], filters: dict[str, Any],
            sort: str, cursor: str | None, limit: int) -> Page:
    """`awaiting_my_approval`: release requested by someone else, not yet approved by the
    caller (`me`, set by the application)."""
    conditions = [in_brands("p.brand_id", brand_ids),
                  *equal("p.status", filters.get("status")),
                  *equal("p.creator_id", filters.get("creator_id")),
                  *equal("p.contract_id", filters.get("contract_id")),
                  *equal("p.campaign", filters.get("campaign")),
                  *equal("p.currency", filters.get("currency")),
                  *equal("p.kind", filters.get("kind"))]
    if filters.get("awaiting_my_approval"):
        me = filters["me"]
        conditions.append(("p.status = %s AND p.requested_by <> %s AND p.approved_by NOT LIKE %s",
                           ["release_requested", me, f"%,{me},%"]))
    order = sort_by(sort, {"created_at": "p.created_at", "updated_at": "p.updated_at"},
                    "p.payout_id")
    page = fetch_page(view, "SELECT p.* FROM {payouts_ledger} p", conditions, order, cursor,
                      limit)
    for item in page.items:
        item["approved_by"] = [a for a in item["approved_by"].split(",") if a]
    return page


def payout_totals(view: ReadModelView, brand_ids: Collection[str], filters: dict[str, Any]
                  ) -> dict[str, dict[str, int]]:
    """Per currency: committed (everything not waived), and the amounts in each state."""
    brands, params = in_brands("brand_id", brand_ids)
    conditions = [(brands, params), *equal("creator_id", filters.get("creator_id")),
                  *equal("contract_id", filters.get("contract_id")),
                  *equal("campaign", filters.get("campaign"))]
    where = " AND ".join(f"({c})" for c, _ in conditions)
    rows = view.read(f"SELECT currency, status, kind, SUM(amount) AS amount, "
                     f"SUM(scheduled_amount - amount) AS adjusted, "
                     f"SUM(reversed_amount) AS reversed FROM {{payouts_ledger}} WHERE {where} "
                     "GROUP BY currency, status, kind", [p for _, ps in conditions for p in ps])
    totals: dict[str, dict[str, int]] = {}
    for row in rows:
        currency = totals.setdefault(row["currency"], dict.fromkeys(TOTALS, 0))
        amount = int(row["amount"])
        if row["status"] != "waived":
            currency["committed"] += amount
            if row["kind"] == "bonus":  # earned on top of the fee, not taken off it
                currency["bonus"] += amount
            else:
                currency["adjusted"] += int(row["adjusted"])
        if row["status"] in TOTALS and row["status"] != "reversed":  # reversed: by amount
            currency[row["status"]] += amount
        currency["reversed"] += int(row["reversed"])
    return totals


TOTALS = ("committed", "scheduled", "due", "release_requested", "approved", "submitted", "paid",
          "held", "failed", "waived", "reversed", "adjusted", "bonus")


CHECKPOINTS = (0, 14, 30, 45)  # days before a right ends when people are told


def usage_rights(view: ReadModelView, brand_ids: Collection[str], filters: dict[str, Any],
                 sort: str, cursor: str | None, limit: int) -> Page:
    """`expiring_within`: rights in force whose last day is within that many days of
    `today` (the application's clock); each row says its days left and checkpoint."""
    today = filters["today"]
    conditions = [in_brands("r.brand_id", brand_ids),
                  *equal("r.status", filters.get("status")),
                  *equal("r.creator_id", filters.get("creator_id")),
                  *equal("r.contract_id", filters.get("contract_id")),
                  *equal("r.campaign", filters.get("campaign"))]
    if filters.get("channel"):
        conditions.append(("r.channels LIKE %s", [f"%,{filters['channel']},%"]))
    if filters.get("expiring_within") is not None:
        until = today + timedelta(days=filters["expiring_within"])
        conditions.append(("r.status = 'granted' AND r.last_day >= %s AND r.last_day <= %s",
                           [today.isoformat(), until.isoformat()]))
    order = sort_by(sort, {"last_day": "r.last_day", "created_at": "r.created_at"},
                    "r.right_id")
    page = fetch_page(view, "SELECT r.* FROM {rights_calendar} r", conditions, order, cursor,
                      limit)
    for item in page.items:
        item["channels"] = [c for c in item["channels"].split(",") if c]
        item["territories"] = [t.upper() for t in item["territories"].split(",") if t]
        if item["last_day"] == NEVER:
            item["last_day"] = item["days_left"] = item["checkpoint"] = None
            continue
        left = (date.fromisoformat(item["last_day"]) - today).days
        item["days_left"] = left
        item["checkpoint"] = next((c for c in CHECKPOINTS if left <= c), None) \
            if left >= 0 else None
    return page


def make_goods(view: ReadModelView, brand_ids: Collection[str], filters: dict[str, Any],
               sort: str, cursor: str | None, limit: int) -> Page:
    """`window_closed`: armed rules whose measurement window has closed by `now` (the
    worker evaluates these), or, false, those still waiting."""
    conditions = [in_brands("m.brand_id", brand_ids),
                  *equal("m.status", filters.get("status")),
                  *equal("m.contract_id", filters.get("contract_id")),
                  *equal("m.creator_id", filters.get("creator_id")),
                  *equal("m.remedy", filters.get("remedy"))]
    closed = filters.get("window_closed")
    if closed is not None:
        window, params = window_closed("m", filters["now"])
        conditions.append((window, params) if closed else (f"NOT ({window})", params))
    order = sort_by(sort, {"created_at": "m.created_at", "updated_at": "m.updated_at",
                           "window_closes": "m.window_closes"}, "m.rule_id")
    return fetch_page(view, "SELECT m.* FROM {make_goods_board} m", conditions, order, cursor,
                      limit)


def window_closed(alias: str, now: datetime) -> Condition:
    """Make-good rules whose measurement window has closed by `now`."""
    return (f"{alias}.window_closes IS NOT NULL AND {alias}.window_closes <= %s",
            [moment(now)])


def closed_armed_rules(view: ReadModelView, now: datetime) -> list[str]:
    """Every brand's armed rules whose window has closed: the worker evaluates these."""
    window, params = window_closed("m", now)
    rows = view.read(f"SELECT m.rule_id FROM {{make_goods_board}} m WHERE m.status = 'armed' "
                     f"AND {window} ORDER BY m.window_closes", params)
    return [row["rule_id"] for row in rows]


LENS_GROUPS = {"campaign": "campaign", "creator": "creator_id", "contract": "contract_id"}
LENS_RESULTS = ("engaged_views", "follows", "orders")
LENS_FILTERS = ("campaign", "creator_id", "contract_id")


def lens_by_group(view: ReadModelView, brand_ids: Collection[str], by: str,
                  filters: dict[str, Any]) -> list[dict[str, Any]]:
    """Per group (campaign, creator or contract) and currency: the cost of its payouts and
    the results of its contracts' deliverables (counted in their contract's currency)."""
    group = LENS_GROUPS[by]
    costs_where, cost_params = _lens_where("c", brand_ids, filters)
    results_where, result_params = _lens_where("r", brand_ids, filters)
    costs = view.read(f"SELECT c.{group} AS grp, c.currency, SUM(c.cost) AS cost, "
                      f"COUNT(DISTINCT c.contract_id) AS contracts FROM {{lens_costs}} c "
                      f"WHERE {costs_where} GROUP BY c.{group}, c.currency", cost_params)
    sums = ", ".join(f"SUM(r.{m}) AS {m}" for m in LENS_RESULTS)
    results = view.read(f"SELECT r.{group} AS grp, c.currency, COUNT(*) AS deliverables, "
                        f"{sums} FROM {{lens_results}} r JOIN (SELECT DISTINCT contract_id, "
                        f"currency FROM {{lens_costs}}) c ON c.contract_id = r.contract_id "
                        f"WHERE {results_where} GROUP BY r.{group}, c.currency", result_params)
    achieved = {(row["grp"], row["currency"]): row for row in results}
    rows = []
    for row in costs:
        done = achieved.get((row["grp"], row["currency"]), {})
        rows.append({group: row["grp"], "currency": row["currency"], "cost": int(row["cost"]),
                     "contracts": int(row["contracts"]),
                     "deliverables": int(done.get("deliverables", 0)),
                     **{m: int(done.get(m) or 0) for m in LENS_RESULTS}})
    return sorted(rows, key=lambda r: (r[group] or "", r["currency"]))


def lens_by_deliverable(view: ReadModelView, brand_ids: Collection[str],
                        filters: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    """Per deliverable and currency: its share of the cost (the payouts tied to its key,
    split over that key's items, plus the untied ones split over all the contract's
    deliverables) and its own results."""
    columns = ("r.deliverable_id, r.contract_id, r.creator_id, r.campaign, r.key, r.item, "
               "r.kind, " + ", ".join(f"r.{m}" for m in LENS_RESULTS))
    rows = _shared_costs(view, brand_ids, filters, columns, columns,
                         "r.campaign, r.contract_id, r.key, r.item", limit)
    return [{**{k: row[k] for k in ("deliverable_id", "contract_id", "creator_id", "campaign",
                                    "key", "kind", "currency")},
             "index": int(row["item"]), "cost": round(row["cost"]),
             **{m: int(row[m]) for m in LENS_RESULTS}} for row in rows]


def lens_by_kind(view: ReadModelView, brand_ids: Collection[str],
                 filters: dict[str, Any]) -> list[dict[str, Any]]:
    """Per kind of deliverable (short video, live stream…) and currency: the deliverables'
    shares of the cost and their results, added up (each deliverable once)."""
    columns = "r.deliverable_id, r.contract_id, r.kind, " + ", ".join(
        f"r.{m}" for m in LENS_RESULTS)
    kinds: dict[tuple[str, str], dict[str, Any]] = {}
    for row in _shared_costs(view, brand_ids, filters, columns, columns, "r.kind", None):
        line = kinds.setdefault((row["kind"], row["currency"]), {
            "kind": row["kind"], "currency": row["currency"], "cost": Decimal(0),
            "contracts": set(), "deliverables": 0, **dict.fromkeys(LENS_RESULTS, 0)})
        line["cost"] += Decimal(str(row["cost"]))  # a float from SQLite, a decimal from PostgreSQL
        line["contracts"].add(row["contract_id"])
        line["deliverables"] += 1
        for metric in LENS_RESULTS:
            line[metric] += int(row[metric])
    return [{**line, "cost": round(line["cost"]), "contracts": len(line["contracts"])}
            for _, line in sorted(kinds.items())]


def _shared_costs(view: ReadModelView, brand_ids: Collection[str], filters: dict[str, Any],
                  select: str, group: str, order: str, limit: int | None
                  ) -> list[dict[str, Any]]:
    """Deliverables' rows with their share of their contract's payouts (see
    lens_by_deliverable), selected and grouped as asked. A deliverable meets each of its
    contract's payouts once; what it achieved is counted once per currency."""
    where, params = _lens_where("r", brand_ids, filters)
    return view.read(
        f"SELECT {select}, c.currency, SUM(CASE "
        f"WHEN c.deliverable_key = r.key THEN c.cost * 1.0 / k.n "
        f"WHEN c.deliverable_key IS NULL THEN c.cost * 1.0 / t.n ELSE 0 END) AS cost "
        f"FROM {{lens_results}} r JOIN {{lens_costs}} c ON c.contract_id = r.contract_id "
        f"JOIN (SELECT contract_id, key, COUNT(*) AS n FROM {{lens_results}} "
        f"GROUP BY contract_id, key) k ON k.contract_id = r.contract_id AND k.key = r.key "
        f"JOIN (SELECT contract_id, COUNT(*) AS n FROM {{lens_results}} GROUP BY contract_id) "
        f"t ON t.contract_id = r.contract_id WHERE {where} GROUP BY {group}, c.currency "
        f"ORDER BY {order}, c.currency" + ("" if limit is None else " LIMIT %s"),
        [*params, *([] if limit is None else [limit])])


def _lens_where(alias: str, brand_ids: Collection[str], filters: dict[str, Any]
                ) -> tuple[str, list[Any]]:
    """The filters on the rows of `alias`, and the currency on the costs' (always `c`)."""
    conditions = [in_brands(f"{alias}.brand_id", brand_ids),
                  *[c for name in LENS_FILTERS for c in equal(f"{alias}.{name}",
                                                               filters.get(name))],
                  *equal("c.currency", filters.get("currency"))]
    if filters.get("contract_ids") is not None:  # a campaign's contracts
        conditions.append(one_of(f"{alias}.contract_id", filters["contract_ids"] or [""]))
    return (" AND ".join(c for c, _ in conditions),
            [p for _, ps in conditions for p in ps])
