"""/api/v1/make-goods: the board of make-good rules; legal may waive one (reason required)."""

from typing import Any

from web.auth import allowed, current_actor
from web.blueprint import Blueprint
from web.lists import listed, lists
from web.schemas.common import ReasonRequiredSchema
from web.schemas.make_goods import (
    MakeGoodListQuerySchema,
    MakeGoodPageSchema,
    MakeGoodRuleSchema,
)
from web.services import services
from web.versions import expected_version, versioned

blp = Blueprint("make_goods", __name__, url_prefix="/api/v1/make-goods",
                description="Make-good rules: evaluated when their window closes.")


@blp.route("")
@blp.arguments(MakeGoodListQuerySchema, location="query")
@blp.response(200, MakeGoodPageSchema)
def board(query: dict[str, Any]) -> Any:
    """Make-good rules by status, contract, creator, remedy, window closed (read model)"""
    return listed(lists().make_goods, query)


@blp.route("/<rule_id>/waive", methods=["POST"])
@allowed(lambda: services().make_goods.waive)
@blp.arguments(ReasonRequiredSchema)
@blp.response(200, MakeGoodRuleSchema)
def waive(body: dict[str, Any], rule_id: str) -> Any:
    """Waive a rule, armed or breached, with a reason (legal)"""
    return versioned(services().make_goods.waive(current_actor(), rule_id, body["reason"],
                                                 expected_version(body)))
