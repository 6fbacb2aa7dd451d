"""The distribution ledger: every program's distributors (level, status, recruiter,
code) and every commission line their orders earned or a refund took back, each in
the month it counts in — an order's in the month it was placed, a reversal's in the
month it was recorded — from which standings, figures and the program's totals are
read; and the month it was booked in (recorded), by which statements are drawn up, so
that an order imported after its month closed is paid with the next statement rather
than changing one already issued."""

from typing import Any

from eventsourcing.persistence import Tracking

from application.infrastructure.sql import Statements
from domain.attributed_order import AttributedOrder
from domain.distribution import Distributor, DistributorStatus, Program
from projections.columns import insert, moment, stamped, update
from projections.read_model import ReadModel, on
from projections.view import Table

STATUS_AFTER = {Distributor.Suspended: DistributorStatus.SUSPENDED,
                Distributor.Reinstated: DistributorStatus.ACTIVE,
                Distributor.Eliminated: DistributorStatus.ELIMINATED,
                Distributor.Disqualified: DistributorStatus.DISQUALIFIED}


class DistributionLedger(ReadModel):
    name = "distribution_ledger"
    upstream = ("distribution",)
    tables = (
        Table("distribution_programs",
              "program_id TEXT PRIMARY KEY, brand_id TEXT NOT NULL, name TEXT NOT NULL, "
              "stage TEXT NOT NULL, currency TEXT NOT NULL, rules_version INTEGER NOT NULL, "
              "began_on TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, "
              "version INTEGER NOT NULL",
              ("brand_id, created_at, program_id", "brand_id, name, program_id")),
        Table("distribution_distributors",
              "distributor_id TEXT PRIMARY KEY, brand_id TEXT NOT NULL, "
              "program_id TEXT NOT NULL, creator_id TEXT NOT NULL, origin TEXT NOT NULL, "
              "recruiter_id TEXT, tracking_code TEXT NOT NULL, joined_on TEXT NOT NULL, "
              "level TEXT, status TEXT NOT NULL, forfeited BIGINT NOT NULL, "
              "rewards INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, "
              "version INTEGER NOT NULL",
              ("program_id, created_at, distributor_id", "program_id, status",
               "recruiter_id", "creator_id")),
        Table("distribution_lines",
              "order_key TEXT NOT NULL, event_version INTEGER NOT NULL, "
              "seq INTEGER NOT NULL, brand_id TEXT NOT NULL, program_id TEXT NOT NULL, "
              "distributor_id TEXT NOT NULL, order_id TEXT NOT NULL, line INTEGER NOT NULL, "
              "sku TEXT NOT NULL, tier INTEGER NOT NULL, sales BIGINT NOT NULL, "
              "rate_bp INTEGER NOT NULL, commission BIGINT NOT NULL, "
              "month TEXT NOT NULL, at TEXT NOT NULL, kind TEXT NOT NULL, "
              "booked TEXT NOT NULL, "
              "PRIMARY KEY (order_key, event_version, seq)",
              ("program_id, month", "distributor_id, month", "program_id, booked")),
        # Rewards granted, with the money of those that carry it (red envelopes): paid
        # with the statement of the month they were granted in.
        Table("distribution_rewards",
              "distributor_id TEXT NOT NULL, grant_key TEXT NOT NULL, "
              "program_id TEXT NOT NULL, kind TEXT NOT NULL, description TEXT NOT NULL, "
              "amount BIGINT NOT NULL, why TEXT NOT NULL, month TEXT NOT NULL, "
              "at TEXT NOT NULL, PRIMARY KEY (distributor_id, grant_key)",
              ("program_id, month",)),
    )

    @on(Program.Created)
    def program_created(self, event: Program.Created, sql: Statements, at: Tracking) -> None:
        insert(sql, "distribution_programs", {
            "program_id": str(event.originator_id), "brand_id": event.brand_id,
            "name": event.name, "stage": "recruiting", "currency": event.rules.currency,
            "rules_version": 1, "began_on": event.effective_from.date().isoformat(),
            "created_at": moment(event.timestamp), **stamped(event)})

    @on(Program.RulesRevised)
    def rules_revised(self, event: Program.RulesRevised, sql: Statements,
                      at: Tracking) -> None:
        self._program(sql, event, rules_version=event.version)

    @on(Program.StageMoved)
    def stage_moved(self, event: Program.StageMoved, sql: Statements, at: Tracking) -> None:
        self._program(sql, event, stage=str(event.stage))

    @on(Distributor.Enrolled)
    def enrolled(self, event: Distributor.Enrolled, sql: Statements, at: Tracking) -> None:
        insert(sql, "distribution_distributors", {
            "distributor_id": str(event.originator_id), "brand_id": event.brand_id,
            "program_id": event.program_id, "creator_id": event.creator_id,
            "origin": str(event.origin), "recruiter_id": event.recruiter_id,
            "tracking_code": event.tracking_code, "joined_on": event.joined_on.isoformat(),
            "level": None, "status": DistributorStatus.ACTIVE.value, "forfeited": 0,
            "rewards": 0, "created_at": moment(event.timestamp), **stamped(event)})

    @on(Distributor.Promoted)
    def promoted(self, event: Distributor.Promoted, sql: Statements, at: Tracking) -> None:
        self._distributor(sql, event, level=event.level)

    @on(Distributor.RewardGranted)
    def rewarded(self, event: Distributor.RewardGranted, sql: Statements,
                 at: Tracking) -> None:
        (row,) = sql.run("SELECT program_id FROM {distribution_distributors} "
                         "WHERE distributor_id = %s", [str(event.originator_id)])
        when, grant = moment(event.at or event.timestamp), event.grant
        insert(sql, "distribution_rewards", {
            "distributor_id": str(event.originator_id), "grant_key": grant.key,
            "program_id": row["program_id"], "kind": str(grant.reward.kind),
            "description": grant.reward.description, "amount": grant.reward.amount,
            "why": grant.why, "month": when[:7], "at": when})
        sql.run("UPDATE {distribution_distributors} SET rewards = rewards + 1, "
                "updated_at = %s, version = %s WHERE distributor_id = %s",
                [*stamped(event).values(), str(event.originator_id)])

    @on(*STATUS_AFTER)
    def status_changed(self, event: Any, sql: Statements, at: Tracking) -> None:
        columns: dict[str, Any] = {"status": STATUS_AFTER[type(event)].value}
        if isinstance(event, Distributor.Disqualified):
            columns["forfeited"] = event.forfeited
        self._distributor(sql, event, **columns)

    @on(AttributedOrder.Recorded)
    def order_recorded(self, event: AttributedOrder.Recorded, sql: Statements,
                       at: Tracking) -> None:
        order = {"order_id": event.order.order_id, "brand_id": event.brand_id,
                 "program_id": event.program_id}
        self._lines(sql, event, event.lines, order, "order", moment(event.order.placed_at),
                    moment(event.recorded_at or event.timestamp))

    @on(AttributedOrder.Reversed)
    def order_reversed(self, event: AttributedOrder.Reversed, sql: Statements,
                       at: Tracking) -> None:
        (order,) = sql.run("SELECT order_id, brand_id, program_id FROM {distribution_lines} "
                           "WHERE order_key = %s AND event_version = 1 AND seq = 0",
                           [str(event.originator_id)])
        booked = moment(event.at or event.timestamp)
        self._lines(sql, event, event.lines, order, str(event.kind), booked, booked)

    @staticmethod
    def _lines(sql: Statements, event: Any, lines: Any, order: dict[str, Any], kind: str,
               when: str, booked: str) -> None:
        """One row a commission line, in the month `when` falls in and the one it was
        booked in."""
        for seq, line in enumerate(lines):
            insert(sql, "distribution_lines", {
                "order_key": str(event.originator_id),
                "event_version": event.originator_version, "seq": seq, **order,
                "distributor_id": line.distributor_id, "line": line.line, "sku": line.sku,
                "tier": line.tier, "sales": line.sales, "rate_bp": line.rate_bp,
                "commission": line.commission, "month": when[:7], "at": when, "kind": kind,
                "booked": booked[:7]})

    def _program(self, sql: Statements, event: Any, **columns: Any) -> None:
        update(sql, "distribution_programs", ("program_id", str(event.originator_id)),
               columns | stamped(event))

    def _distributor(self, sql: Statements, event: Any, **columns: Any) -> None:
        update(sql, "distribution_distributors",
               ("distributor_id", str(event.originator_id)), columns | stamped(event))
