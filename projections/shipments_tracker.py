"""Shipments tracker: what is in transit, delayed, delivered (ops)."""

from typing import Any

from eventsourcing.persistence import Tracking

from application.infrastructure.sql import Statements
from domain.shipment import Shipment, ShipmentStatus
from projections.columns import insert, moment, stamped, tags, update
from projections.read_model import ReadModel, on
from projections.view import Table

AFTER = {Shipment.Delivered: ShipmentStatus.DELIVERED, Shipment.Returned: ShipmentStatus.RETURNED,
         Shipment.Lost: ShipmentStatus.LOST}


class ShipmentsTracker(ReadModel):
    name = "shipments_tracker"
    upstream = ("shipments",)
    tables = (
        Table("shipments_tracker",
              "shipment_id TEXT PRIMARY KEY, brand_id TEXT NOT NULL, contract_id TEXT NOT NULL, "
              "creator_id TEXT NOT NULL, deliverable_ids TEXT NOT NULL, "
              "items INTEGER NOT NULL, status TEXT NOT NULL, carrier TEXT, "
              "tracking_number TEXT, first_eta TEXT, eta TEXT, delays INTEGER NOT NULL, "
              "days_late INTEGER NOT NULL, last_delay_reason TEXT, delivered_at TEXT, "
              "created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL",
              ("brand_id, created_at, shipment_id", "brand_id, status", "contract_id")),
    )

    @on(Shipment.Prepared)
    def prepared(self, event: Shipment.Prepared, sql: Statements, at: Tracking) -> None:
        insert(sql, "shipments_tracker", {
            "shipment_id": str(event.originator_id), "brand_id": event.brand_id,
            "contract_id": event.contract_id, "creator_id": event.creator_id,
            "deliverable_ids": tags(event.deliverable_ids),
            "items": sum(item.quantity for item in event.items),
            "status": ShipmentStatus.PREPARED.value, "carrier": None, "tracking_number": None,
            "first_eta": None, "eta": None, "delays": 0, "days_late": 0,
            "last_delay_reason": None, "delivered_at": None,
            "created_at": moment(event.timestamp), **stamped(event)})

    @on(Shipment.Dispatched)
    def dispatched(self, event: Shipment.Dispatched, sql: Statements, at: Tracking) -> None:
        self._update(sql, event, status=ShipmentStatus.DISPATCHED.value, carrier=event.carrier,
                     tracking_number=event.tracking_number, first_eta=event.eta.isoformat(),
                     eta=event.eta.isoformat())

    @on(Shipment.Delayed)
    def delayed(self, event: Shipment.Delayed, sql: Statements, at: Tracking) -> None:
        sql.run("UPDATE {shipments_tracker} SET status = %s, eta = %s, delays = delays + 1, "
                "days_late = days_late + %s, last_delay_reason = %s, updated_at = %s, "
                "version = %s WHERE shipment_id = %s",
                [ShipmentStatus.DELAYED.value, event.eta.isoformat(), event.days_later,
                 event.reason, *stamped(event).values(), str(event.originator_id)])

    @on(*AFTER)
    def ended(self, event: Any, sql: Statements, at: Tracking) -> None:
        columns: dict[str, Any] = {"status": AFTER[type(event)].value}
        if isinstance(event, Shipment.Delivered):
            columns["delivered_at"] = moment(event.delivered_at)
        self._update(sql, event, **columns)

    def _update(self, sql: Statements, event: Any, **columns: Any) -> None:
        update(sql, "shipments_tracker", ("shipment_id", str(event.originator_id)),
               columns | stamped(event))
