"""/api/v1/campaigns: brand pushes on a four-week plan, and the contracts in them (ops)."""

from typing import Any

from flask import Response
from flask.views import MethodView

from application.infrastructure.settings import ConfigurationError
from web.auth import allowed, current_actor
from web.blueprint import Blueprint
from web.command_routes import add_commands
from web.idempotency import request_key
from web.lists import listed, lists
from web.schemas.campaigns import (
    BriefRevisionSchema,
    CampaignBoardSchema,
    CampaignHistoryQuerySchema,
    CampaignHistorySchema,
    CampaignQuerySchema,
    CampaignSchema,
    CheckInCommandSchema,
    HandOverSchema,
    MidTermReviewCommandSchema,
    MonthlySummaryRequestSchema,
    MonthlySummarySchema,
    ReproductionSchema,
    RequirementsCommandSchema,
    WeekRevisionSchema,
)
from web.schemas.common import CommandSchema, ReasonRequiredSchema
from web.schemas.lists import CampaignListQuerySchema, CampaignPageSchema
from web.services import services
from web.versions import expected_version, versioned

blp = Blueprint("campaigns", __name__, url_prefix="/api/v1/campaigns",
                description="Campaigns: the brief, the four-week plan, check-ins and reviews.")


def campaigns() -> Any:
    return services().campaigns


@blp.route("")
class Campaigns(MethodView):
    @blp.arguments(CampaignListQuerySchema, location="query")
    @blp.response(200, CampaignPageSchema)
    def get(self, query: dict[str, Any]) -> Any:
        """List campaigns (campaigns overview read model)"""
        return listed(lists().campaigns, query)

    @allowed(lambda: campaigns().plan_campaign)
    @blp.arguments(CampaignSchema)
    @blp.response(201, CampaignSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Plan a campaign (the four-week rhythm unless `plan` gives the weeks)"""
        view = campaigns().plan_campaign(
            current_actor(), body["brief"], body["plan"],
            owner_id=body["owner_id"] and str(body["owner_id"]),
            brand_id=body["brand_id"] and str(body["brand_id"]), request_key=request_key())
        return versioned(view, 201, {"Location": f"/api/v1/campaigns/{view['id']}"})


@blp.route("/<campaign_id>")
@blp.arguments(CampaignQuerySchema, location="query")
@blp.response(200, CampaignSchema)
def get_campaign(query: dict[str, Any], campaign_id: str) -> Any:
    """Read a campaign, now or as it stood at a version or a moment"""
    return versioned(campaigns().get_campaign(current_actor(), campaign_id,
                                              version=query["version"], as_of=query["as_of"]))


@blp.route("/<campaign_id>/board")
@blp.response(200, CampaignBoardSchema)
def board(campaign_id: str) -> Any:
    """The campaign's board: each contract's state, next item due, overdue, awaiting
    review, shipments late, payouts awaiting approval; budget against committed, paid
    and held per currency (read models)"""
    boards = services().campaign_boards
    if boards is None:
        raise ConfigurationError("Campaign boards need a SQLite or PostgreSQL store.")
    return boards.board(current_actor(), campaign_id)


@blp.route("/<campaign_id>/history")
@blp.arguments(CampaignHistoryQuerySchema, location="query")
@blp.response(200, CampaignHistorySchema)
def history(query: dict[str, Any], campaign_id: str) -> Any:
    """The campaign's events: what, when, who in which role, why and what changed"""
    return {"campaign_id": campaign_id, "as_of": query["as_of"],
            "events": campaigns().campaign_history(current_actor(), campaign_id,
                                                   query["as_of"])}


@blp.route("/<campaign_id>/brief", methods=["POST"])
@allowed(lambda: campaigns().revise_brief)
@blp.arguments(BriefRevisionSchema)
@blp.response(200, CampaignSchema)
def revise_brief(body: dict[str, Any], campaign_id: str) -> Any:
    """Revise the brief (while planned or running)"""
    return versioned(campaigns().revise_brief(current_actor(), campaign_id, body["brief"],
                                              body["reason"], expected_version(body)))


@blp.route("/<campaign_id>/weeks/<int:number>", methods=["POST"])
@allowed(lambda: campaigns().revise_week)
@blp.arguments(WeekRevisionSchema)
@blp.response(200, CampaignSchema)
def revise_week(body: dict[str, Any], campaign_id: str, number: int) -> Any:
    """Revise one week of the plan: its theme, goals and key dates"""
    version, reason = expected_version(body), body.pop("reason")
    return versioned(campaigns().revise_week(current_actor(), campaign_id,
                                             {**body, "number": number}, reason, version))


@blp.route("/<campaign_id>/check-ins", methods=["POST"])
@allowed(lambda: campaigns().check_in)
@blp.arguments(CheckInCommandSchema)
@blp.response(200, CampaignSchema)
def check_in(body: dict[str, Any], campaign_id: str) -> Any:
    """Check in on a week: how each goal stands, adjustments, risks"""
    version = expected_version(body)
    return versioned(campaigns().check_in(current_actor(), campaign_id, body, version))


@blp.route("/<campaign_id>/mid-term-review", methods=["POST"])
@allowed(lambda: campaigns().review_mid_term)
@blp.arguments(MidTermReviewCommandSchema)
@blp.response(200, CampaignSchema)
def review_mid_term(body: dict[str, Any], campaign_id: str) -> Any:
    """Record the mid-term review: what stands, what is decided"""
    version = expected_version(body)
    return versioned(campaigns().review_mid_term(current_actor(), campaign_id, body, version))


@blp.route("/<campaign_id>/requirements", methods=["POST"])
@allowed(lambda: campaigns().record_requirements)
@blp.arguments(RequirementsCommandSchema)
@blp.response(200, CampaignSchema)
def record_requirements(body: dict[str, Any], campaign_id: str) -> Any:
    """Record a creator's own ideas and requirements (week 1), for legal to draft from"""
    version = expected_version(body)
    return versioned(campaigns().record_requirements(current_actor(), campaign_id, body,
                                                     version))


@blp.route("/<campaign_id>/hand-over", methods=["POST"])
@allowed(lambda: campaigns().hand_over)
@blp.arguments(HandOverSchema)
@blp.response(200, CampaignSchema)
def hand_over(body: dict[str, Any], campaign_id: str) -> Any:
    """Hand the campaign over to another owner (ops or legal), with the reason"""
    return versioned(campaigns().hand_over(current_actor(), campaign_id, str(body["owner_id"]),
                                           body["reason"], expected_version(body)))


def summaries() -> Any:
    return services().campaign_summaries


@blp.route("/<campaign_id>/summaries", methods=["POST"])
@allowed(lambda: summaries().record_summary)
@blp.arguments(MonthlySummaryRequestSchema)
@blp.response(201, MonthlySummarySchema)
def record_summary(body: dict[str, Any], campaign_id: str) -> Any:
    """Write the next monthly summary from the events up to `as_of` (stored, versioned)"""
    written = summaries().record_summary(current_actor(), campaign_id, body["as_of"],
                                         expected_version(body))
    return written, 201, {"Location": f"/api/v1/campaigns/{campaign_id}/summaries/"
                                      f"{written['number']}",
                          "ETag": f'"{written["campaign_version"]}"'}


@blp.route("/<campaign_id>/summaries/<int:number>")
@blp.response(200, MonthlySummarySchema)
def get_summary(campaign_id: str, number: int) -> Any:
    """Read a summary: its document, digest and Markdown"""
    return summaries().get_summary(current_actor(), campaign_id, number)


@blp.route("/<campaign_id>/summaries/<int:number>/report.<any(md, html):kind>")
@blp.doc(responses={200: {"description": "The summary as Markdown or one HTML page",
                          "content": {"text/markdown": {}, "text/html": {}}}})
def summary_report(campaign_id: str, number: int, kind: str) -> Any:
    """The summary for people, as Markdown or as one self-contained HTML page"""
    shown = summaries().report(current_actor(), campaign_id, number, kind)
    mimetype = "text/markdown" if kind == "md" else "text/html"
    return Response(shown, mimetype=mimetype, headers={
        "Content-Disposition": f'inline; filename="campaign-summary-{number}.{kind}"'})


@blp.route("/<campaign_id>/summaries/<int:number>/reproduction")
@blp.response(200, ReproductionSchema)
def reproduce_summary(campaign_id: str, number: int) -> Any:
    """Write the summary again from the events up to its moment and compare digests"""
    return summaries().reproduce(current_actor(), campaign_id, number)


add_commands(blp, "campaign_id", campaigns, CampaignSchema, {
    "start": ("start_campaign", CommandSchema, "Start the campaign (planned -> running)"),
    "review": ("begin_review", CommandSchema, "Begin the review (running -> reviewing)"),
    "close": ("close_campaign", CommandSchema, "Close it after its review"),
    "cancel": ("cancel_campaign", ReasonRequiredSchema, "Cancel it (reason)"),
})
