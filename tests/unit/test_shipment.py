"""Shipments: items with spares and alternatives, dispatch, delays, delivery, loss."""

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.errors import InvalidTransition, InvalidValue
from domain.shipment import Address, Shipment, ShipmentItem, ShipmentStatus

TODAY = date(2026, 12, 1)
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ADDRESS = Address(recipient="Lin Xiaomei", line1="88 Huaihai Rd", city="Shanghai", country="CN")


def prepared() -> Shipment:
    items = (ShipmentItem("SERUM-30ML", 2), ShipmentItem("DRESS-M", 1, size="M"),
             ShipmentItem("DRESS-L", 1, size="L", spare=True, alternative_to="DRESS-M"))
    return Shipment.prepare(actor="ops", brand_id="b", contract_id="c", creator_id="k",
                            deliverable_ids=("d1",), items=items, address=ADDRESS)


def test_a_shipment_is_dispatched_delayed_and_delivered() -> None:
    shipment = prepared()

    shipment.dispatch("ops", "SF Express", "SF1234567890", TODAY + timedelta(days=2), TODAY)
    shipment.delay("ops", "Held at customs", TODAY + timedelta(days=6))
    shipment.deliver("ops", NOW + timedelta(days=6), now=NOW + timedelta(days=6))

    assert shipment.status is ShipmentStatus.DELIVERED
    assert shipment.days_late(TODAY + timedelta(days=2)) == 4
    assert [i.spare for i in shipment.items] == [False, False, True]


def test_a_delay_needs_a_reason_and_a_later_eta() -> None:
    shipment = prepared()
    shipment.dispatch("ops", "SF Express", "SF1", TODAY + timedelta(days=3), TODAY)

    with pytest.raises(InvalidValue, match="reason"):
        shipment.delay("ops", None, TODAY + timedelta(days=5))
    with pytest.raises(InvalidValue, match="later than the current ETA"):
        shipment.delay("ops", "Weather", TODAY + timedelta(days=2))


def test_items_and_address_are_checked_when_prepared() -> None:
    with pytest.raises(InvalidValue) as refused:
        Shipment.prepare(actor="ops", brand_id="b", contract_id="c", creator_id="k",
                         deliverable_ids=(), address=Address("", "", "", "CN"),
                         items=(ShipmentItem("", 0), ShipmentItem("X", alternative_to="Y")))

    assert set(refused.value.errors) == {"items[0].quantity", "items[0].sku",
                                         "items[1].alternative_to", "address"}


def test_only_a_shipment_in_transit_can_be_lost_and_nothing_follows_a_loss() -> None:
    shipment = prepared()

    with pytest.raises(InvalidTransition):
        shipment.mark_lost("ops", "Never left the warehouse")
    shipment.dispatch("ops", "EMS", "EE1", TODAY + timedelta(days=1), TODAY)
    shipment.mark_lost("ops", "Carrier confirmed loss")

    with pytest.raises(InvalidTransition):
        shipment.deliver("ops", NOW, now=NOW)
