"""/api/v1/deliverables: content owed under active contracts, through review (ops, legal)."""

from typing import Any

from flask import abort
from flask.views import MethodView

from domain.deliverable import Stage
from web.auth import allowed, current_actor
from web.blueprint import Blueprint
from web.command_routes import add_commands
from web.lists import listed, lists
from web.schemas.common import CommandSchema, ReasonRequiredSchema
from web.schemas.deliverables import (
    ApprovalSchema,
    ChangesRequestSchema,
    DeliverableSchema,
    ExtensionSchema,
    MetricsListSchema,
    MetricsRequestSchema,
    ProposalDecisionSchema,
    ProposalDeclineSchema,
    PublicationSchema,
    SubmissionRequestSchema,
)
from web.schemas.lists import DeliverableListQuerySchema, DeliverablePageSchema
from web.services import services
from web.versions import expected_version, versioned

blp = Blueprint("deliverables", __name__, url_prefix="/api/v1/deliverables",
                description="Outlines and drafts with compliance checks, publication, "
                            "acceptance.")


def deliverables() -> Any:
    return services().deliverables


def stage_of(segment: str) -> Stage:
    try:
        return Stage(segment)
    except ValueError:
        abort(404)


@blp.route("")
@blp.arguments(DeliverableListQuerySchema, location="query")
@blp.response(200, DeliverablePageSchema)
def board(query: dict[str, Any]) -> Any:
    """The deliverables board: due soon, overdue, awaiting review (read model)"""
    return listed(lists().deliverables, query)


@blp.route("/<deliverable_id>")
@blp.response(200, DeliverableSchema)
def get_deliverable(deliverable_id: str) -> Any:
    """Read a deliverable with every submission and its compliance result"""
    return versioned(deliverables().get_deliverable(current_actor(), deliverable_id))


@blp.route("/<deliverable_id>/<stage>", methods=["POST"])
@allowed(lambda: deliverables().submit)
@blp.arguments(SubmissionRequestSchema)
@blp.response(200, DeliverableSchema)
def submit(body: dict[str, Any], deliverable_id: str, stage: str) -> Any:
    """Submit an outline or a draft (stage: outline or draft); it is checked at once"""
    return versioned(deliverables().submit(current_actor(), deliverable_id, stage_of(stage),
                                           body["content"], expected_version(body)))


@blp.route("/<deliverable_id>/<stage>/request-changes", methods=["POST"])
@allowed(lambda: deliverables().request_changes)
@blp.arguments(ChangesRequestSchema)
@blp.response(200, DeliverableSchema)
def request_changes(body: dict[str, Any], deliverable_id: str, stage: str) -> Any:
    """Send the outline or draft back to the creator with comments"""
    return versioned(deliverables().request_changes(
        current_actor(), deliverable_id, stage_of(stage), body["comments"],
        expected_version(body)))


@blp.route("/<deliverable_id>/<stage>/approve", methods=["POST"])
@allowed(lambda: deliverables().approve)
@blp.arguments(ApprovalSchema)
@blp.response(200, DeliverableSchema)
def approve(body: dict[str, Any], deliverable_id: str, stage: str) -> Any:
    """Approve the outline or draft (a non-compliant one: legal, with override_reason)"""
    return versioned(deliverables().approve(current_actor(), deliverable_id, stage_of(stage),
                                            body["override_reason"], expected_version(body)))


@blp.route("/<deliverable_id>/extend", methods=["POST"])
@allowed(lambda: deliverables().extend_due_date)
@blp.arguments(ExtensionSchema)
@blp.response(200, DeliverableSchema)
def extend_due_date(body: dict[str, Any], deliverable_id: str) -> Any:
    """Move the due date (ops within the contract's buffer days, legal beyond)"""
    return versioned(deliverables().extend_due_date(
        current_actor(), deliverable_id, body["days"], body["category"], body["reason"],
        expected_version(body)))


@blp.route("/<deliverable_id>/proposals/<int:number>/grant", methods=["POST"])
@allowed(lambda: deliverables().grant_extension)
@blp.arguments(ProposalDecisionSchema)
@blp.response(200, DeliverableSchema)
def grant_extension(body: dict[str, Any], deliverable_id: str, number: int) -> Any:
    """Grant a proposed extension (ops within the buffer days, legal beyond)"""
    return versioned(deliverables().grant_extension(current_actor(), deliverable_id, number,
                                                    body["reason"], expected_version(body)))


@blp.route("/<deliverable_id>/proposals/<int:number>/decline", methods=["POST"])
@allowed(lambda: deliverables().decline_extension)
@blp.arguments(ProposalDeclineSchema)
@blp.response(200, DeliverableSchema)
def decline_extension(body: dict[str, Any], deliverable_id: str, number: int) -> Any:
    """Decline a proposed extension (reason required)"""
    return versioned(deliverables().decline_extension(current_actor(), deliverable_id, number,
                                                      body["reason"], expected_version(body)))


@blp.route("/<deliverable_id>/metrics")
class Metrics(MethodView):
    @blp.response(200, MetricsListSchema)
    def get(self, deliverable_id: str) -> Any:
        """Every metric snapshot recorded, oldest first"""
        return {"deliverable_id": deliverable_id,
                "snapshots": deliverables().metrics_of(current_actor(), deliverable_id)}

    @allowed(lambda: deliverables().record_metrics)
    @blp.arguments(MetricsRequestSchema)
    @blp.response(200, DeliverableSchema)
    def post(self, body: dict[str, Any], deliverable_id: str) -> Any:
        """Append a metric snapshot (the same snapshot twice is recorded once)"""
        version = expected_version(body)  # takes it out of the body: the rest is the snapshot
        return versioned(deliverables().record_metrics(current_actor(), deliverable_id,
                                                       body, version))


@blp.route("/<deliverable_id>/publish", methods=["POST"])
@allowed(lambda: deliverables().publish)
@blp.arguments(PublicationSchema)
@blp.response(200, DeliverableSchema)
def publish(body: dict[str, Any], deliverable_id: str) -> Any:
    """Record where and when the content went live"""
    return versioned(deliverables().publish(current_actor(), deliverable_id, body["url"],
                                            body["published_at"], expected_version(body)))


add_commands(blp, "deliverable_id", deliverables, DeliverableSchema, {
    "accept": ("accept", CommandSchema, "Accept the published content"),
    "waive": ("waive", ReasonRequiredSchema, "Waive the deliverable (legal, reason required)"),
    "cancel": ("cancel", ReasonRequiredSchema,
               "Cancel the deliverable (legal, reason required)"),
})
