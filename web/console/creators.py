"""Creators: the brand's directory, searched by name, and one creator's profile with the
contracts the brand has had with them and the relationship: its owner, notes, contacts
and next follow-up, with the forms that keep them."""

from datetime import date
from typing import Any
from uuid import UUID

from flask import request, url_for
from werkzeug.wrappers.response import Response

from application.common.history import history
from domain.creator_profile import CreatorKind
from domain.errors import InvalidValue
from domain.relationship import Channel
from web.console import blp, current_actor, page, paged
from web.console.actions import acted, colleague_field, expected_version, field
from web.console.contracts import changed_since
from web.creators import cooperation_records, handovers
from web.lists import lists
from web.services import services


@blp.get("/creators")
def creators() -> Response:
    folders = _folders({})
    filters = directory_filters(folders)
    found = paged(lists().creators, filters, "display_name")
    return page("creators.html", found=found, q=filters["q"] or "", kind=filters["kind"],
                kinds=list(CreatorKind), folders=folders, folder=filters["folder_id"],
                mine=filters["owner_id"] is not None)


def directory_filters(folders: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The list's filters from the address: a name, a kind, a folder, mine only."""
    query = (request.args.get("q") or "").strip()[:200] or None
    kind = request.args.get("kind") if request.args.get("kind") in {k.value for k in
                                                                    CreatorKind} else None
    folder = request.args.get("folder_id")
    known = {f["folder_id"] for f in (_folders({}) if folders is None else folders)}
    mine = request.args.get("mine") == "1"
    return {"q": query, "kind": kind, "folder_id": folder if folder in known else None,
            "owner_id": current_actor().user_id if mine else None}


def _folders(filters: dict[str, Any]) -> list[dict[str, Any]]:
    return lists().folders(current_actor(), filters=filters, sort="name",
                           limit=200).page.items


@blp.get("/creators/<creator_id>")
def creator_profile(creator_id: str) -> Response:
    actor = current_actor()
    shown = services().creators.get_creator(actor, creator_id)
    contracts = lists().contracts(actor, filters={"creator_id": creator_id},
                                  sort="-created_at", limit=50)
    return page("creator.html", creator=shown, contracts=contracts.page.items,
                folders=_folders({}), in_folders=_folders({"creator_id": creator_id}),
                cooperation=cooperation_records().cooperation(actor, creator_id),
                channels=[(c.value, c.value.replace("_", " ")) for c in Channel],
                changed=changed_since(lambda: _history(creator_id)))


def _history(creator_id: str) -> list[dict[str, Any]]:
    """The creator's events, for what changed since a stale form (the page was readable,
    so the creator is the reader's)."""
    return list(history(services().creators, UUID(creator_id)))


@blp.post("/creators/<creator_id>/notes")
def add_note(creator_id: str) -> Response:
    return _creator_form(creator_id, "note", "Note kept.", lambda: services().creators.add_note(
        current_actor(), creator_id, field("text") or "", expected_version()))


@blp.post("/creators/<creator_id>/contacts")
def log_contact(creator_id: str) -> Response:
    def log() -> Any:
        follow_up = field("next_follow_up")
        try:
            day = date.fromisoformat(follow_up) if follow_up else None
        except ValueError as error:
            raise InvalidValue({"next_follow_up": "pick a date"}) from error
        return services().creators.log_contact(current_actor(), creator_id, {
            "channel": field("channel") or "", "summary": field("summary") or "",
            "next_follow_up": day}, expected_version())
    return _creator_form(creator_id, "contact", "Contact logged.", log)


@blp.post("/creators/<creator_id>/owner")
def take_over(creator_id: str) -> Response:
    """The person takes the relationship on (from its owner, with the reason)."""
    return _creator_form(creator_id, "owner", "The relationship is yours.", lambda: services(
    ).creators.assign_owner(current_actor(), creator_id, current_actor().user_id,
                            field("reason"), expected_version()))


@blp.post("/creators/<creator_id>/hand-over")
def hand_over(creator_id: str) -> Response:
    """The relationship goes to a colleague, named by email (with the reason)."""
    return _creator_form(creator_id, "hand-over", "Handed over.", lambda: services(
    ).creators.assign_owner(current_actor(), creator_id, colleague_field("email"),
                            field("reason"), expected_version()))


@blp.post("/creators/hand-over")
def hand_over_all() -> Response:
    """Someone leaves: every creator they own goes to a colleague, each with the reason."""
    return acted("hand-over-all", lambda: handovers().hand_over_all(
        current_actor(), colleague_field("from_email"), colleague_field("to_email"),
        field("reason")), lambda moved: url_for("console.creators"),
        "Handed over.", record=None)


@blp.post("/creators/<creator_id>/folder")
def put_in_folder(creator_id: str) -> Response:
    return _creator_form(creator_id, "folder", "Put in the folder.", lambda: services(
    ).creators.add_to_folder(current_actor(), field("folder_id") or "", [creator_id]))


def _creator_form(creator_id: str, form: str, message: str, do: Any) -> Response:
    return acted(form, do, url_for("console.creator_profile", creator_id=creator_id) +
                 "#relationship", message, record=creator_id)


# Folders: the brand's named lists of creators.

@blp.get("/folders")
def folders() -> Response:
    return page("folders.html", found=paged(lists().folders, {}, "name"))


@blp.post("/folders")
def create_folder() -> Response:
    return acted("new-folder", lambda: services().creators.create_folder(
        current_actor(), field("name") or ""), url_for("console.folders"), "Folder made.",
        record=None)


@blp.post("/folders/<folder_id>/rename")
def rename_folder(folder_id: str) -> Response:
    return acted(f"rename-{folder_id}", lambda: services().creators.rename_folder(
        current_actor(), folder_id, field("name") or "", expected_version()),
        url_for("console.folders"), "Folder renamed.", record=folder_id)


@blp.post("/folders/<folder_id>/delete")
def delete_folder(folder_id: str) -> Response:
    return acted(f"delete-{folder_id}", lambda: services().creators.delete_folder(
        current_actor(), folder_id, field("reason"), expected_version()),
        url_for("console.folders"), "Folder deleted.", record=folder_id)
