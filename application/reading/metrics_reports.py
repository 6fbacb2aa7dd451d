"""What the content achieved: per deliverable, per contract, per campaign; and what it
cost per result (the cost lens).

Figures come from the metrics-summary read model (the latest value of each
metric per deliverable, added up over the scope); visits counted on the
tracked links are reported beside them, as kolpact's own count. The cost lens
reads its own read model, where payouts and results sit side by side.
"""

from decimal import Decimal
from typing import Any

from application.common.actor import READERS, Actor, requires
from application.content.tracked_links import TrackedLinks
from application.ports.read_models import ReadModelQueries
from application.reading.named_records import NamedRecords
from domain.errors import InvalidValue
from domain.money import ZERO_DECIMAL

SCOPES = ("deliverable_id", "contract_id", "campaign")
LENS_BY = ("campaign", "creator", "contract", "deliverable", "kind")
LENS_LIMIT = 1000  # deliverables in one answer; narrow by campaign, creator or contract
RATIOS = {"engaged_views": "cost_per_engaged_view", "follows": "cost_per_follower",
          "orders": "cost_per_order"}


class MetricsReports:
    def __init__(self, queries: ReadModelQueries, tracked_links: TrackedLinks,
                 named: NamedRecords) -> None:
        self.queries = queries
        self.tracked_links, self.named = tracked_links, named

    @requires(*READERS, action="read metrics")
    def summary(self, actor: Actor, **scope: str | None) -> dict[str, Any]:
        given = {k: v for k, v in scope.items() if k in SCOPES and v}
        if len(given) != 1:
            raise InvalidValue({"scope": "give one of deliverable_id, contract_id or campaign"})
        self.named.ensure_visible(actor, given)
        ((column, value),) = given.items()
        owners, figures = self.queries.metric_figures(sorted(actor.brand_ids), column, value)
        ids = [row["deliverable_id"] for row in owners]
        visits = self.tracked_links.visits(ids)
        parts = [{"deliverable_id": row["deliverable_id"], "contract_id": row["contract_id"],
                  "creator_id": row["creator_id"], "key": row["key"], "index": row["item"],
                  **added_up([f for f in figures if f["deliverable_id"] == row["deliverable_id"]],
                             [visits.get(row["deliverable_id"], {})])}
                 for row in owners]
        return {"scope": given, "deliverables": len(owners),
                **added_up(figures, list(visits.values())),
                "by_deliverable": parts if column != "deliverable_id" else []}


    @requires(*READERS, action="read campaign costs")
    def cost_lens(self, actor: Actor, by: str, **filters: str | None) -> dict[str, Any]:
        """Cost per engaged view, per follower gained and per order, by campaign, creator,
        contract, deliverable or kind of deliverable, per currency; costs in minor units,
        ratios in the currency's major units. `campaign_id` narrows to the contracts in
        that campaign now."""
        if by not in LENS_BY:
            raise InvalidValue({"by": f"must be one of {', '.join(LENS_BY)}"})
        self.named.ensure_visible(actor, filters)
        brands = sorted(actor.brand_ids)
        scope: dict[str, Any] = dict(filters)
        if scope.pop("campaign_id", None):  # a campaign's contracts, however labelled
            scope["contract_ids"] = self.queries.campaign_contract_ids(
                brands, str(filters["campaign_id"]))
        if by == "deliverable":
            rows = self.queries.lens_by_deliverable(brands, scope, LENS_LIMIT + 1)
        elif by == "kind":
            rows = self.queries.lens_by_kind(brands, scope)
        else:
            rows = self.queries.lens_by_group(brands, by, scope)
        return {"by": by, "truncated": len(rows) > LENS_LIMIT,
                "rows": [with_ratios(row) for row in rows[:LENS_LIMIT]]}


def with_ratios(row: dict[str, Any]) -> dict[str, Any]:
    exponent = 0 if row["currency"] in ZERO_DECIMAL else 2
    cost = Decimal(row["cost"]).scaleb(-exponent)
    return {**row, **{ratio: None if not row[metric] else
                      str((cost / row[metric]).quantize(Decimal("0.0001")))
                      for metric, ratio in RATIOS.items()}}


def added_up(figures: list[dict[str, Any]], visits: list[dict[str, int]]) -> dict[str, Any]:
    totals: dict[str, int] = {}
    revenue: dict[str, int] = {}
    for figure in figures:
        if figure["currency"]:
            revenue[figure["currency"]] = revenue.get(figure["currency"], 0) + int(figure["value"])
        else:
            totals[figure["metric"]] = totals.get(figure["metric"], 0) + int(figure["value"])
    return {"totals": dict(sorted(totals.items())),
            "revenue": [{"amount": amount, "currency": currency}
                        for currency, amount in sorted(revenue.items())],
            "tracked_visits": {channel: sum(v.get(channel, 0) for v in visits)
                               for channel in ("link", "qr")},
            "last_measured_at": max((f["measured_at"] for f in figures), default=None)}
