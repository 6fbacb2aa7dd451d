"""Shipments over HTTP: prepared for an active contract, dispatched, delayed, delivered."""

from datetime import date, timedelta

from tests.api.conftest import Api, World

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)

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


def test_the_tracker_shows_what_is_in_transit_delayed_late_or_delivered(api: Api,
                                                                       world: World) -> None:
    contract_id = api.call("GET", f"/deliverables/{world.deliverable}").json["contract_id"]
    eta = date.today() + timedelta(days=2)

    def shipment(*steps: tuple[str, dict]) -> str:  # type: ignore[type-arg]
        created = api.call("POST", "/shipments", role="ops", json={
            "contract_id": contract_id, "items": ITEMS, "address": ADDRESS,
            "deliverable_ids": [world.deliverable]}).json
        for step, body in steps:
            assert api.call("POST", f"/shipments/{created['id']}/{step}", role="ops",
                            json=body).status_code == 200
        return str(created["id"])

    dispatch = ("dispatch", {"carrier": "SF", "tracking_number": "SF9", "eta": eta.isoformat()})
    prepared = shipment()
    moving = shipment(dispatch)
    delayed = shipment(dispatch, ("delay", {"reason": "Typhoon",
                                            "eta": (eta + timedelta(days=3)).isoformat()}))
    delivered = shipment(dispatch, ("deliver", {}))
    api.services.read_models.catch_up()

    def tracker(**query: object) -> list[dict]:  # type: ignore[type-arg]
        response = api.call("GET", "/shipments", role="auditor", query_string=query)
        assert response.status_code == 200, response.json
        return list(response.json["items"])

    in_transit = {s["shipment_id"] for s in tracker(state="in_transit")}
    (late_one,) = tracker(state="delayed")
    late_now = tracker(late="true")
    api.services.lists.clock.advance(days=3)
    late_later = {s["shipment_id"] for s in tracker(late="true")}

    assert in_transit == {moving, delayed}
    assert (late_one["shipment_id"], late_one["days_late"], late_one["delays"]) == (delayed, 3, 1)
    assert late_one["last_delay_reason"] == "Typhoon"
    assert [s["shipment_id"] for s in tracker(state="delivered")] == [delivered]
    assert [s["shipment_id"] for s in tracker(state="prepared")] == [prepared]
    assert late_now == [] and late_later == {moving}
    assert {s["shipment_id"] for s in tracker(deliverable_id=world.deliverable)} == \
        {prepared, moving, delayed, delivered}


def test_the_tracker_refuses_unknown_filters(api: Api) -> None:
    response = api.call("GET", "/shipments", query_string={"state": "teleported"})

    assert response.status_code == 422
