"""Payouts ledger: every payout with its status, amount and who asked and approved (finance)."""

from typing import Any

from eventsourcing.persistence import Tracking

from application.infrastructure.sql import Statements
from domain.payout import Payout, PayoutStatus
from projections.columns import insert, moment, stamped, tags, update
from projections.read_model import ReadModel, on
from projections.view import Table

P = PayoutStatus
AFTER = {Payout.BecameDue: P.DUE, Payout.Submitted: P.SUBMITTED, Payout.Paid: P.PAID,
         Payout.Failed: P.FAILED, Payout.Waived: P.WAIVED, Payout.Reversed: P.REVERSED,
         Payout.RetryAllowed: P.APPROVED}


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

    @on(*AFTER)
    def moved_on(self, event: Any, sql: Statements, at: Tracking) -> None:
        columns: dict[str, Any] = {"status": AFTER[type(event)].value}
        held = self._status(sql, event) == P.HELD.value
        if isinstance(event, Payout.BecameDue) and held:
            columns = {"held_from": P.DUE.value}  # stays held; due once released
        elif isinstance(event, Payout.Paid):
            columns |= {"reference": event.reference, "paid_at": moment(event.timestamp),
                        "failure_code": None, "failure_message": None, "held_from": None,
                        "hold_reason": None}
        elif isinstance(event, Payout.Failed):
            columns = {"failure_code": event.code, "failure_message": event.message,
                       **({"held_from": P.FAILED.value} if held else columns)}
        elif isinstance(event, Payout.Reversed):  # one reversal of possibly several
            (row,) = sql.run("SELECT reversed_amount FROM {payouts_ledger} WHERE "
                             "payout_id = %s", [str(event.originator_id)])
            columns["reversed_amount"] = row["reversed_amount"] + event.amount.amount
        self._update(sql, event, **columns)

    @on(Payout.ReleaseRequested)
    def requested(self, event: Payout.ReleaseRequested, sql: Statements, at: Tracking) -> None:
        self._update(sql, event, status=P.RELEASE_REQUESTED.value, rail=str(event.rail),
                     requested_by=event.actor, approvals_needed=event.approvals_needed,
                     approved_by=tags(()))

    @on(Payout.Approved)
    def approved(self, event: Payout.Approved, sql: Statements, at: Tracking) -> None:
        (row,) = sql.run("SELECT approved_by, approvals_needed FROM {payouts_ledger} "
                         "WHERE payout_id = %s", [str(event.originator_id)])
        approvers = [a for a in row["approved_by"].split(",") if a] + [event.actor]
        columns: dict[str, Any] = {"approved_by": tags(approvers)}
        if len(approvers) >= row["approvals_needed"]:
            columns["status"] = P.APPROVED.value
        self._update(sql, event, **columns)

    @on(Payout.Held)
    def held(self, event: Payout.Held, sql: Statements, at: Tracking) -> None:
        self._update(sql, event, held_from=self._status(sql, event), status=P.HELD.value,
                     hold_reason=event.reason)

    @on(Payout.HoldReleased)
    def released(self, event: Payout.HoldReleased, sql: Statements, at: Tracking) -> None:
        (row,) = sql.run("SELECT held_from FROM {payouts_ledger} WHERE payout_id = %s",
                         [str(event.originator_id)])
        self._update(sql, event, status=row["held_from"] or P.DUE.value, held_from=None,
                     hold_reason=None)

    @on(Payout.Adjusted)
    def adjusted(self, event: Payout.Adjusted, sql: Statements, at: Tracking) -> None:
        # Approvals were given for the old amount: the payout is due again.
        (row,) = sql.run("SELECT status, held_from FROM {payouts_ledger} WHERE payout_id = %s",
                         [str(event.originator_id)])
        approved = (P.RELEASE_REQUESTED.value, P.APPROVED.value, P.FAILED.value)
        columns: dict[str, Any] = {"amount": event.amount.amount, "approved_by": tags(()),
                                   "requested_by": None}
        if row["status"] in approved:
            columns["status"] = P.DUE.value
        if row["held_from"] in approved:
            columns["held_from"] = P.DUE.value
        self._update(sql, event, **columns)

    def _status(self, sql: Statements, event: Any) -> str:
        (row,) = sql.run("SELECT status FROM {payouts_ledger} WHERE payout_id = %s",
                         [str(event.originator_id)])
        return str(row["status"])

    def _update(self, sql: Statements, event: Any, **columns: Any) -> None:
        update(sql, "payouts_ledger", ("payout_id", str(event.originator_id)),
               columns | stamped(event))
