"""POST /api/v1/webhooks/stripe: Stripe's deliveries, verified by signature, acted on once."""

from typing import Any

from flask import request

from web.blueprint import Blueprint
from web.services import services

blp = Blueprint("webhooks", __name__, url_prefix="/api/v1/webhooks",
                description="Deliveries from payment rails (signed; no bearer token).")


@blp.route("/stripe", methods=["POST"])
@blp.response(200)
@blp.doc(security=[], requestBody={"content": {"application/json": {"schema": {
    "type": "object", "description": "A Stripe event, signed in Stripe-Signature."}}}})
def stripe_webhook() -> Any:
    """A Stripe event: forged, stale or replayed deliveries get 400 and change nothing"""
    return services().webhooks.receive(request.get_data(),
                                       request.headers.get("Stripe-Signature"))
