"""/api/v1/usage-rights: what the brand may do with content, and the check (legal owns them)."""

from typing import Any

from web.auth import allowed, current_actor
from web.blueprint import Blueprint
from web.lists import listed, lists
from web.schemas.common import ReasonRequiredSchema
from web.schemas.usage_rights import (
    CheckQuerySchema,
    RightsListQuerySchema,
    RightsPageSchema,
    UsageRightSchema,
    VerdictSchema,
)
from web.services import services
from web.versions import expected_version, versioned

blp = Blueprint("usage_rights", __name__, url_prefix="/api/v1/usage-rights",
                description="Usage rights: channels, territories, time; revocation; the check.")


def rights() -> Any:
    return services().usage_rights


@blp.route("")
@blp.arguments(RightsListQuerySchema, location="query")
@blp.response(200, RightsPageSchema)
def calendar(query: dict[str, Any]) -> Any:
    """The rights calendar: what ends when, with checkpoints 45, 30, 14, 0 (read model)"""
    if query.get("channel") is not None:
        query["channel"] = query["channel"].value
    return listed(lists().usage_rights, query)


@blp.route("/check")
@blp.arguments(CheckQuerySchema, location="query")
@blp.response(200, VerdictSchema)
def check(query: dict[str, Any]) -> Any:
    """May the brand use this deliverable on this channel, in this territory, on this day?"""
    return rights().check(current_actor(), str(query["deliverable_id"]), query["channel"],
                          query["territory"], query["date"])


@blp.route("/<right_id>")
@blp.response(200, UsageRightSchema)
def get_right(right_id: str) -> Any:
    """Read a usage right: its term, start, last day, extensions, revocation"""
    return versioned(rights().get_right(current_actor(), right_id))


@blp.route("/<right_id>/revoke", methods=["POST"])
@allowed(lambda: rights().revoke)
@blp.arguments(ReasonRequiredSchema)
@blp.response(200, UsageRightSchema)
def revoke(body: dict[str, Any], right_id: str) -> Any:
    """Revoke a right from today, with a reason (legal)"""
    return versioned(rights().revoke(current_actor(), right_id, body["reason"],
                                     expected_version(body)))
