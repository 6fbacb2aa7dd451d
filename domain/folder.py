"""Folder: a named list of a brand's creators ('beauty KOCs Shanghai'), shared by
everyone in the brand. Creators are added and taken out; a folder is renamed, or
deleted with the reason (its history stays)."""

from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.attributed import AttributedEvent, required_reason
from domain.errors import InvalidTransition, InvalidValue
from domain.rules import check_name

MAX_MEMBERS = 5000  # creators in one folder


class Folder(Aggregate):
    class Event(AttributedEvent):
        pass

    class Created(Event, Aggregate.Created):
        brand_id: str
        name: str

    class Renamed(Event):
        name: str

    class CreatorsAdded(Event):
        creator_ids: tuple[str, ...]

    class CreatorsRemoved(Event):
        creator_ids: tuple[str, ...]

    class Deleted(Event):
        pass

    @event(Created)
    def __init__(self, actor: str, reason: str | None, brand_id: str, name: str) -> None:
        self.brand_id, self.name = brand_id, name
        self.creator_ids: tuple[str, ...] = ()
        self.deleted = False

    @classmethod
    def create(cls, *, actor: str, brand_id: str, name: str, id: Any = None) -> "Folder":
        return cls._create(cls.Created, id=id, actor=actor, reason=None, brand_id=brand_id,
                           name=_checked(name))

    def rename(self, actor: str, name: str) -> None:
        self._require_kept("rename")
        name = _checked(name)
        if name != self.name:
            self._renamed(actor=actor, reason=None, name=name)

    def add(self, actor: str, creator_ids: tuple[str, ...]) -> None:
        """Adds the creators not in it yet (adding one twice changes nothing)."""
        self._require_kept("add to")
        new = tuple(c for c in dict.fromkeys(creator_ids) if c not in self.creator_ids)
        if len(self.creator_ids) + len(new) > MAX_MEMBERS:
            raise InvalidValue({"creator_ids": f"a folder holds at most {MAX_MEMBERS} "
                                               "creators"})
        if new:
            self._creators_added(actor=actor, reason=None, creator_ids=new)

    def remove(self, actor: str, creator_ids: tuple[str, ...]) -> None:
        self._require_kept("take creators out of")
        gone = tuple(c for c in dict.fromkeys(creator_ids) if c in self.creator_ids)
        if gone:
            self._creators_removed(actor=actor, reason=None, creator_ids=gone)

    def delete(self, actor: str, reason: str | None) -> None:
        reason = required_reason(reason, "delete a folder")
        self._require_kept("delete")
        self._deleted(actor=actor, reason=reason)

    def _require_kept(self, action: str) -> None:
        if self.deleted:
            raise InvalidTransition(f"Cannot {action} the folder: it was deleted.")

    @event(Renamed)
    def _renamed(self, actor: str, reason: str | None, name: str) -> None:
        self.name = name

    @event(CreatorsAdded)
    def _creators_added(self, actor: str, reason: str | None,
                        creator_ids: tuple[str, ...]) -> None:
        self.creator_ids = (*self.creator_ids, *creator_ids)

    @event(CreatorsRemoved)
    def _creators_removed(self, actor: str, reason: str | None,
                          creator_ids: tuple[str, ...]) -> None:
        self.creator_ids = tuple(c for c in self.creator_ids if c not in creator_ids)

    @event(Deleted)
    def _deleted(self, actor: str, reason: str | None) -> None:
        self.deleted = True


def _checked(name: str) -> str:
    name = name.strip()
    errors = check_name("name", name)
    if errors:
        raise InvalidValue(errors)
    return name
