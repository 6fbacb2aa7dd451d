"""Contracts overview: legal's list of contracts, with key dates, fee and what is owed."""

import json
from typing import Any

from eventsourcing.persistence import Tracking

from application.infrastructure.sql import Statements
from domain.contract import Contract
from domain.creator import Creator
from domain.deliverable import Deliverable, DeliverableStatus
from domain.terms import ContractTerms
from projections.columns import as_json, insert, moment, stamped, update
from projections.deliverables_board import CHANGES_STATUS, status_after
from projections.read_model import ReadModel, on
from projections.view import Table


def terms_summary(terms: ContractTerms, version: int) -> dict[str, Any]:
    first = terms.milestones[0] if terms.milestones else None
    due = terms.earliest_due_date()
    count = sum(d.quantity for d in terms.deliverables)
    return {
        "fee_amount": terms.fee.amount, "currency": terms.fee.currency,
        "deliverable_count": count,
        # Before activation nothing is owed yet: all are pending. Then the deliverables'
        # own states count (see queries.contracts).
        "deliverables_by_state": json.dumps({"pending": count}),
        "next_due_date": due.isoformat() if due else None,
        "next_milestone": as_json(first) if first else None,
        "terms_version": version,
    }


class ContractsOverview(ReadModel):
    name = "contracts_overview"
    upstream = ("contracts", "creators", "deliverables")
    tables = (
        Table("contracts_overview",
              "contract_id TEXT PRIMARY KEY, brand_id TEXT NOT NULL, creator_id TEXT NOT NULL, "
              "title TEXT NOT NULL, campaign TEXT, campaign_id TEXT, status TEXT NOT NULL, "
              "fee_amount BIGINT NOT NULL, currency TEXT NOT NULL, terms_version INTEGER, "
              "deliverable_count INTEGER, deliverables_by_state TEXT, next_due_date TEXT, "
              "next_milestone TEXT, signatures_collected INTEGER NOT NULL DEFAULT 0, "
              "pending_terms TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, "
              "sent_at TEXT, active_since TEXT, closed_at TEXT, version INTEGER NOT NULL",
              ("brand_id, created_at, contract_id", "brand_id, title, contract_id",
               "brand_id, status", "brand_id, creator_id", "brand_id, campaign",
               "campaign_id")),
        Table("contracts_overview_creators",
              "creator_id TEXT PRIMARY KEY, display_name TEXT NOT NULL"),
        Table("contracts_overview_deliverables",
              "deliverable_id TEXT PRIMARY KEY, contract_id TEXT NOT NULL, status TEXT NOT NULL",
              ("contract_id",)),
    )

    @on(Contract.Drafted)
    def drafted(self, event: Contract.Drafted, sql: Statements, at: Tracking) -> None:
        row = {"contract_id": str(event.originator_id), "brand_id": event.brand_id,
               "creator_id": event.creator_id, "title": event.title,
               "campaign": event.campaign, "status": "draft",
               **terms_summary(event.terms, 1), "created_at": moment(event.timestamp),
               **stamped(event)}
        insert(sql, "contracts_overview", row)

    @on(Contract.TermsRevised)
    def terms_revised(self, event: Contract.TermsRevised, sql: Statements, at: Tracking) -> None:
        self._update(sql, event, status="draft", signatures_collected=0, sent_at=None,
                     **terms_summary(event.terms, event.terms_version))

    @on(Contract.SentForSignature)
    def sent(self, event: Contract.SentForSignature, sql: Statements, at: Tracking) -> None:
        self._update(sql, event, status="sent_for_signature", sent_at=moment(event.sent_at))

    @on(Contract.Signed)
    def signed(self, event: Contract.Signed, sql: Statements, at: Tracking) -> None:
        (row,) = sql.run("SELECT signatures_collected, pending_terms, active_since "
                         "FROM {contracts_overview} WHERE contract_id = %s",
                         (str(event.originator_id),))
        if row["signatures_collected"] + 1 < 2:
            self._update(sql, event, signatures_collected=row["signatures_collected"] + 1)
            return
        amended = json.loads(row["pending_terms"]) if row["pending_terms"] else {}
        self._update(sql, event, status="active", signatures_collected=0, pending_terms=None,
                     active_since=row["active_since"] or moment(event.timestamp), **amended)

    @on(Contract.AmendmentProposed)
    def amendment_proposed(self, event: Contract.AmendmentProposed, sql: Statements,
                           at: Tracking) -> None:
        summary = terms_summary(event.terms, event.terms_version)
        self._update(sql, event, signatures_collected=0, pending_terms=json.dumps(summary))

    @on(Contract.AmendmentWithdrawn)
    def amendment_withdrawn(self, event: Contract.AmendmentWithdrawn, sql: Statements,
                            at: Tracking) -> None:
        self._update(sql, event, signatures_collected=0, pending_terms=None)

    @on(Contract.Terminated, Contract.Cancelled, Contract.Completed)
    def closed(self, event: Contract.Event, sql: Statements, at: Tracking) -> None:
        status = {Contract.Terminated: "terminated", Contract.Cancelled: "cancelled",
                  Contract.Completed: "completed"}[type(event)]
        self._update(sql, event, status=status, closed_at=moment(event.timestamp),
                     signatures_collected=0, pending_terms=None)

    @on(Contract.JoinedCampaign)
    def joined_campaign(self, event: Contract.JoinedCampaign, sql: Statements,
                        at: Tracking) -> None:
        self._update(sql, event, campaign_id=event.campaign_id, campaign=event.campaign)

    @on(Contract.LeftCampaign)
    def left_campaign(self, event: Contract.LeftCampaign, sql: Statements, at: Tracking) -> None:
        self._update(sql, event, campaign_id=None, campaign=None)

    @on(Creator.Registered, Creator.ProfileUpdated)
    def creator_named(self, event: Creator.Registered, sql: Statements, at: Tracking) -> None:
        sql.run("DELETE FROM {contracts_overview_creators} WHERE creator_id = %s",
                (str(event.originator_id),))
        sql.run("INSERT INTO {contracts_overview_creators} VALUES (%s, %s)",
                (str(event.originator_id), event.profile.display_name))

    @on(Deliverable.Created)
    def deliverable_owed(self, event: Deliverable.Created, sql: Statements,
                         at: Tracking) -> None:
        insert(sql, "contracts_overview_deliverables", {
            "deliverable_id": str(event.originator_id), "contract_id": event.contract_id,
            "status": DeliverableStatus.PENDING.value})

    @on(*CHANGES_STATUS)
    def deliverable_moved_on(self, event: Any, sql: Statements, at: Tracking) -> None:
        update(sql, "contracts_overview_deliverables",
               ("deliverable_id", str(event.originator_id)),
               {"status": status_after(event).value})

    def _update(self, sql: Statements, event: Contract.Event, **columns: Any) -> None:
        update(sql, "contracts_overview", ("contract_id", str(event.originator_id)),
               columns | stamped(event))
