"""Creators: the brand's directory, searched by name, and one creator's profile with the
contracts the brand has had with them."""

from flask import request
from werkzeug.wrappers.response import Response

from domain.creator_profile import CreatorKind
from domain.errors import InvalidValue
from web.console import blp, current_actor, page
from web.lists import lists
from web.services import services

PAGE_SIZE = 25


@blp.get("/creators")
def creators() -> Response:
    query = (request.args.get("q") or "").strip()[:200] or None
    kind = request.args.get("kind") if request.args.get("kind") in {k.value for k in
                                                                    CreatorKind} else None
    filters = {"q": query, "kind": kind}
    try:
        found = lists().creators(current_actor(), filters=dict(filters), sort="display_name",
                                 cursor=request.args.get("cursor") or None, limit=PAGE_SIZE)
    except InvalidValue:  # a cursor that is not one of ours: from the first page
        found = lists().creators(current_actor(), filters=dict(filters), sort="display_name",
                                 limit=PAGE_SIZE)
    return page("creators.html", found=found.page, q=query or "", kind=kind,
                kinds=list(CreatorKind))


@blp.get("/creators/<creator_id>")
def creator_profile(creator_id: str) -> Response:
    actor = current_actor()
    shown = services().creators.get_creator(actor, creator_id)
    contracts = lists().contracts(actor, filters={"creator_id": creator_id},
                                  sort="-created_at", limit=50)
    return page("creator.html", creator=shown, contracts=contracts.page.items)
