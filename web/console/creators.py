"""Creators: the brand's directory, searched by name, and one creator's profile with the
contracts the brand has had with them."""

from flask import request
from werkzeug.wrappers.response import Response

from domain.creator_profile import CreatorKind
from web.console import blp, current_actor, page, paged
from web.lists import lists
from web.services import services


@blp.get("/creators")
def creators() -> Response:
    query = (request.args.get("q") or "").strip()[:200] or None
    kind = request.args.get("kind") if request.args.get("kind") in {k.value for k in
                                                                    CreatorKind} else None
    found = paged(lists().creators, {"q": query, "kind": kind}, "display_name")
    return page("creators.html", found=found, q=query or "", kind=kind,
                kinds=list(CreatorKind))


@blp.get("/creators/<creator_id>")
def creator_profile(creator_id: str) -> Response:
    actor = current_actor()
    shown = services().creators.get_creator(actor, creator_id)
    contracts = lists().contracts(actor, filters={"creator_id": creator_id},
                                  sort="-created_at", limit=50)
    return page("creator.html", creator=shown, contracts=contracts.page.items)
