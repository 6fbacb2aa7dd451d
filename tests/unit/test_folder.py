"""Folders: named, shared lists of a brand's creators."""

import pytest

from domain.errors import InvalidTransition, InvalidValue
from domain.folder import Folder


def folder() -> Folder:
    return Folder.create(actor="ops", brand_id="b", name="  Beauty KOCs Shanghai ")


def test_creators_are_added_once_and_taken_out() -> None:
    shown = folder()

    shown.add("ops", ("k1", "k2", "k1"))
    version = shown.version
    shown.add("ops", ("k2",))
    shown.remove("ops", ("k1", "k9"))

    assert shown.name == "Beauty KOCs Shanghai"
    assert shown.creator_ids == ("k2",) and shown.version == version + 1


def test_a_folder_is_renamed_and_deleted_only_with_a_reason() -> None:
    shown = folder()

    shown.rename("ops", "Skincare KOCs")
    with pytest.raises(InvalidValue, match="reason"):
        shown.delete("ops", None)
    shown.delete("ops", "Campaign over")

    assert shown.name == "Skincare KOCs" and shown.deleted
    with pytest.raises(InvalidTransition, match="deleted"):
        shown.add("ops", ("k1",))
    with pytest.raises(InvalidValue):
        Folder.create(actor="ops", brand_id="b", name=" ")
