"""A contract's payouts, moved on from its page: asked for (finance), approved by another
finance user, held and retried, each with the reason the payout's history keeps."""

from collections.abc import Callable
from typing import Any

from flask import request, url_for
from werkzeug.wrappers.response import Response

from domain.errors import InvalidValue
from domain.payout import Rail
from web.console import blp, current_actor, page
from web.console.actions import acted, expected_version, field
from web.console.contracts import changed_since_refusal
from web.services import services


@blp.get("/payouts/<payout_id>")
def payout(payout_id: str) -> Response:
    """The payout with its history: every request, approval, hold, attempt and answer."""
    actor = current_actor()
    shown = services().payouts.get_payout(actor, payout_id)
    family = services().audit.contract_history(actor, shown["contract_id"])["events"]
    return page("payout.html", payout=shown,
                history=[e for e in family if e["aggregate_id"] == shown["id"]],
                changed=changed_since_refusal(shown["contract_id"]))


def _payout_form(payout_id: str, form: str, message: str,
                 command: Callable[[Any], Any]) -> Response:
    contract_id = request.form.get("contract_id", "")
    then = url_for("console.contract", contract_id=contract_id) + "#payouts" \
        if contract_id else url_for("console.payout", payout_id=payout_id)
    return acted(f"{form}-{payout_id}", lambda: command(services().payouts), then, message,
                 record=payout_id)


@blp.post("/payouts/<payout_id>/request-release")
def request_release(payout_id: str) -> Response:
    def requested(payouts: Any) -> Any:
        chosen = field("rail") or Rail.STRIPE.value
        if chosen not in {rail.value for rail in Rail}:
            raise InvalidValue({"rail": f"one of {', '.join(rail.value for rail in Rail)}"})
        return payouts.request_release(current_actor(), payout_id, Rail(chosen),
                                       field("reason"), expected_version())
    return _payout_form(payout_id, "request", "Release requested: another finance user "
                        "approves it.", requested)


@blp.post("/payouts/<payout_id>/record-payment")
def record_payment(payout_id: str) -> Response:
    return _payout_form(payout_id, "paid", "Payment recorded.",
                        lambda payouts: payouts.record_offline_payment(
                            current_actor(), payout_id, field("reference") or "",
                            field("proof"), expected_version()))


@blp.post("/payouts/<payout_id>/approve")
def approve(payout_id: str) -> Response:
    return _payout_form(payout_id, "approve", "Approved: it is paid in the next round.",
                        lambda payouts: payouts.approve(current_actor(), payout_id,
                                                        field("reason"), expected_version()))


@blp.post("/payouts/<payout_id>/hold")
def hold(payout_id: str) -> Response:
    return _payout_form(payout_id, "hold", "Held.", lambda payouts: payouts.hold(
        current_actor(), payout_id, field("reason"), expected_version()))


@blp.post("/payouts/<payout_id>/retry")
def retry(payout_id: str) -> Response:
    return _payout_form(payout_id, "retry", "It will be tried again.",
                        lambda payouts: payouts.retry(current_actor(), payout_id,
                                                      field("reason"), expected_version()))
