"""Shipments over HTTP: prepared for an active contract, dispatched, delayed, delivered."""

from datetime import date, timedelta

from tests.api.conftest import Api, World

ADDRESS = {"recipient": "Lin Xiaomei", "line1": "88 Huaihai Rd", "city": "Shanghai",
           "country": "CN", "phone": "+86 138 0000 0000"}
ITEMS = [{"sku": "SERUM-30ML", "quantity": 2},
         {"sku": "DRESS-M", "size": "M"},
         {"sku": "DRESS-L", "size": "L", "spare": True, "alternative_to": "DRESS-M"}]


def test_a_shipment_goes_out_is_delayed_and_arrives(api: Api, world: World) -> None:
    contract_id = api.call("GET", f"/deliverables/{world.deliverable}").json["contract_id"]
    eta = date.today() + timedelta(days=2)

    created = api.call("POST", "/shipments", role="ops", json={
        "contract_id": contract_id, "deliverable_ids": [world.deliverable], "items": ITEMS,
        "address": ADDRESS}, headers={"Idempotency-Key": "ship-1"})
    path = f"/shipments/{created.json['id']}"
    dispatched = api.call("POST", f"{path}/dispatch", role="ops", json={
        "carrier": "SF Express", "tracking_number": "SF1234567890", "eta": eta.isoformat()})
    delayed = api.call("POST", f"{path}/delay", role="ops", json={
        "reason": "Held at customs", "eta": (eta + timedelta(days=4)).isoformat()})
    delivered = api.call("POST", f"{path}/deliver", role="ops", json={})

    assert created.status_code == 201 and created.json["items"][2]["spare"] is True
    assert (dispatched.json["status"], delayed.json["status"], delivered.json["status"]) == \
        ("dispatched", "delayed", "delivered")
    assert api.call("GET", path, role="auditor").json["eta"] == (eta + timedelta(days=4)
                                                                 ).isoformat()


def test_shipments_need_an_active_contract_of_ones_own_brand(api: Api, world: World) -> None:
    body = {"contract_id": world.draft, "items": ITEMS, "address": ADDRESS}

    draft = api.call("POST", "/shipments", role="ops", json=body)
    by_legal = api.call("POST", "/shipments", role="legal", json=body)
    no_items = api.call("POST", "/shipments", role="ops", json={**body, "items": []})
    unknown_deliverable = api.call("POST", "/shipments", role="ops", json={
        **body, "contract_id": api.call("GET", f"/deliverables/{world.deliverable}").json[
            "contract_id"], "deliverable_ids": [world.draft]})

    assert (draft.status_code, by_legal.status_code, no_items.status_code,
            unknown_deliverable.status_code) == (409, 403, 422, 404)


def test_a_delay_needs_a_reason_and_a_later_eta(api: Api, world: World) -> None:
    contract_id = api.call("GET", f"/deliverables/{world.deliverable}").json["contract_id"]
    created = api.call("POST", "/shipments", role="ops", json={
        "contract_id": contract_id, "items": ITEMS, "address": ADDRESS}).json
    eta = date.today() + timedelta(days=3)
    api.call("POST", f"/shipments/{created['id']}/dispatch", role="ops", json={
        "carrier": "EMS", "tracking_number": "EE1", "eta": eta.isoformat()})

    no_reason = api.call("POST", f"/shipments/{created['id']}/delay", role="ops",
                         json={"eta": (eta + timedelta(days=1)).isoformat()})
    earlier = api.call("POST", f"/shipments/{created['id']}/delay", role="ops",
                       json={"reason": "Rain", "eta": eta.isoformat()})

    assert (no_reason.status_code, earlier.status_code) == (422, 422)
    assert "eta" in earlier.json["errors"]
