"""/api/v1/brands, /users, /tokens: who may use kolpact, and how (admin)."""

from typing import Any

from flask import g
from flask.views import MethodView

from web.auth import allowed, current_actor
from web.blueprint import Blueprint
from web.command_routes import add_commands
from web.schemas.common import ReasonRequiredSchema
from web.schemas.identity import (
    BrandSchema,
    DualControlSchema,
    IssuedTokenSchema,
    TokenRequestSchema,
    UserSchema,
)
from web.schemas.payouts import ApprovalThresholdSchema
from web.services import services
from web.versions import expected_version, versioned

brands = Blueprint("brands", __name__, url_prefix="/api/v1/brands",
                   description="Brands (workspaces) and their signing rules.")
users = Blueprint("users", __name__, url_prefix="/api/v1/users",
                  description="Users, their roles and brands, and their API tokens (admin).")
tokens = Blueprint("tokens", __name__, url_prefix="/api/v1/tokens",
                   description="Revoking API tokens (admin).")


def identity() -> Any:
    return services().identity


@brands.route("/<brand_id>")
@brands.response(200, BrandSchema)
def get_brand(brand_id: str) -> Any:
    """Read a brand you belong to"""
    return versioned(identity().describe_brand(current_actor(), brand_id))


@brands.route("/<brand_id>/dual-control", methods=["POST"])
@allowed(lambda: identity().change_dual_control)
@brands.arguments(DualControlSchema)
@brands.response(200, BrandSchema)
def change_dual_control(body: dict[str, Any], brand_id: str) -> Any:
    """Require (or stop requiring) a second person to sign contracts for the brand"""
    return versioned(identity().change_dual_control(
        current_actor(), brand_id, body["dual_control"], body["reason"], expected_version(body)))


@brands.route("/<brand_id>/approval-threshold", methods=["POST"])
@allowed(lambda: identity().set_approval_threshold)
@brands.arguments(ApprovalThresholdSchema)
@brands.response(200, BrandSchema)
def set_approval_threshold(body: dict[str, Any], brand_id: str) -> Any:
    """Payouts above an amount (per currency) need two approvers (admin)"""
    return versioned(identity().set_approval_threshold(
        current_actor(), brand_id, body["currency"], body["amount"], body["reason"],
        expected_version(body)))


@users.route("")
class Users(MethodView):
    @allowed(lambda: identity().register_user)
    @users.arguments(UserSchema)
    @users.response(201, UserSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Register a user in one or more of your brands"""
        actor = current_actor()
        user_id = identity().register_user(actor, body["email"], body["name"],
                                           [r.value for r in body["roles"]],
                                           [str(b) for b in body["brand_ids"]])
        return versioned(identity().describe_user(actor, user_id), 201,
                         {"Location": f"/api/v1/users/{user_id}"})


@users.route("/<user_id>")
@users.response(200, UserSchema)
def get_user(user_id: str) -> Any:
    """Read a user of one of your brands"""
    return versioned(identity().describe_user(current_actor(), user_id))


@users.route("/<user_id>/tokens", methods=["POST"])
@allowed(lambda: identity().issue_token)
@users.arguments(TokenRequestSchema)
@users.response(201, IssuedTokenSchema)
def issue_token(body: dict[str, Any], user_id: str) -> Any:
    """Issue an API token for a user; the token is shown only in this response"""
    token_id, token = identity().issue_token(current_actor(), user_id, body["label"])
    g.idempotency_redact = ("token",)  # a retry must not reveal the secret a second time
    return {"token_id": token_id, "token": token}, 201


add_commands(users, "user_id", identity, UserSchema, {
    "deactivate": ("deactivate_user", ReasonRequiredSchema,
                   "Deactivate a user: their tokens stop working"),
})


@tokens.route("/<token_id>/revoke", methods=["POST"])
@allowed(lambda: identity().revoke_token)
@tokens.arguments(ReasonRequiredSchema)
@tokens.response(204)
def revoke_token(body: dict[str, Any], token_id: str) -> Any:
    """Revoke an API token"""
    identity().revoke_token(current_actor(), token_id, body["reason"])
