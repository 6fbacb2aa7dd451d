"""Legal writes terms on a page: a new draft (the creator, the title, the campaign and
every term), a draft revised before it is sent, or an amendment proposed to terms in
force. The form (web.console.terms_form) holds every term, filled from the terms as
they stand, so nothing the page does not show is lost."""

from typing import Any

from flask import request, url_for
from werkzeug.wrappers.response import Response

from application.errors import NotFound
from domain.contract import ContractStatus
from domain.values import to_primitive
from web.console import blp, current_actor, page, require
from web.console.actions import acted, expected_version, field
from web.console.contracts import changed_since_refusal
from web.console.terms_form import (
    GENERAL,
    MAX_ROWS,
    SECTIONS,
    terms_from,
    values_of,
    values_sent,
)
from web.lists import lists
from web.services import services

AT_LEAST = {"deliverables": 1, "milestones": 1}  # rows drawn even when none is written
CHANGEABLE = {ContractStatus.DRAFT.value: "revise", ContractStatus.ACTIVE.value: "amend"}


@blp.get("/contracts/new")
def new_contract() -> Response:
    """The drafting form; from a campaign's page, for one creator in that campaign."""
    require("contracts.draft_contract")  # the page is nothing but its form
    return _new_contract_page({name: request.args[name] for name in ("creator_id",
                                                                      "campaign_id")
                               if request.args.get(name)})


@blp.post("/contracts/new")
def draft_contract() -> Response:
    require("contracts.draft_contract")
    if request.form.get("add"):
        return _new_contract_page(values_sent(request.form), grow=request.form["add"])

    def draft() -> Any:
        return services().contracts.draft_contract(
            current_actor(), field("creator_id") or "", field("title") or "",
            terms_from(request.form), field("campaign"), campaign_id=field("campaign_id"))
    return acted("terms", draft, lambda drafted: url_for("console.contract",
                                                         contract_id=drafted["id"]),
                 "Drafted.", record=None,
                 redraw=lambda: _new_contract_page(values_sent(request.form), status=422))


def _new_contract_page(values: dict[str, Any], grow: str = "", status: int = 200) -> Response:
    """In a campaign, the form shows what its creators asked for, and drafts in it."""
    actor = current_actor()
    creators = _creators(values.get("creator_id"))
    campaign = services().campaigns.get_campaign(actor, values["campaign_id"]) \
        if values.get("campaign_id") else None
    if campaign is not None:
        values.setdefault("campaign", campaign["brief"].name)
    return _terms_page("new", values, grow, status, creators=creators,
                       contract=None, action=url_for("console.draft_contract"),
                       campaign=campaign)


def _creators(chosen: str | None) -> list[dict[str, Any]]:
    """The brand's creators to choose from, with the one asked for among them even when
    the directory has not caught up with them yet (a creator registered a moment ago)."""
    listed = lists().creators(current_actor(), filters={}, sort="display_name",
                              limit=200).page.items
    if chosen and all(c["creator_id"] != chosen for c in listed):
        try:
            creator = services().creators.creator_for(current_actor(), chosen)
        except NotFound:
            return listed
        listed = [{"creator_id": chosen, "display_name": creator.profile.display_name},
                  *listed]
    return listed


@blp.get("/contracts/<contract_id>/terms")
def change_terms(contract_id: str) -> Response:
    contract = services().contracts.get_contract(current_actor(), contract_id)
    return _change_page(contract, values_of(to_primitive(contract["terms"])))


@blp.post("/contracts/<contract_id>/terms")
def changed_terms(contract_id: str) -> Response:
    actor, kolpact = current_actor(), services()
    contract = kolpact.contracts.get_contract(actor, contract_id)
    if request.form.get("add"):
        return _change_page(contract, values_sent(request.form), grow=request.form["add"])

    def change() -> Any:
        if contract["status"] == ContractStatus.ACTIVE.value:
            return kolpact.contracts.propose_amendment(
                actor, contract_id, terms_from(request.form), field("reason"),
                expected_version=expected_version())
        return kolpact.contracts.revise_terms(actor, contract_id, terms_from(request.form),
                                              expected_version=expected_version(),
                                              reason=field("reason"))
    return acted("terms", change, url_for("console.contract", contract_id=contract_id),
                 "Amendment proposed: it takes effect once both sides sign it."
                 if contract["status"] == ContractStatus.ACTIVE.value else "Draft revised.",
                 record=contract_id,
                 redraw=lambda: _change_page(
                     kolpact.contracts.get_contract(actor, contract_id),
                     values_sent(request.form), status=422))


def _change_page(contract: dict[str, Any], values: dict[str, Any], grow: str = "",
                 status: int = 200) -> Response:
    mode = CHANGEABLE.get(contract["status"])
    require("contracts.propose_amendment" if mode == "amend" else "contracts.revise_terms")
    if mode is None:
        return page("problem.html", 409, title="These terms can no longer be changed",
                    detail=f"The contract is {contract['status'].replace('_', ' ')}: only a "
                           "draft is revised, and only a contract in force is amended.")
    return _terms_page(mode, values, grow, status, contract=contract,
                       action=url_for("console.changed_terms", contract_id=contract["id"]),
                       changed=changed_since_refusal(contract["id"]))


def _terms_page(mode: str, values: dict[str, Any], grow: str, status: int,
                **context: Any) -> Response:
    """The form with each list's rows: as many as written, at least AT_LEAST, and one
    more in the list whose 'Add' button was pressed."""
    rows = {s.name: min(max(int(values.get(f"rows.{s.name}") or 0), AT_LEAST.get(s.name, 0))
                        + (1 if s.name == grow else 0), MAX_ROWS) for s in SECTIONS}
    return page("terms_form.html", status, mode=mode, values=values, rows=rows,
                sections=SECTIONS, general=GENERAL, **context)
