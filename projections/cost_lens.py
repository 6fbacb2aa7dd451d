"""Campaign cost lens: what each payout costs and what each deliverable achieved, so that
cost per engaged view, per follower gained and per order can be read by campaign,
creator, contract or deliverable, per currency.

A payout's cost is what is owed or paid: its amount, nothing once waived, less
what a reversal took back. Results are each deliverable's latest figures (they
are cumulative). A payout is tied to a deliverable when its milestone (or its
bonus) names one; the query spreads the others over the contract's deliverables.
"""

from typing import Any

from eventsourcing.persistence import Tracking

from application.infrastructure.sql import Statements
from domain.deliverable import Deliverable
from domain.payout import Payout
from projections.columns import insert, moment, update
from projections.read_model import ReadModel, on
from projections.view import Table

RESULTS = ("engaged_views", "follows", "orders")  # the lens's denominators


class CostLens(ReadModel):
    name = "cost_lens"
    upstream = ("deliverables", "payouts")
    tables = (
        Table("lens_costs",
              "payout_id TEXT PRIMARY KEY, brand_id TEXT NOT NULL, contract_id TEXT NOT NULL, "
              "creator_id TEXT NOT NULL, campaign TEXT, deliverable_key TEXT, "
              "currency TEXT NOT NULL, amount BIGINT NOT NULL, cost BIGINT NOT NULL",
              ("brand_id, campaign", "contract_id")),
        Table("lens_results",
              "deliverable_id TEXT PRIMARY KEY, brand_id TEXT NOT NULL, "
              "contract_id TEXT NOT NULL, creator_id TEXT NOT NULL, campaign TEXT, "
              "key TEXT NOT NULL, item INTEGER NOT NULL, kind TEXT NOT NULL, "
              + ", ".join(f"{m} BIGINT NOT NULL, {m}_at TEXT" for m in RESULTS),
              ("brand_id, campaign", "contract_id")),
    )

    @on(Payout.Scheduled)
    def scheduled(self, event: Payout.Scheduled, sql: Statements, at: Tracking) -> None:
        milestone = event.milestone
        tied_to = milestone.bonus.deliverable_key if event.bonus and milestone.bonus \
            else milestone.deliverable_key
        insert(sql, "lens_costs", {
            "payout_id": str(event.originator_id), "brand_id": event.brand_id,
            "contract_id": event.contract_id, "creator_id": event.creator_id,
            "campaign": event.campaign, "deliverable_key": tied_to,
            "currency": event.amount.currency, "amount": event.amount.amount,
            "cost": event.amount.amount})

    @on(Payout.Adjusted)
    def adjusted(self, event: Payout.Adjusted, sql: Statements, at: Tracking) -> None:
        self._cost(sql, event, amount=event.amount.amount, cost=event.amount.amount)

    @on(Payout.Waived)
    def waived(self, event: Payout.Waived, sql: Statements, at: Tracking) -> None:
        self._cost(sql, event, cost=0)

    @on(Payout.Reversed)
    def reversed(self, event: Payout.Reversed, sql: Statements, at: Tracking) -> None:
        (row,) = sql.run("SELECT amount FROM {lens_costs} WHERE payout_id = %s",
                         [str(event.originator_id)])
        self._cost(sql, event, cost=int(row["amount"]) - event.amount.amount)

    @on(Deliverable.Created)
    def owed(self, event: Deliverable.Created, sql: Statements, at: Tracking) -> None:
        insert(sql, "lens_results", {
            "deliverable_id": str(event.originator_id), "brand_id": event.brand_id,
            "contract_id": event.contract_id, "creator_id": event.creator_id,
            "campaign": event.campaign, "key": event.term.key, "item": event.index,
            "kind": event.term.kind.value,
            **{column: value for m in RESULTS for column, value in ((m, 0), (f"{m}_at", None))}})

    @on(Deliverable.MetricsRecorded)
    def measured(self, event: Deliverable.MetricsRecorded, sql: Statements,
                 at: Tracking) -> None:
        measured_at = moment(event.snapshot.measured_at)
        for metric in RESULTS:
            if metric in event.snapshot.counts:
                # The latest measurement counts; one imported late does not replace it.
                sql.run(f"UPDATE {{lens_results}} SET {metric} = %s, {metric}_at = %s "
                        f"WHERE deliverable_id = %s AND ({metric}_at IS NULL OR "
                        f"{metric}_at <= %s)",
                        [event.snapshot.counts[metric], measured_at,
                         str(event.originator_id), measured_at])

    def _cost(self, sql: Statements, event: Any, **columns: Any) -> None:
        update(sql, "lens_costs", ("payout_id", str(event.originator_id)), columns)
