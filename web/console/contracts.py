"""Contracts: the brand's list; one contract with its terms as readable text, its versions
and what each changed, its signatures and payouts, and the forms that move it on; and
the contract family's history, as of any moment, with the audit export and check."""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response as FlaskResponse
from flask import request, url_for
from werkzeug.wrappers.response import Response

from domain.contract import ContractStatus
from domain.errors import InvalidValue
from web.console import blp, by_status, current_actor, page
from web.console.actions import acted, expected_version, field, refusals
from web.console.formatting import time_zone
from web.lists import lists
from web.services import services


@blp.get("/contracts")
def contracts() -> Response:
    return by_status("contracts.html", lists().contracts, [s.value for s in ContractStatus],
                     "-created_at")


@blp.get("/contracts/<contract_id>")
def contract(contract_id: str) -> Response:
    actor, kolpact = current_actor(), services()
    shown = kolpact.contracts.get_contract(actor, contract_id)
    return page("contract.html", contract=shown, terms=shown["terms"],
                versions=kolpact.contracts.terms_versions(actor, contract_id),
                payouts=kolpact.contract_parts.payouts_of(actor, contract_id),
                owed=kolpact.contract_parts.deliverables_of(actor, contract_id),
                shipments=lists().shipments(actor, filters={"contract_id": contract_id},
                                            sort="-created_at", limit=50).page.items,
                changed=changed_since_refusal(contract_id),
                campaigns=open_campaigns() if shown["campaign_id"] is None else [],
                budget_warnings=_budget_warnings(shown))


def open_campaigns() -> list[dict[str, Any]]:
    """What a contract may join: the brand's campaigns planned, running or under review."""
    return lists().campaigns(current_actor(), filters={"open": True}, sort="-starts_on",
                             limit=50).page.items


def _budget_warnings(shown: dict[str, Any]) -> list[str]:
    """Before legal signs: what the campaign's budget says of the fee."""
    boards = services().campaign_boards
    if boards is None or shown["awaiting_signature_version"] is None:
        return []
    return boards.signing_warnings(current_actor(), shown["id"])


def changed_since_refusal(contract_id: str) -> list[dict[str, Any]]:
    """After a stale form: what happened to its record since the version the page showed."""
    return changed_since(lambda: services().audit.contract_history(
        current_actor(), contract_id)["events"])


def changed_since(events: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The events (of a trail holding the stale form's record) newer than the form."""
    stale = [r for r in refusals() if r.get("stale")]
    if not stale:
        return []
    record, since = stale[0].get("record"), stale[0].get("since") or 0
    return [e for e in events() if e["aggregate_id"] == record and e["version"] > since]


def _contract_form(contract_id: str, form: str, message: str, do: Any) -> Response:
    return acted(form, do, url_for("console.contract", contract_id=contract_id), message,
                 record=contract_id)


@blp.post("/contracts/<contract_id>/send-for-signature")
def send_for_signature(contract_id: str) -> Response:
    return _contract_form(contract_id, "send", "Sent for signature.", lambda: services(
    ).contracts.send_for_signature(current_actor(), contract_id, expected_version(),
                                   field("reason")))


@blp.post("/contracts/<contract_id>/sign")
def sign_for_brand(contract_id: str) -> Response:
    return _contract_form(contract_id, "sign", "Signed for the brand.", lambda: services(
    ).contracts.sign_for_brand(current_actor(), contract_id, field("name") or "",
                               field("title"), expected_version()))


@blp.post("/contracts/<contract_id>/creator-acceptance")
def record_creator_acceptance(contract_id: str) -> Response:
    return _contract_form(contract_id, "accept", "The creator's acceptance is recorded.",
                          lambda: services().contracts.record_creator_acceptance(
                              current_actor(), contract_id, field("name") or "", None,
                              expected_version()))


CLOSINGS = {"cancel": "Cancelled.", "terminate": "Terminated.", "complete": "Completed.",
            "withdraw_amendment": "Amendment withdrawn: the terms in force stand."}


@blp.post("/contracts/<contract_id>/<any(cancel, terminate, complete, withdraw_amendment):closing>")
def close(contract_id: str, closing: str) -> Response:
    """Cancel (before signature), terminate or complete, or withdraw an amendment, each
    with its reason."""
    command = getattr(services().contracts, closing)
    return _contract_form(contract_id, closing, CLOSINGS[closing], lambda: command(
        current_actor(), contract_id, field("reason"), expected_version()))


@blp.get("/contracts/<contract_id>/history")
def history(contract_id: str) -> Response:
    as_of = moment(request.args.get("as_of"))
    found = services().audit.contract_history(current_actor(), contract_id, as_of)
    shown = services().contracts.get_contract(current_actor(), contract_id)
    return page("history.html", contract=shown, history=found,
                as_of_text=request.args.get("as_of", ""), verified=None)


@blp.post("/contracts/<contract_id>/verify")
def verify(contract_id: str) -> Response:
    found = services().audit.contract_history(current_actor(), contract_id)
    checked = services().audit.verify(current_actor(), contract_id)
    shown = services().contracts.get_contract(current_actor(), contract_id)
    return page("history.html", contract=shown, history=found, as_of_text="", verified=checked)


@blp.post("/contracts/<contract_id>/audit-export")
def audit_export(contract_id: str) -> FlaskResponse:
    bundle = services().audit.export(current_actor(), contract_id)
    return FlaskResponse(bundle.content, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="audit-{contract_id}.zip"',
        "Cache-Control": "no-store"})


def moment(text: str | None, name: str = "as_of") -> datetime | None:
    """A date and time picked on a page (field `name`), in the person's time zone."""
    if not text:
        return None
    try:
        picked = datetime.fromisoformat(text)
    except ValueError as error:
        raise InvalidValue({name: "pick a date and time"}) from error
    return picked if picked.tzinfo else picked.replace(tzinfo=ZoneInfo(time_zone()))
