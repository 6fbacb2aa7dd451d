"""What every kolpact application shares: typed loading, optimistic saves, idempotent creates."""

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, TypeVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import AggregateNotFoundError, Application, Repository
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from application.common.actor import Actor
from application.common.clock import Clock
from application.common.descriptions import describe
from application.common.history import version_at
from application.common.positions import LogPosition, last_write
from application.common.repository import OneTripRepository
from application.common.transcodings import DateAsISO
from application.errors import ConcurrentChange, NotFound, StaleVersion
from application.infrastructure.personal_data_vault import PersonalDataVault, VaultHolder

A = TypeVar("A", bound=Aggregate)
KOLPACT_IDS = uuid5(NAMESPACE_URL, "https://kolpact.example/ids")


def derived_id(*parts: str) -> UUID:
    """A deterministic id from a natural key, so a second create of the same thing collides."""
    return uuid5(KOLPACT_IDS, "/".join(parts))


def as_uuid(value: str | UUID, what: str) -> UUID:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError as error:
        raise NotFound(f"No {what} with that id.") from error


@dataclass(frozen=True)
class Basics:
    """What every application is built on: where its events are stored, the clock it
    reads, and the vault that seals personal data (none: it cannot be read or written)."""

    env: Mapping[str, str]
    clock: Clock
    vault: PersonalDataVault | None = None


class KolpactApplication(Application):
    """Each application is given the others it reads as constructor parameters (see
    `application.common.links`); the bootstrap builds them in that order."""

    # The record most use cases of an application change.
    record: ClassVar[type[Aggregate]]
    record_name: ClassVar[str]

    def __init__(self, basics: Basics) -> None:
        self.clock = basics.clock
        # Set before the library builds the transcoders, which seal personal data with it.
        self.personal_data = VaultHolder(basics.vault)
        super().__init__(basics.env)

    def register_transcodings(self, transcoder: Any) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def construct_repository(self) -> Repository:
        return OneTripRepository(event_store=self.events, snapshot_store=self.snapshots)

    def _load(self, kind: type[A], aggregate_id: str | UUID, what: str,
              version: int | None = None) -> A:
        try:
            aggregate: Aggregate = self.repository.get(as_uuid(aggregate_id, what),
                                                       version=version)
        except AggregateNotFoundError as error:
            raise NotFound(f"No {what} with that id.") from error
        if not isinstance(aggregate, kind):
            raise NotFound(f"No {what} with that id.")
        return aggregate

    def _load_visible(self, actor: Actor, kind: type[A], aggregate_id: str | UUID, what: str,
                      version: int | None = None) -> A:
        """Loads a record of one of the actor's brands; any other is simply not found."""
        aggregate = self._load(kind, aggregate_id, what, version)
        actor.ensure_brand(aggregate.brand_id, what)  # type: ignore[attr-defined] # every record has one
        return aggregate

    def _as_it_stood(self, actor: Actor, kind: type[A], record_id: str, what: str,
                     version: int | None, as_of: datetime | None) -> tuple[A, bool]:
        """The record now, or at a version or a moment; and whether that is its past."""
        current = self._load_visible(actor, kind, record_id, what)
        if as_of is not None:
            version = version_at(self, current.id, as_of)
            if version is None:
                raise NotFound(f"The {what} did not exist yet at {as_of.isoformat()}.")
        if version is None or version == current.version:
            return current, False
        if not 1 <= version <= current.version:
            raise NotFound(f"The {what} has no version {version}.")
        return self._load(kind, current.id, what, version), True

    # What other applications may read of this one's records (they never write them).

    def find(self, record_id: str | UUID, version: int | None = None) -> Any:
        """This application's record with that id; NotFound if there is none."""
        return self._load(self.record, record_id, self.record_name, version)

    def find_visible(self, actor: Actor, record_id: str | UUID) -> Any:
        """The record, if it belongs to one of the actor's brands; else NotFound."""
        return self._load_visible(actor, self.record, record_id, self.record_name)

    def version_at(self, record_id: str | UUID, moment: datetime) -> int | None:
        """The record's version as it stood at `moment`; None if it did not exist yet."""
        return version_at(self, as_uuid(record_id, self.record_name), moment)

    def originators_where(self, created: type, name: str, value: str) -> list[UUID]:
        """The records with an event of that kind whose `name` was `value`, read from
        the log, oldest first (for what has no id derived from what it belongs to, and
        cannot wait for a read model). Only that field is read of each stored event, so
        nothing sealed inside one needs its key."""
        found, after, topic = [], 0, get_topic(created)
        while page := self.recorder.select_notifications(
                start=after, limit=1000, topics=[topic], inclusive_of_start=False):
            found += [n.originator_id for n in page if json.loads(n.state).get(name) == value]
            after = page[-1].id
        return [UUID(str(i)) for i in dict.fromkeys(found)]

    def exists(self, aggregate_id: Any) -> bool:
        # One indexed read of its first event, not a replay of the whole record.
        return bool(self.recorder.select_events(as_uuid(aggregate_id, "record"),
                                                limit=1))

    def _backfill(self, created: type, missing: Callable[[Any], Sequence[Aggregate]],
                  batch: int = 500) -> int:
        """For records created before something was kept beside them: saves what
        `missing` says each one lacks, given the event that created it (read from the
        log, no record replayed: init-db runs this at every start); returns for how
        many records it saved any."""
        done, start = 0, 1
        while notifications := self.recorder.select_notifications(
                start, batch, topics=[get_topic(created)]):
            for notification in notifications:
                records = missing(self.mapper.to_domain_event(notification))
                if records:
                    self._save_changes(*records)
                    done += 1
            start = notifications[-1].id + 1
        return done

    def _change(self, actor: Actor, kind: type[A], what: str, aggregate_id: str,
                expected_version: int | None, command: Callable[[A], None]) -> A:
        """Loads, checks the caller's expected version, runs one command and saves."""
        aggregate = self._load_visible(actor, kind, aggregate_id, what)
        check_expected_version(aggregate, expected_version)
        command(aggregate)
        self._save_changes(aggregate)
        return aggregate

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        """Saves, and notes where in the log the last event landed (see positions)."""
        recordings = super().save(*objs, **kwargs)
        if recordings:
            last_write.set(LogPosition(self.name, recordings[-1].notification.id))
        return recordings

    def _changed(self, actor: Actor, record_id: str, expected_version: int | None,
                 command: Callable[[Any], Any]) -> dict[str, Any]:
        """One command on the application's record, described for the caller."""
        return describe(self._change(actor, self.record, self.record_name, record_id,
                                     expected_version, command))

    def _save_changes(self, *aggregates: Aggregate) -> None:
        try:
            self.save(*aggregates)
        except IntegrityError as error:
            raise ConcurrentChange(
                "Someone else changed this record at the same moment; reload it and retry."
            ) from error

    def _create_once(self, build: Callable[[], A], kind: type[A], what: str) -> A:
        """Saves a new aggregate; if one with its (derived) id exists, returns that instead.

        Creates from a retried request derive the same id, so they never act twice.
        """
        aggregate = build()
        try:
            self.save(aggregate)
        except IntegrityError:
            return self._load(kind, aggregate.id, what)
        return aggregate


def check_expected_version(aggregate: Aggregate, expected: int | None) -> None:
    if expected is not None and expected != aggregate.version:
        raise StaleVersion(
            f"You changed version {expected}, but the record is now at version "
            f"{aggregate.version}; reload it and retry.")


def new_or_derived_id(kind: str, actor_id: str, request_key: str | None) -> Any:
    return None if request_key is None else derived_id(kind, actor_id, request_key)
