"""Activity feed: every event of a brand's records, newest first (auditors, everyone)."""

import json
from typing import Any

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Tracking

from application.infrastructure.sql import Statements
from domain.attributed import AttributedEvent
from domain.audit import AuditExport, ChainCheck
from domain.campaign import Campaign
from domain.contract import Contract
from domain.creator import Creator
from domain.deliverable import Deliverable
from domain.folder import Folder
from domain.identity import ApiToken, Brand, User
from domain.make_good import MakeGoodRule
from domain.payout import Payout
from domain.shipment import Shipment
from domain.usage_right import UsageRight
from projections.columns import insert, moment
from projections.read_model import ReadModel, on
from projections.view import Table


def event_classes(*aggregates: type[Aggregate]) -> tuple[type, ...]:
    return tuple(member for aggregate in aggregates for member in vars(aggregate).values()
                 if isinstance(member, type) and issubclass(member, AttributedEvent)
                 and member is not aggregate.Event)


def event_key(at: Tracking) -> str:
    """Orders events of the same moment: application, then position in its log."""
    return f"{at.application_name}:{at.notification_id:015d}"


class ActivityFeed(ReadModel):
    name = "activity_feed"
    upstream = ("identity", "creators", "contracts", "deliverables", "shipments", "payouts",
                "usage_rights", "make_goods", "campaigns", "audit")
    tables = (
        Table("activity_feed",
              "brand_id TEXT NOT NULL, event_key TEXT NOT NULL, time TEXT NOT NULL, "
              "application TEXT NOT NULL, position BIGINT NOT NULL, aggregate TEXT NOT NULL, "
              "aggregate_id TEXT NOT NULL, event TEXT NOT NULL, actor TEXT, reason TEXT, "
              "PRIMARY KEY (brand_id, event_key)",
              ("brand_id, time, event_key", "brand_id, aggregate_id")),
        Table("activity_feed_owners", "aggregate_id TEXT PRIMARY KEY, brand_ids TEXT NOT NULL"),
    )

    @on(*event_classes(Contract, Creator, Brand, User, ApiToken, Deliverable, Shipment,
                       Payout, UsageRight, MakeGoodRule, Campaign, Folder, ChainCheck,
                       AuditExport))
    def happened(self, event: Any, sql: Statements, at: Tracking) -> None:
        aggregate_id = str(event.originator_id)
        owners = self._owners_on_creation(event, sql)
        if owners is not None:
            sql.run("INSERT INTO {activity_feed_owners} VALUES (%s, %s)",
                    (aggregate_id, json.dumps(owners)))
        for brand_id in owners if owners is not None else self._owners(sql, aggregate_id):
            insert(sql, "activity_feed", {
                "brand_id": brand_id, "event_key": event_key(at), "time": moment(event.timestamp),
                "application": at.application_name, "position": at.notification_id,
                "aggregate": type(event).__qualname__.split(".")[0], "aggregate_id": aggregate_id,
                "event": type(event).__name__, "actor": event.actor, "reason": event.reason})

    def _owners_on_creation(self, event: Any, sql: Statements) -> list[str] | None:
        """The brands a new record belongs to; None for events of existing records."""
        brand_id = getattr(event, "brand_id", None)
        if isinstance(event, Aggregate.Created) and isinstance(brand_id, str):
            return [brand_id]  # contracts, creators, campaigns, deliverables, shipments…
        if isinstance(event, Brand.Registered):
            return [str(event.originator_id)]
        if isinstance(event, User.Registered):
            return list(event.brand_ids)
        if isinstance(event, ApiToken.Issued):
            return self._owners(sql, event.user_id)
        if isinstance(event, ChainCheck.Recorded):  # auditors' checks show in their brands
            return list(event.brand_ids)
        return None

    def _owners(self, sql: Statements, aggregate_id: str) -> list[str]:
        rows = sql.run("SELECT brand_ids FROM {activity_feed_owners} WHERE aggregate_id = %s",
                       (aggregate_id,))
        return json.loads(rows[0]["brand_ids"]) if rows else []
