"""Metrics summary: the latest known figure of each metric, per deliverable, to be
added up per contract and per campaign.

Snapshots are cumulative, so for each metric the most recently measured value
counts, whichever source reported it; revenue is kept per currency.
"""

from eventsourcing.persistence import Tracking

from application.infrastructure.sql import Statements
from domain.deliverable import Deliverable
from projections.columns import insert, moment
from projections.read_model import ReadModel, on
from projections.view import Table

NO_CURRENCY = ""  # counts have none; revenue is one row per currency


class MetricsSummary(ReadModel):
    name = "metrics_summary"
    upstream = ("deliverables",)
    tables = (
        Table("metric_deliverables",
              "deliverable_id TEXT PRIMARY KEY, brand_id TEXT NOT NULL, "
              "contract_id TEXT NOT NULL, creator_id TEXT NOT NULL, campaign TEXT, "
              "key TEXT NOT NULL, item INTEGER NOT NULL",
              ("brand_id, campaign", "contract_id")),
        Table("metric_figures",
              "deliverable_id TEXT NOT NULL, metric TEXT NOT NULL, currency TEXT NOT NULL, "
              "value BIGINT NOT NULL, measured_at TEXT NOT NULL, source TEXT NOT NULL, "
              "PRIMARY KEY (deliverable_id, metric, currency)"),
    )

    @on(Deliverable.Created)
    def owed(self, event: Deliverable.Created, sql: Statements, at: Tracking) -> None:
        insert(sql, "metric_deliverables", {
            "deliverable_id": str(event.originator_id), "brand_id": event.brand_id,
            "contract_id": event.contract_id, "creator_id": event.creator_id,
            "campaign": event.campaign, "key": event.term.key, "item": event.index})

    @on(Deliverable.MetricsRecorded)
    def measured(self, event: Deliverable.MetricsRecorded, sql: Statements,
                 at: Tracking) -> None:
        snapshot = event.snapshot
        figures = [(metric, NO_CURRENCY, value) for metric, value in snapshot.counts.items()]
        if snapshot.revenue is not None:
            figures.append(("revenue", snapshot.revenue.currency, snapshot.revenue.amount))
        for metric, currency, value in figures:
            # An older snapshot imported late does not replace a newer figure.
            sql.run("INSERT INTO {metric_figures} AS f (deliverable_id, metric, currency, "
                    "value, measured_at, source) VALUES (%s, %s, %s, %s, %s, %s) "
                    "ON CONFLICT (deliverable_id, metric, currency) DO UPDATE SET "
                    "value = excluded.value, measured_at = excluded.measured_at, "
                    "source = excluded.source WHERE excluded.measured_at >= f.measured_at",
                    [str(event.originator_id), metric, currency, value,
                     moment(snapshot.measured_at), snapshot.source])
