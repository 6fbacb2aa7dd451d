"""Contracts: the brand's list, and one contract with its terms as readable text, its
versions with what each changed, and its signatures."""

from flask import request
from werkzeug.wrappers.response import Response

from domain.contract import ContractStatus
from domain.errors import InvalidValue
from web.console import blp, current_actor, page
from web.lists import lists
from web.services import services

PAGE_SIZE = 25


@blp.get("/contracts")
def contracts() -> Response:
    status = request.args.get("status") or None
    statuses = [s.value for s in ContractStatus]
    if status not in (None, *statuses):
        status = None  # a hand-edited address: show every status rather than an error page
    try:
        listing = lists().contracts(
            current_actor(), filters={"status": status}, sort="-created_at",
            cursor=request.args.get("cursor") or None, limit=PAGE_SIZE)
    except InvalidValue:  # a cursor that is not one of ours: start from the first page
        listing = lists().contracts(current_actor(), filters={"status": status},
                                             sort="-created_at", limit=PAGE_SIZE)
    return page("contracts.html", found=listing.page, chosen=status, statuses=statuses)


@blp.get("/contracts/<contract_id>")
def contract(contract_id: str) -> Response:
    actor = services().contracts
    shown = actor.get_contract(current_actor(), contract_id)
    versions = actor.terms_versions(current_actor(), contract_id)
    return page("contract.html", contract=shown, terms=shown["terms"], versions=versions)
