"""Snapshots that give an aggregate back the attribute types it declares.

A snapshot's state comes back from the store as JSON: an enum as its string,
a tuple as a list. Aggregates that are snapshotted declare the types of such
attributes (`status: ContractStatus`), and this snapshot restores them, so an
aggregate loaded from a snapshot is the one its events would have built.
"""

import functools
import typing
from typing import Any

from eventsourcing.domain import Snapshot

from domain.values import decoder


class TypedSnapshot(Snapshot):
    def mutate(self, _: None) -> Any:
        aggregate = super().mutate(_)
        state = vars(aggregate)
        for name, decode in _declared(type(aggregate)).items():
            if name in state:
                state[name] = decode(state[name])
        return aggregate


@functools.cache
def _declared(kind: type) -> dict[str, Any]:
    return {name: decoder(hint) for name, hint in typing.get_type_hints(kind).items()
            if not name.startswith("_") and typing.get_origin(hint) is not typing.ClassVar}
