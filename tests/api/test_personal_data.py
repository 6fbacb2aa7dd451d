"""Erasing a creator's personal data over HTTP (legal), and what everyone sees after."""


from tests.api.conftest import Api, World
from tests.builders import SHIPPED_ITEMS, SHIPPING_ADDRESS

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)


def test_an_erasure_hides_contact_and_address_and_stops_new_shipments(
        api: Api, world: World) -> None:
    shipment = api.call("GET", f"/shipments/{world.shipment}", role="ops").json
    creator_id = shipment["creator_id"]
    assert shipment["address"]["line1"] == SHIPPING_ADDRESS["line1"]

    erased = api.call("POST", f"/creators/{creator_id}/erase-personal-data",
                      json={"reason": "PIPL request 42"})
    before = api.events()
    refused = api.call("POST", "/shipments", role="ops", json={
        "contract_id": shipment["contract_id"], "items": SHIPPED_ITEMS,
        "address": SHIPPING_ADDRESS})

    assert erased.status_code == 200, erased.json
    assert erased.json["personal_data_erased"] is True
    assert erased.json["contact"]["erased"] is True and erased.json["contact"]["email"] is None
    address = api.call("GET", f"/shipments/{world.shipment}", role="ops").json["address"]
    assert address["erased"] is True and SHIPPING_ADDRESS["line1"] not in str(address)
    assert refused.status_code == 409
    assert refused.json["type"] == "urn:kolpact:problem:personal-data-erased"
    assert api.events() == before


def test_an_erasure_needs_a_reason(api: Api, world: World) -> None:
    world.make("creator")
    before = api.events()

    response = api.call("POST", f"/creators/{world.creator}/erase-personal-data", json={})

    assert response.status_code == 422
    assert "reason" in response.json["errors"]
    assert api.events() == before
