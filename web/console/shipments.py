"""Product sent to a creator, logged by ops: prepared for an active contract (items, the
address, the deliverables it is for), dispatched, delayed with a new date, delivered,
returned or lost. A delay a deliverable's date depends on proposes its extension."""

from collections.abc import Callable
from typing import Any

from flask import request, url_for
from werkzeug.wrappers.response import Response

from web.console import blp, current_actor, page
from web.console.actions import acted, day_field, expected_version, field
from web.console.contracts import changed_since_refusal
from web.services import services

ITEM_ROWS = 3


@blp.get("/shipments/<shipment_id>")
def shipment(shipment_id: str) -> Response:
    shown = services().shipments.get_shipment(current_actor(), shipment_id)
    return page("shipment.html", shipment=shown,
                changed=changed_since_refusal(shown["contract_id"]))


@blp.post("/contracts/<contract_id>/shipments")
def prepare_shipment(contract_id: str) -> Response:
    items = [{"sku": sku, "quantity": int(request.form.get(f"items[{i}].quantity") or 1)
              if (request.form.get(f"items[{i}].quantity") or "1").isdigit() else 0,
              **({"size": size} if (size := field(f"items[{i}].size")) else {})}
             for i in range(ITEM_ROWS) if (sku := field(f"items[{i}].sku"))]
    address = {name: value for name in ("recipient", "line1", "line2", "city", "postal_code",
                                        "country", "phone")
               if (value := field(f"address.{name}"))}
    return acted("prepare", lambda: services().shipments.prepare(
        current_actor(), contract_id, items, address, request.form.getlist("deliverable_ids")),
        lambda prepared: url_for("console.shipment", shipment_id=prepared["id"]),
        "Shipment prepared.", record=None,
        back=url_for("console.contract", contract_id=contract_id) + "#shipments")


def _shipment_form(shipment_id: str, form: str, message: str,
                   command: Callable[[Any], Any]) -> Response:
    return acted(form, lambda: command(services().shipments),
                 url_for("console.shipment", shipment_id=shipment_id), message,
                 record=shipment_id)


@blp.post("/shipments/<shipment_id>/dispatch")
def dispatch(shipment_id: str) -> Response:
    return _shipment_form(shipment_id, "dispatch", "Dispatched.", lambda shipments: (
        shipments.dispatch(current_actor(), shipment_id, field("carrier") or "",
                           field("tracking_number") or "", day_field("eta"), expected_version())))


@blp.post("/shipments/<shipment_id>/delay")
def delay(shipment_id: str) -> Response:
    return _shipment_form(shipment_id, "delay", "Delay logged.", lambda shipments: (
        shipments.delay(current_actor(), shipment_id, field("reason"), day_field("eta"),
                        expected_version())))


@blp.post("/shipments/<shipment_id>/deliver")
def deliver(shipment_id: str) -> Response:
    return _shipment_form(shipment_id, "deliver", "Delivery logged.", lambda shipments: (
        shipments.deliver(current_actor(), shipment_id, None, expected_version())))


@blp.post("/shipments/<shipment_id>/returned")
def mark_returned(shipment_id: str) -> Response:
    return _shipment_form(shipment_id, "returned", "Logged as returned.", lambda shipments: (
        shipments.mark_returned(current_actor(), shipment_id, field("reason"),
                                expected_version())))


@blp.post("/shipments/<shipment_id>/lost")
def mark_lost(shipment_id: str) -> Response:
    return _shipment_form(shipment_id, "lost", "Logged as lost.", lambda shipments: (
        shipments.mark_lost(current_actor(), shipment_id, field("reason"),
                            expected_version())))
