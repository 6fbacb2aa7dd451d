"""Folders of creators, kept by the creators application beside the creators they list
(ops and legal keep them; everyone in the brand reads them)."""

from collections.abc import Callable
from typing import Any

from application.common.actor import READERS, Actor, requires
from application.common.kolpact_app import new_or_derived_id
from application.errors import NotFound
from domain.creator import Creator
from domain.folder import Folder
from domain.identity import Role

KEEPERS = (Role.OPS, Role.LEGAL)


def describe_folder(folder: Folder) -> dict[str, Any]:
    return {"id": str(folder.id), "version": folder.version, "brand_id": folder.brand_id,
            "name": folder.name, "creator_ids": list(folder.creator_ids),
            "deleted": folder.deleted, "created_at": folder.created_on,
            "updated_at": folder.modified_on}


class FolderUseCases:
    """Mixed into the creators application."""

    _create_once: Callable[..., Any]
    _load_visible: Callable[..., Any]
    _change: Callable[..., Any]
    creator_for: Callable[[Actor, str], Creator]

    @requires(*KEEPERS, action="keep folders of creators")
    def create_folder(self, actor: Actor, name: str, creator_ids: list[str] | None = None,
                      brand_id: str | None = None,
                      request_key: str | None = None) -> dict[str, Any]:
        home = actor.home_brand(brand_id)
        members = self._members(actor, home, creator_ids or [])

        def create() -> Folder:
            folder = Folder.create(actor=actor.user_id, brand_id=home, name=name,
                                   id=new_or_derived_id("folder", actor.user_id, request_key))
            folder.add(actor.user_id, members)
            return folder
        return describe_folder(self._create_once(create, Folder, "folder"))

    @requires(*READERS, action="read folders")
    def get_folder(self, actor: Actor, folder_id: str) -> dict[str, Any]:
        return describe_folder(self._load_visible(actor, Folder, folder_id, "folder"))

    @requires(*KEEPERS, action="keep folders of creators")
    def rename_folder(self, actor: Actor, folder_id: str, name: str,
                      expected_version: int | None = None) -> dict[str, Any]:
        return self._folder_change(actor, folder_id, expected_version,
                                   lambda f: f.rename(actor.user_id, name))

    @requires(*KEEPERS, action="keep folders of creators")
    def add_to_folder(self, actor: Actor, folder_id: str, creator_ids: list[str],
                      expected_version: int | None = None) -> dict[str, Any]:
        folder: Folder = self._load_visible(actor, Folder, folder_id, "folder")
        members = self._members(actor, folder.brand_id, creator_ids)
        return self._folder_change(actor, folder_id, expected_version,
                                   lambda f: f.add(actor.user_id, members))

    @requires(*KEEPERS, action="keep folders of creators")
    def remove_from_folder(self, actor: Actor, folder_id: str, creator_ids: list[str],
                           expected_version: int | None = None) -> dict[str, Any]:
        return self._folder_change(actor, folder_id, expected_version,
                                   lambda f: f.remove(actor.user_id, tuple(creator_ids)))

    @requires(*KEEPERS, action="keep folders of creators")
    def delete_folder(self, actor: Actor, folder_id: str, reason: str | None,
                      expected_version: int | None = None) -> dict[str, Any]:
        return self._folder_change(actor, folder_id, expected_version,
                                   lambda f: f.delete(actor.user_id, reason))

    def _folder_change(self, actor: Actor, folder_id: str, expected_version: int | None,
                       command: Callable[[Folder], None]) -> dict[str, Any]:
        return describe_folder(self._change(actor, Folder, "folder", folder_id,
                                            expected_version, command))

    def _members(self, actor: Actor, brand_id: str, creator_ids: list[str]
                 ) -> tuple[str, ...]:
        """The brand's own creators only: any other id is not found."""
        found = [self.creator_for(actor, creator_id) for creator_id in creator_ids]
        if any(creator.brand_id != brand_id for creator in found):
            raise NotFound("No creator with that id.")
        return tuple(str(creator.id) for creator in found)
