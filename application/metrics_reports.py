"""What the content achieved: per deliverable, per contract, per campaign.

Figures come from the metrics-summary read model (the latest value of each
metric per deliverable, added up over the scope); visits counted on the
tracked links are reported beside them, as kolpact's own count.
"""

from typing import Any

from application.actor import READERS, Actor
from application.tracking import TrackedLinks
from domain.errors import InvalidValue
from projections import queries
from projections.registry import ReadModels

SCOPES = ("deliverable_id", "contract_id", "campaign")


class MetricsReports:
    def __init__(self, read_models: ReadModels, tracked_links: TrackedLinks,
                 deliverables: Any) -> None:
        self.view = read_models["metrics_summary"].view
        self.tracked_links, self.deliverables = tracked_links, deliverables

    def summary(self, actor: Actor, **scope: str | None) -> dict[str, Any]:
        actor.require(*READERS, action="read metrics")
        given = {k: v for k, v in scope.items() if k in SCOPES and v}
        if len(given) != 1:
            raise InvalidValue({"scope": "give one of deliverable_id, contract_id or campaign"})
        ((column, value),) = given.items()
        owners, figures = queries.metric_figures(self.view, sorted(actor.brand_ids), column,
                                                 value)
        if column == "deliverable_id" and not owners:
            # Not in the read model yet, or not the caller's: the record says which.
            self.deliverables.get_deliverable(actor, value)
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
