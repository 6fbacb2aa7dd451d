"""/api/v1/creators: the creators a brand works with."""

from typing import Any

from flask.views import MethodView

from web.auth import allowed, current_actor
from web.blueprint import Blueprint
from web.command_routes import add_commands
from web.idempotency import request_key
from web.lists import listed, lists
from web.schemas.common import CommandSchema, ReasonRequiredSchema
from web.schemas.creators import CreatorCreateSchema, CreatorSchema, CreatorUpdateSchema
from web.schemas.lists import CreatorListQuerySchema, CreatorPageSchema
from web.schemas.payouts import PayoutAccountRequestSchema, PayoutAccountSchema
from web.services import services
from web.versions import expected_version, versioned

blp = Blueprint("creators", __name__, url_prefix="/api/v1/creators",
                description="KOL and KOC creators: profiles, reach, prices and status (ops).")


@blp.route("")
class Creators(MethodView):
    @blp.arguments(CreatorListQuerySchema, location="query")
    @blp.response(200, CreatorPageSchema)
    def get(self, query: dict[str, Any]) -> Any:
        """List creators (creators directory read model)"""
        return listed(lists().creators, query)

    @allowed(lambda: services().creators.register_creator)
    @blp.arguments(CreatorCreateSchema)
    @blp.response(201, CreatorSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Register a creator"""
        brand_id = body.pop("brand_id", None)
        view = services().creators.register_creator(
            current_actor(), body, brand_id=brand_id and str(brand_id), request_key=request_key())
        return versioned(view, 201, {"Location": f"/api/v1/creators/{view['id']}"})


@blp.route("/<creator_id>")
class CreatorResource(MethodView):
    @blp.response(200, CreatorSchema)
    def get(self, creator_id: str) -> Any:
        """Read a creator"""
        return versioned(services().creators.get_creator(current_actor(), creator_id))

    @allowed(lambda: services().creators.update_profile)
    @blp.arguments(CreatorUpdateSchema)
    @blp.response(200, CreatorSchema)
    def patch(self, body: dict[str, Any], creator_id: str) -> Any:
        """Update a creator's profile (only the fields given)"""
        version = expected_version(body)
        reason = body.pop("reason", None)
        return versioned(services().creators.update_profile(
            current_actor(), creator_id, body, expected_version=version, reason=reason))


add_commands(blp, "creator_id", lambda: services().creators, CreatorSchema, {
    "pause": ("pause", CommandSchema, "Pause a creator: no new contracts until reactivated"),
    "block": ("block", ReasonRequiredSchema, "Block a creator (reason required)"),
    "reactivate": ("reactivate", CommandSchema, "Reactivate a paused or blocked creator"),
    "erase-personal-data": ("erase_personal_data", ReasonRequiredSchema,
                            "Erase the creator's personal data on request (PIPL/GDPR): "
                            "contact details and shipping addresses become unreadable "
                            "everywhere, old events included (legal; reason required)"),
})


@blp.route("/<creator_id>/payout-account", methods=["POST"])
@allowed(lambda: services().payouts.open_payout_account)
@blp.arguments(PayoutAccountRequestSchema)
@blp.response(200, PayoutAccountSchema)
def open_payout_account(body: dict[str, Any], creator_id: str) -> Any:
    """Open the creator's Stripe Express account (once) and get a fresh onboarding link"""
    return services().payouts.open_payout_account(
        current_actor(), creator_id, body["country"], body["email"], body["refresh_url"],
        body["return_url"])
