"""Payouts ledger: every payout with its status, amount and who asked and approved (finance)."""

from typing import Any

from eventsourcing.persistence import Tracking

from application.infrastructure.sql import Statements
from domain.payout import Payout, PayoutStatus, Standing
from projections.columns import insert, moment, stamped, tags, update
from projections.read_model import ReadModel, on
from projections.view import Table

P = PayoutStatus
# Where each event leaves a payout: the domain's own state machine (Standing).
MOVES = {Payout.BecameDue: Standing.became_due, Payout.Submitted: Standing.submitted,
         Payout.Paid: Standing.paid, Payout.Failed: Standing.failed,
         Payout.Waived: Standing.waived, Payout.Reversed: Standing.reversed,
         Payout.RetryAllowed: Standing.retry_allowed, Payout.Held: Standing.held,
         Payout.HoldReleased: Standing.released, Payout.Adjusted: Standing.adjusted,
         Payout.ReleaseRequested: Standing.release_requested}


class PayoutsLedger(ReadModel):
    name = "payouts_ledger"
    upstream = ("payouts",)
    tables = (
        Table("payouts_ledger",
              "payout_id TEXT PRIMARY KEY, brand_id TEXT NOT NULL, contract_id TEXT NOT NULL, "
              "creator_id TEXT NOT NULL, campaign TEXT, milestone_key TEXT NOT NULL, "
              "kind TEXT NOT NULL, label TEXT NOT NULL, trigger TEXT NOT NULL, due_date TEXT, "
              "currency TEXT NOT NULL, amount BIGINT NOT NULL, scheduled_amount BIGINT NOT NULL, "
              "status TEXT NOT NULL, held_from TEXT, rail TEXT, requested_by TEXT, "
              "approvals_needed INTEGER NOT NULL, approved_by TEXT NOT NULL, reference TEXT, "
              "hold_reason TEXT, failure_code TEXT, failure_message TEXT, "
              "reversed_amount BIGINT NOT NULL, paid_at TEXT, created_at TEXT NOT NULL, "
              "updated_at TEXT NOT NULL, version INTEGER NOT NULL",
              ("brand_id, created_at, payout_id", "brand_id, status", "contract_id",
               "creator_id")),
    )

    @on(Payout.Scheduled)
    def scheduled(self, event: Payout.Scheduled, sql: Statements, at: Tracking) -> None:
        milestone = event.milestone
        insert(sql, "payouts_ledger", {
            "payout_id": str(event.originator_id), "brand_id": event.brand_id,
            "contract_id": event.contract_id, "creator_id": event.creator_id,
            "campaign": event.campaign, "milestone_key": milestone.key,
            "kind": "bonus" if event.bonus else "milestone",
            "label": milestone.label, "trigger": milestone.trigger.value,
            "due_date": milestone.due_date.isoformat() if milestone.due_date else None,
            "currency": event.amount.currency, "amount": event.amount.amount,
            "scheduled_amount": event.amount.amount, "status": P.SCHEDULED.value,
            "held_from": None, "rail": None, "requested_by": None, "approvals_needed": 1,
            "approved_by": tags(()), "reference": None, "hold_reason": None,
            "failure_code": None, "failure_message": None, "reversed_amount": 0,
            "paid_at": None, "created_at": moment(event.timestamp), **stamped(event)})

    @on(*MOVES)
    def moved_on(self, event: Any, sql: Statements, at: Tracking) -> None:
        columns = self._moved(sql, event, MOVES[type(event)])
        if isinstance(event, Payout.Paid):
            columns |= {"reference": event.reference, "paid_at": moment(event.timestamp),
                        "failure_code": None, "failure_message": None, "hold_reason": None}
        elif isinstance(event, Payout.Failed):
            columns |= {"failure_code": event.code, "failure_message": event.message}
        elif isinstance(event, Payout.Reversed):  # one reversal of possibly several
            (row,) = sql.run("SELECT reversed_amount FROM {payouts_ledger} WHERE "
                             "payout_id = %s", [str(event.originator_id)])
            columns["reversed_amount"] = row["reversed_amount"] + event.amount.amount
        elif isinstance(event, Payout.ReleaseRequested):
            columns |= {"rail": str(event.rail), "requested_by": event.actor,
                        "approvals_needed": event.approvals_needed, "approved_by": tags(())}
        elif isinstance(event, Payout.Held):
            columns["hold_reason"] = event.reason
        elif isinstance(event, Payout.HoldReleased):
            columns["hold_reason"] = None
        elif isinstance(event, Payout.Adjusted):  # approvals were for the old amount
            columns |= {"amount": event.amount.amount, "approved_by": tags(()),
                        "requested_by": None}
        self._update(sql, event, **columns)

    @on(Payout.Approved)
    def approved(self, event: Payout.Approved, sql: Statements, at: Tracking) -> None:
        (row,) = sql.run("SELECT approved_by, approvals_needed FROM {payouts_ledger} "
                         "WHERE payout_id = %s", [str(event.originator_id)])
        approvers = [a for a in row["approved_by"].split(",") if a] + [event.actor]
        enough = len(approvers) >= row["approvals_needed"]
        self._update(sql, event, approved_by=tags(approvers),
                     **self._moved(sql, event, lambda s: s.approved(enough)))

    def _moved(self, sql: Statements, event: Any, move: Any) -> dict[str, Any]:
        (row,) = sql.run("SELECT status, held_from FROM {payouts_ledger} WHERE payout_id = %s",
                         [str(event.originator_id)])
        to: Standing = move(Standing(P(row["status"]),
                                     P(row["held_from"]) if row["held_from"] else None))
        return {"status": to.status.value,
                "held_from": to.held_from.value if to.held_from else None}

    def _update(self, sql: Statements, event: Any, **columns: Any) -> None:
        update(sql, "payouts_ledger", ("payout_id", str(event.originator_id)),
               columns | stamped(event))
