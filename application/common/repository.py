"""Loading an aggregate as its latest snapshot and the events after it, in one round trip.

The library asks the store twice: the snapshot first, then the events after its
version. A store that can answer both in one statement (PostgreSQL here, see
postgres_store.ChainedRecorder.select_latest) is asked once; any other, or a load
of an earlier version, goes the library's way.
"""

from itertools import chain
from typing import Any, Protocol, runtime_checkable

from eventsourcing.application import AggregateNotFoundError, Repository
from eventsourcing.persistence import AggregateRecorder, StoredEvent


@runtime_checkable
class SelectsLatest(Protocol):
    def select_latest(self, originator_id: Any, snapshots: AggregateRecorder
                      ) -> tuple[list[StoredEvent], list[StoredEvent]]:
        """The latest snapshot (none or one) and the events after it, in order."""


class OneTripRepository(Repository):
    def _reconstruct_aggregate(self, aggregate_id: Any, version: int | None,
                               projector_func: Any) -> Any:
        recorder = self.event_store.recorder
        if version is not None or self.snapshot_store is None or \
                not isinstance(recorder, SelectsLatest):
            return super()._reconstruct_aggregate(aggregate_id, version, projector_func)
        snapshots, events = recorder.select_latest(aggregate_id, self.snapshot_store.recorder)
        aggregate = projector_func(None, chain(
            map(self.snapshot_store.mapper.to_domain_event, snapshots),
            map(self.event_store.mapper.to_domain_event, events)))
        if aggregate is None:
            raise AggregateNotFoundError(f"Aggregate {aggregate_id!r} not found.")
        return aggregate
