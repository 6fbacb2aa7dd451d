"""/api/v1/make-goods: make-good rules; legal may waive one (reason required)."""

from typing import Any

from web.auth import current_actor
from web.blueprint import Blueprint
from web.schemas.common import ReasonRequiredSchema
from web.schemas.make_goods import MakeGoodRuleSchema
from web.services import services
from web.versions import expected_version, versioned

blp = Blueprint("make_goods", __name__, url_prefix="/api/v1/make-goods",
                description="Make-good rules: evaluated when their window closes.")


@blp.route("/<rule_id>/waive", methods=["POST"])
@blp.arguments(ReasonRequiredSchema)
@blp.response(200, MakeGoodRuleSchema)
def waive(body: dict[str, Any], rule_id: str) -> Any:
    """Waive a rule, armed or breached, with a reason (legal)"""
    return versioned(services().make_goods.waive(current_actor(), rule_id, body["reason"],
                                                 expected_version(body)))
