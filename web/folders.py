"""/api/v1/folders: named lists of a brand's creators, shared in the brand."""

from typing import Any

from flask.views import MethodView

from web.auth import allowed, current_actor
from web.blueprint import Blueprint
from web.idempotency import request_key
from web.lists import listed, lists
from web.schemas.folders import (
    DeleteSchema,
    FolderListQuerySchema,
    FolderPageSchema,
    FolderSchema,
    MembersSchema,
    RenameSchema,
)
from web.services import services
from web.versions import expected_version, versioned

blp = Blueprint("folders", __name__, url_prefix="/api/v1/folders",
                description="Folders: named lists of creators ('beauty KOCs Shanghai').")


def creators() -> Any:
    return services().creators


@blp.route("")
class Folders(MethodView):
    @blp.arguments(FolderListQuerySchema, location="query")
    @blp.response(200, FolderPageSchema)
    def get(self, query: dict[str, Any]) -> Any:
        """The brand's folders (read model); GET /creators?folder_id= lists one's creators"""
        return listed(lists().folders, query)

    @allowed(lambda: creators().create_folder)
    @blp.arguments(FolderSchema)
    @blp.response(201, FolderSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Make a folder, with creators in it or not"""
        view = creators().create_folder(
            current_actor(), body["name"], [str(c) for c in body["creator_ids"]],
            brand_id=body["brand_id"] and str(body["brand_id"]), request_key=request_key())
        return versioned(view, 201, {"Location": f"/api/v1/folders/{view['id']}"})


@blp.route("/<folder_id>")
@blp.response(200, FolderSchema)
def get_folder(folder_id: str) -> Any:
    """Read a folder"""
    return versioned(creators().get_folder(current_actor(), folder_id))


@blp.route("/<folder_id>/rename", methods=["POST"])
@allowed(lambda: creators().rename_folder)
@blp.arguments(RenameSchema)
@blp.response(200, FolderSchema)
def rename(body: dict[str, Any], folder_id: str) -> Any:
    """Rename a folder"""
    return versioned(creators().rename_folder(current_actor(), folder_id, body["name"],
                                              expected_version(body)))


@blp.route("/<folder_id>/creators", methods=["POST"])
@allowed(lambda: creators().add_to_folder)
@blp.arguments(MembersSchema)
@blp.response(200, FolderSchema)
def add(body: dict[str, Any], folder_id: str) -> Any:
    """Put creators in the folder (ones in it already stay once)"""
    return versioned(creators().add_to_folder(current_actor(), folder_id,
                                              [str(c) for c in body["creator_ids"]],
                                              expected_version(body)))


@blp.route("/<folder_id>/creators/remove", methods=["POST"])
@allowed(lambda: creators().remove_from_folder)
@blp.arguments(MembersSchema)
@blp.response(200, FolderSchema)
def remove(body: dict[str, Any], folder_id: str) -> Any:
    """Take creators out of the folder"""
    return versioned(creators().remove_from_folder(current_actor(), folder_id,
                                                   [str(c) for c in body["creator_ids"]],
                                                   expected_version(body)))


@blp.route("/<folder_id>/delete", methods=["POST"])
@allowed(lambda: creators().delete_folder)
@blp.arguments(DeleteSchema)
@blp.response(200, FolderSchema)
def delete(body: dict[str, Any], folder_id: str) -> Any:
    """Delete a folder (reason required; its history stays)"""
    return versioned(creators().delete_folder(current_actor(), folder_id, body["reason"],
                                              expected_version(body)))
