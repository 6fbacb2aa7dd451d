"""A deliverable's page: what is owed, each submission with its compliance problems marked
in the text, and the review: approve (a non-compliant one only with legal's override and
its reason), ask for changes, submit and publish."""

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import request, url_for
from werkzeug.wrappers.response import Response

from domain.deliverable import DeliverableStatus, Stage
from domain.errors import InvalidValue
from domain.metrics import COUNTED
from domain.vocabulary import Channel
from web.console import blp, current_actor, page
from web.console.actions import acted, expected_version, field
from web.console.contracts import changed_since_refusal, moment
from web.services import services

S = DeliverableStatus
SUBMITS = {S.PENDING: Stage.OUTLINE, S.OUTLINE_CHANGES_REQUESTED: Stage.OUTLINE,
           S.OUTLINE_APPROVED: Stage.DRAFT, S.DRAFT_CHANGES_REQUESTED: Stage.DRAFT}
REVIEWS = {S.OUTLINE_SUBMITTED: Stage.OUTLINE, S.DRAFT_SUBMITTED: Stage.DRAFT}


@blp.get("/deliverables/<deliverable_id>")
def deliverable(deliverable_id: str) -> Response:
    shown = services().deliverables.get_deliverable(current_actor(), deliverable_id)
    status = DeliverableStatus(shown["status"])
    return page("deliverable.html", deliverable=shown, submits=SUBMITS.get(status),
                reviews=REVIEWS.get(status), latest=(shown["submissions"] or [None])[-1],
                channels=list(Channel), asked=request.args, verdict=usage_verdict(deliverable_id),
                metrics=[m.value for m in COUNTED],
                figures=services().deliverables.metrics_of(current_actor(), deliverable_id),
                changed=changed_since_refusal(shown["contract_id"]))


def usage_verdict(deliverable_id: str) -> Any:
    """'May we use this on that channel, there, on that day?', when the page asks it."""
    channel, territory = request.args.get("channel"), request.args.get("territory", "")
    if channel not in {c.value for c in Channel} or not territory.strip():
        return None
    try:
        day = date.fromisoformat(request.args["on"]) if request.args.get("on") else None
    except ValueError:
        day = None  # a hand-edited date: today's answer rather than an error page
    return services().usage_rights.check(current_actor(), deliverable_id, Channel(channel),
                                         territory.strip(), day)


def _stage(deliverable_id: str, stages: dict[DeliverableStatus, Stage]) -> Stage | None:
    status = services().deliverables.get_deliverable(current_actor(), deliverable_id)["status"]
    return stages.get(DeliverableStatus(status))


def _deliverable_form(deliverable_id: str, form: str, message: str,
                      do: Callable[[], Any]) -> Response:
    return acted(form, do, url_for("console.deliverable", deliverable_id=deliverable_id),
                 message, record=deliverable_id)


@blp.post("/deliverables/<deliverable_id>/submit")
def submit_content(deliverable_id: str) -> Response:
    stage = _stage(deliverable_id, SUBMITS) or Stage.OUTLINE  # the domain refuses a wrong one
    return _deliverable_form(deliverable_id, "submit", f"The {stage.value} is submitted.",
                             lambda: services().deliverables.submit(
                                 current_actor(), deliverable_id, stage,
                                 field("content") or "", expected_version()))


@blp.post("/deliverables/<deliverable_id>/approve")
def approve_submission(deliverable_id: str) -> Response:
    stage = _stage(deliverable_id, REVIEWS) or Stage.OUTLINE
    return _deliverable_form(deliverable_id, "approve", f"The {stage.value} is approved.",
                             lambda: services().deliverables.approve(
                                 current_actor(), deliverable_id, stage,
                                 field("override_reason"), expected_version()))


@blp.post("/deliverables/<deliverable_id>/request-changes")
def request_changes(deliverable_id: str) -> Response:
    stage = _stage(deliverable_id, REVIEWS) or Stage.OUTLINE
    return _deliverable_form(deliverable_id, "changes", "Changes requested.",
                             lambda: services().deliverables.request_changes(
                                 current_actor(), deliverable_id, stage, field("comments"),
                                 expected_version()))


@blp.post("/deliverables/<deliverable_id>/publish")
def record_publication(deliverable_id: str) -> Response:
    return _deliverable_form(deliverable_id, "publish", "Publication recorded.",
                             lambda: services().deliverables.publish(
                                 current_actor(), deliverable_id, field("url") or "", None,
                                 expected_version()))


@blp.post("/deliverables/<deliverable_id>/proposals/<int:proposal>/grant")
def grant_extension(deliverable_id: str, proposal: int) -> Response:
    return _deliverable_form(deliverable_id, f"grant-{proposal}", "Extension granted.",
                             lambda: services().deliverables.grant_extension(
                                 current_actor(), deliverable_id, proposal, field("reason"),
                                 expected_version()))


@blp.post("/deliverables/<deliverable_id>/proposals/<int:proposal>/decline")
def decline_extension(deliverable_id: str, proposal: int) -> Response:
    return _deliverable_form(deliverable_id, f"decline-{proposal}", "Extension declined.",
                             lambda: services().deliverables.decline_extension(
                                 current_actor(), deliverable_id, proposal, field("reason"),
                                 expected_version()))


@blp.post("/deliverables/<deliverable_id>/metrics")
def record_metrics(deliverable_id: str) -> Response:
    counts = {metric.value: int(text) for metric in COUNTED
              if (text := (field(metric.value) or "").replace(",", "")).isdigit()}
    problems = {metric.value: "a whole number" for metric in COUNTED
                if field(metric.value) and metric.value not in counts}

    def record() -> Any:
        if problems:
            raise InvalidValue(problems)
        return services().deliverables.record_metrics(current_actor(), deliverable_id, {
            "source": field("source") or "", "counts": counts, "revenue": None,
            "measured_at": moment(field("measured_at"), "measured_at")
            or services().deliverables.clock.now()},
            expected_version())
    return _deliverable_form(deliverable_id, "metrics", "Figures recorded.", record)
