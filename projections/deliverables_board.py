"""Deliverables board: what is due, overdue and awaiting review (ops, legal)."""

from typing import Any

from eventsourcing.persistence import Tracking

from application.infrastructure.sql import Statements
from domain.deliverable import FLOW, Deliverable, DeliverableStatus
from projections.columns import insert, moment, stamped, update
from projections.read_model import ReadModel, on
from projections.view import Table

AWAITING_REVIEW = (DeliverableStatus.OUTLINE_SUBMITTED.value,
                   DeliverableStatus.DRAFT_SUBMITTED.value)
DONE = tuple(s.value for s in (DeliverableStatus.PUBLISHED, DeliverableStatus.ACCEPTED,
                               DeliverableStatus.WAIVED, DeliverableStatus.CANCELLED))
AFTER = {Deliverable.Published: DeliverableStatus.PUBLISHED,
         Deliverable.Accepted: DeliverableStatus.ACCEPTED,
         Deliverable.Waived: DeliverableStatus.WAIVED,
         Deliverable.Cancelled: DeliverableStatus.CANCELLED}
CHANGES_STATUS = (Deliverable.Submitted, Deliverable.ChangesRequested, Deliverable.Approved,
                  *AFTER)


def status_after(event: Any) -> DeliverableStatus:
    """The status a deliverable has after one of the events that change it."""
    if isinstance(event, Deliverable.Submitted):
        return FLOW[event.submission.stage].submitted
    if isinstance(event, Deliverable.ChangesRequested):
        return FLOW[event.stage].changes_requested
    if isinstance(event, Deliverable.Approved):
        return FLOW[event.stage].approved
    return AFTER[type(event)]


class DeliverablesBoard(ReadModel):
    name = "deliverables_board"
    upstream = ("deliverables",)
    tables = (
        Table("deliverables_board",
              "deliverable_id TEXT PRIMARY KEY, brand_id TEXT NOT NULL, "
              "contract_id TEXT NOT NULL, creator_id TEXT NOT NULL, key TEXT NOT NULL, "
              "item INTEGER NOT NULL, kind TEXT NOT NULL, platform TEXT NOT NULL, "
              "status TEXT NOT NULL, due_date TEXT NOT NULL, review_required BOOLEAN NOT NULL, "
              "submissions INTEGER NOT NULL, needs_legal BOOLEAN NOT NULL, url TEXT, "
              "review_due TEXT, open_proposals INTEGER NOT NULL, "
              "created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL",
              ("brand_id, due_date, deliverable_id", "brand_id, status", "contract_id")),
    )

    @on(Deliverable.Created)
    def owed(self, event: Deliverable.Created, sql: Statements, at: Tracking) -> None:
        insert(sql, "deliverables_board", {
            "deliverable_id": str(event.originator_id), "brand_id": event.brand_id,
            "contract_id": event.contract_id, "creator_id": event.creator_id,
            "key": event.term.key, "item": event.index, "kind": event.term.kind.value,
            "platform": event.term.platform.value, "status": DeliverableStatus.PENDING.value,
            "due_date": event.term.due_date.isoformat(),
            "review_required": event.term.review_required, "submissions": 0,
            "needs_legal": False, "url": None, "review_due": None, "open_proposals": 0,
            "created_at": moment(event.timestamp),
            **stamped(event)})

    @on(*CHANGES_STATUS)
    def moved_on(self, event: Any, sql: Statements, at: Tracking) -> None:
        columns: dict[str, Any] = {"status": status_after(event).value, "needs_legal": False}
        if isinstance(event, Deliverable.Submitted):
            review_due = event.submission.review_due
            columns |= {"submissions": event.submission.number,
                        "needs_legal": bool(event.submission.violations),
                        "review_due": review_due.isoformat() if review_due else None}
        if isinstance(event, Deliverable.Published):
            columns["url"] = event.url
        self._update(sql, event, **columns)

    @on(Deliverable.DueDateExtended)
    def extended(self, event: Deliverable.DueDateExtended, sql: Statements,
                 at: Tracking) -> None:
        self._update(sql, event, due_date=event.due_date.isoformat())
        if event.proposal is not None:
            self._count_proposals(sql, event, -1)

    @on(Deliverable.ExtensionProposed)
    def proposed(self, event: Any, sql: Statements, at: Tracking) -> None:
        self._count_proposals(sql, event, +1)

    @on(Deliverable.ExtensionDeclined)
    def declined(self, event: Any, sql: Statements, at: Tracking) -> None:
        self._count_proposals(sql, event, -1)

    def _count_proposals(self, sql: Statements, event: Any, change: int) -> None:
        sql.run("UPDATE {deliverables_board} SET open_proposals = open_proposals + %s, "
                "updated_at = %s, version = %s WHERE deliverable_id = %s",
                [change, *stamped(event).values(), str(event.originator_id)])

    def _update(self, sql: Statements, event: Any, **columns: Any) -> None:
        update(sql, "deliverables_board", ("deliverable_id", str(event.originator_id)),
               columns | stamped(event))
