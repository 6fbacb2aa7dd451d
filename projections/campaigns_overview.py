"""Campaigns overview: a brand's campaigns, their status, owner, dates and contracts."""

from typing import Any

from eventsourcing.persistence import Tracking

from application.infrastructure.sql import Statements
from domain.campaign import Campaign, CampaignStatus
from domain.contract import Contract
from projections.columns import as_json, insert, moment, stamped, update
from projections.read_model import ReadModel, on
from projections.view import Table

STATUS_AFTER = {Campaign.Started: CampaignStatus.RUNNING,
                Campaign.ReviewBegun: CampaignStatus.REVIEWING,
                Campaign.Closed: CampaignStatus.CLOSED,
                Campaign.Cancelled: CampaignStatus.CANCELLED}


def brief_columns(event: Campaign.Planned | Campaign.BriefRevised) -> dict[str, Any]:
    brief = event.brief
    return {"name": brief.name, "promise": brief.promise, "starts_on": brief.starts_on.isoformat(),
            "ends_on": brief.ends_on.isoformat(), "budget": as_json(brief.budget),
            "target_kol": brief.mix.kol, "target_koc": brief.mix.koc}


class CampaignsOverview(ReadModel):
    name = "campaigns_overview"
    upstream = ("campaigns", "contracts")
    tables = (
        Table("campaigns_overview",
              "campaign_id TEXT PRIMARY KEY, brand_id TEXT NOT NULL, name TEXT NOT NULL, "
              "promise TEXT NOT NULL, status TEXT NOT NULL, owner_id TEXT NOT NULL, "
              "starts_on TEXT NOT NULL, ends_on TEXT NOT NULL, budget TEXT NOT NULL, "
              "target_kol INTEGER NOT NULL, target_koc INTEGER NOT NULL, "
              "contracts INTEGER NOT NULL, check_ins INTEGER NOT NULL, last_check_in TEXT, "
              "created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL",
              ("brand_id, created_at, campaign_id", "brand_id, starts_on, campaign_id",
               "brand_id, name, campaign_id", "brand_id, status", "owner_id")),
    )

    @on(Campaign.Planned)
    def planned(self, event: Campaign.Planned, sql: Statements, at: Tracking) -> None:
        insert(sql, "campaigns_overview", {
            "campaign_id": str(event.originator_id), "brand_id": event.brand_id,
            "status": CampaignStatus.PLANNED.value, "owner_id": event.owner,
            **brief_columns(event), "contracts": 0, "check_ins": 0, "last_check_in": None,
            "created_at": moment(event.timestamp), **stamped(event)})

    @on(Campaign.BriefRevised)
    def brief_revised(self, event: Campaign.BriefRevised, sql: Statements,
                      at: Tracking) -> None:
        self._update(sql, event, **brief_columns(event))

    @on(*STATUS_AFTER)
    def moved_on(self, event: Any, sql: Statements, at: Tracking) -> None:
        self._update(sql, event, status=STATUS_AFTER[type(event)].value)

    @on(Campaign.CheckedIn)
    def checked_in(self, event: Campaign.CheckedIn, sql: Statements, at: Tracking) -> None:
        sql.run("UPDATE {campaigns_overview} SET check_ins = check_ins + 1, "
                "last_check_in = %s, updated_at = %s, version = %s WHERE campaign_id = %s",
                [moment(event.at), *stamped(event).values(), str(event.originator_id)])

    @on(Campaign.HandedOver)
    def handed_over(self, event: Campaign.HandedOver, sql: Statements, at: Tracking) -> None:
        self._update(sql, event, owner_id=event.owner)

    @on(Campaign.WeekRevised, Campaign.MidTermReviewed, Campaign.RequirementsRecorded)
    def changed(self, event: Any, sql: Statements, at: Tracking) -> None:
        self._update(sql, event)  # the record moved on: its version and time

    @on(Contract.JoinedCampaign, Contract.LeftCampaign)
    def membership(self, event: Contract.JoinedCampaign | Contract.LeftCampaign,
                   sql: Statements, at: Tracking) -> None:
        step = 1 if isinstance(event, Contract.JoinedCampaign) else -1
        sql.run("UPDATE {campaigns_overview} SET contracts = contracts + %s "
                "WHERE campaign_id = %s", [step, event.campaign_id])

    def _update(self, sql: Statements, event: Campaign.Event, **columns: Any) -> None:
        update(sql, "campaigns_overview", ("campaign_id", str(event.originator_id)),
               columns | stamped(event))
