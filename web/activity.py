"""/api/v1/activity: what happened in your brands, newest first."""

from typing import Any

from web.blueprint import Blueprint
from web.lists import listed, lists
from web.schemas.lists import ActivityPageSchema, ActivityQuerySchema

blp = Blueprint("activity", __name__, url_prefix="/api/v1/activity",
                description="Every event of your brands' records (activity feed read model).")


@blp.route("")
@blp.arguments(ActivityQuerySchema, location="query")
@blp.response(200, ActivityPageSchema)
def activity(query: dict[str, Any]) -> Any:
    """List events: who did what, when and why"""
    return listed(lists().activity, query)
