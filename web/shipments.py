"""/api/v1/shipments: product sent to creators, and its delays (ops)."""

from typing import Any

from flask.views import MethodView

from web.auth import allowed, current_actor
from web.blueprint import Blueprint
from web.command_routes import add_commands
from web.idempotency import request_key
from web.lists import listed, lists
from web.schemas.common import ReasonRequiredSchema
from web.schemas.lists import ShipmentListQuerySchema, ShipmentPageSchema
from web.schemas.shipments import DelaySchema, DeliverySchema, DispatchSchema, ShipmentSchema
from web.services import services
from web.versions import expected_version, versioned

blp = Blueprint("shipments", __name__, url_prefix="/api/v1/shipments",
                description="Product shipped to creators: dispatch, delays, delivery.")


def shipments() -> Any:
    return services().shipments


@blp.route("")
class Shipments(MethodView):
    @blp.arguments(ShipmentListQuerySchema, location="query")
    @blp.response(200, ShipmentPageSchema)
    def get(self, query: dict[str, Any]) -> Any:
        """The shipments tracker: in transit, delayed, delivered (read model)"""
        return listed(lists().shipments, query)

    @allowed(lambda: shipments().prepare)
    @blp.arguments(ShipmentSchema)
    @blp.response(201, ShipmentSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Prepare a shipment for an active contract"""
        view = shipments().prepare(current_actor(), str(body["contract_id"]), body["items"],
                                   body["address"], [str(d) for d in body["deliverable_ids"]],
                                   request_key=request_key())
        return versioned(view, 201, {"Location": f"/api/v1/shipments/{view['id']}"})


@blp.route("/<shipment_id>")
@blp.response(200, ShipmentSchema)
def get_shipment(shipment_id: str) -> Any:
    """Read a shipment"""
    return versioned(shipments().get_shipment(current_actor(), shipment_id))


@blp.route("/<shipment_id>/dispatch", methods=["POST"])
@allowed(lambda: shipments().dispatch)
@blp.arguments(DispatchSchema)
@blp.response(200, ShipmentSchema)
def dispatch(body: dict[str, Any], shipment_id: str) -> Any:
    """Record carrier, tracking number and ETA"""
    return versioned(shipments().dispatch(current_actor(), shipment_id, body["carrier"],
                                          body["tracking_number"], body["eta"],
                                          expected_version(body)))


@blp.route("/<shipment_id>/delay", methods=["POST"])
@allowed(lambda: shipments().delay)
@blp.arguments(DelaySchema)
@blp.response(200, ShipmentSchema)
def delay(body: dict[str, Any], shipment_id: str) -> Any:
    """Record a delay with its reason and the new ETA"""
    return versioned(shipments().delay(current_actor(), shipment_id, body["reason"],
                                       body["eta"], expected_version(body)))


@blp.route("/<shipment_id>/deliver", methods=["POST"])
@allowed(lambda: shipments().deliver)
@blp.arguments(DeliverySchema)
@blp.response(200, ShipmentSchema)
def deliver(body: dict[str, Any], shipment_id: str) -> Any:
    """Record delivery"""
    return versioned(shipments().deliver(current_actor(), shipment_id, body["delivered_at"],
                                         expected_version(body)))


add_commands(blp, "shipment_id", shipments, ShipmentSchema, {
    "return": ("mark_returned", ReasonRequiredSchema, "Record that it came back (reason)"),
    "lose": ("mark_lost", ReasonRequiredSchema, "Record that the carrier lost it (reason)"),
})
