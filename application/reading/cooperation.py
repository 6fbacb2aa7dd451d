"""A creator's cooperation record: what working with them has been like, from the
events — the contracts (with their campaigns), deliverables published on time and
late, compliance problems caught, make-good targets missed, what the brand committed
and paid them per currency, and what their results cost (the cost lens)."""

from typing import Any

from application.common.actor import READERS, Actor, requires
from application.creators.creators import CreatorsApp
from application.ports.read_models import MAX_LIMIT
from application.reading.lists import Lists
from application.reading.metrics_reports import MetricsReports

NOTHING_YET = {"contracts": 0, "last_worked_with": None, "published": 0, "on_time": 0,
               "late": 0, "violations": 0, "make_goods_breached": 0}
MONEY = ("committed", "paid", "held")


class CooperationRecords:
    def __init__(self, creators: CreatorsApp, lists: Lists, metrics: MetricsReports) -> None:
        self.creators, self.lists, self.metrics = creators, lists, metrics

    @requires(*READERS, action="read creators")
    def cooperation(self, actor: Actor, creator_id: str) -> dict[str, Any]:
        creator = self.creators.creator_for(actor, creator_id)  # another brand's: not found
        only = {"creator_id": str(creator.id)}
        found = self.lists.creators(actor, filters=dict(only), sort="created_at",
                                    limit=1).page.items
        contracts = self.lists.contracts(actor, filters=dict(only), sort="-created_at",
                                         limit=MAX_LIMIT).page.items
        totals = self.lists.payout_totals(actor, dict(only))
        lens = self.metrics.cost_lens(actor, "creator", creator_id=str(creator.id))["rows"]
        return {
            "creator_id": str(creator.id),
            **(found[0]["cooperation"] if found else NOTHING_YET),
            "on_time_pct": on_time_pct(found[0]["cooperation"]) if found else None,
            "contract_list": [{k: c.get(k) for k in ("contract_id", "title", "status",
                                                      "campaign", "campaign_id")}
                              for c in contracts],
            "money": {currency: {k: figures[k] for k in MONEY}
                      for currency, figures in sorted(totals.items())},
            "cost_lens": [{k: row[k] for k in ("currency", "cost", "engaged_views", "follows",
                                               "orders", "cost_per_engaged_view",
                                               "cost_per_follower", "cost_per_order")}
                          for row in lens]}


def on_time_pct(record: dict[str, Any]) -> int | None:
    """Of their published deliverables, the share on time (None before the first)."""
    return None if not record["published"] else record["on_time"] * 100 // record["published"]
