"""Use cases for product shipped to creators (ops)."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from application.common.actor import READERS, Actor, requires
from application.common.descriptions import describe_shipment
from application.common.kolpact_app import Basics, KolpactApplication, new_or_derived_id
from application.common.links import ContractRecords, DeliverableRecords
from application.common.transcodings import register_values
from application.errors import NotFound
from application.infrastructure.personal_data_vault import personal_transcoding
from domain.contract import Contract, ContractStatus
from domain.errors import InvalidTransition
from domain.identity import Role
from domain.shipment import Address, Shipment, ShipmentItem
from domain.values import parse_value


class ShipmentsApp(KolpactApplication):
    name = "shipments"
    record, record_name = Shipment, "shipment"

    def __init__(self, basics: Basics, *, contracts: ContractRecords,
                 deliverables: DeliverableRecords) -> None:
        super().__init__(basics)
        self.contracts, self.deliverables = contracts, deliverables

    def register_transcodings(self, transcoder: Any) -> None:
        super().register_transcodings(transcoder)
        register_values(transcoder, ShipmentItem)
        transcoder.register(personal_transcoding(Address, self.personal_data))

    @requires(Role.OPS, action="prepare shipments")
    def prepare(self, actor: Actor, contract_id: str, items: list[dict[str, Any]],
                address: dict[str, Any], deliverable_ids: list[str] | None = None,
                request_key: str | None = None) -> dict[str, Any]:
        contract: Contract = self.contracts.find_visible(actor, contract_id)
        if contract.status is not ContractStatus.ACTIVE:
            raise InvalidTransition("Product ships for active contracts only.")
        owed = {str(i) for i in self.deliverables.owed_ids_of(contract)}
        unknown = [d for d in deliverable_ids or [] if d not in owed]
        if unknown:
            raise NotFound(f"No deliverable {unknown[0]} in this contract.")
        parsed_items = tuple(parse_value(ShipmentItem, item, "items") for item in items)
        parsed_address = parse_value(Address, address, "address")
        shipment = self._create_once(lambda: Shipment.prepare(
            actor=actor.user_id, brand_id=contract.brand_id, contract_id=str(contract.id),
            creator_id=contract.creator_id, deliverable_ids=tuple(deliverable_ids or ()),
            items=parsed_items, address=parsed_address,
            id=new_or_derived_id("shipment", actor.user_id, request_key)), Shipment, "shipment")
        return describe_shipment(shipment)

    def shipment_ids_of(self, contract_id: str) -> list[UUID]:
        """Every shipment ever prepared for a contract (read from the log: a contract's
        shipments have no ids derived from it, and audit cannot wait for a read model)."""
        return self.originators_where(Shipment.Prepared, "contract_id", contract_id)

    @requires(*READERS, action="read shipments")
    def get_shipment(self, actor: Actor, shipment_id: str) -> dict[str, Any]:
        return describe_shipment(self._load_visible(actor, Shipment, shipment_id, "shipment"))

    @requires(Role.OPS, action="log shipments")
    def dispatch(self, actor: Actor, shipment_id: str, carrier: str, tracking_number: str,
                 eta: date, expected_version: int | None = None) -> dict[str, Any]:
        today = self.clock.now().date()
        return self._changed(actor, shipment_id, expected_version, lambda s: s.dispatch(
            actor.user_id, carrier, tracking_number, eta, today))

    @requires(Role.OPS, action="log shipments")
    def delay(self, actor: Actor, shipment_id: str, reason: str | None, eta: date,
              expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, shipment_id, expected_version,
                             lambda s: s.delay(actor.user_id, reason, eta))

    @requires(Role.OPS, action="log shipments")
    def deliver(self, actor: Actor, shipment_id: str, delivered_at: datetime | None = None,
                expected_version: int | None = None) -> dict[str, Any]:
        now = self.clock.now()
        return self._changed(actor, shipment_id, expected_version,
                             lambda s: s.deliver(actor.user_id, delivered_at or now, now))

    @requires(Role.OPS, action="log shipments")
    def mark_returned(self, actor: Actor, shipment_id: str, reason: str | None,
                      expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, shipment_id, expected_version,
                             lambda s: s.mark_returned(actor.user_id, reason))

    @requires(Role.OPS, action="log shipments")
    def mark_lost(self, actor: Actor, shipment_id: str, reason: str | None,
                  expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, shipment_id, expected_version,
                             lambda s: s.mark_lost(actor.user_id, reason))

