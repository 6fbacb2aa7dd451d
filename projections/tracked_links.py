"""Tracked links: which deliverable a tracking code stands for, and where it leads."""

from eventsourcing.persistence import Tracking

from application.infrastructure.sql import Statements
from domain.deliverable import Deliverable
from domain.tracking import landing_link, tracking_code
from projections.columns import insert, moment
from projections.read_model import ReadModel, on
from projections.view import Table


class TrackedLinks(ReadModel):
    name = "tracked_links"
    upstream = ("deliverables",)
    tables = (
        Table("tracked_links",
              "code TEXT PRIMARY KEY, deliverable_id TEXT NOT NULL, brand_id TEXT NOT NULL, "
              "contract_id TEXT NOT NULL, link TEXT NOT NULL, created_at TEXT NOT NULL",
              ("deliverable_id",)),
    )

    @on(Deliverable.Created)
    def owed(self, event: Deliverable.Created, sql: Statements, at: Tracking) -> None:
        if event.tracking is None:
            return  # the terms set up no tracking
        deliverable_id = str(event.originator_id)
        insert(sql, "tracked_links", {
            "code": tracking_code(deliverable_id), "deliverable_id": deliverable_id,
            "brand_id": event.brand_id, "contract_id": event.contract_id,
            "link": landing_link(event.tracking, deliverable_id=deliverable_id,
                                 campaign=event.campaign, creator_id=event.creator_id,
                                 deliverable_key=event.term.key, index=event.index,
                                 platform=event.term.platform.value),
            "created_at": moment(event.timestamp)})
