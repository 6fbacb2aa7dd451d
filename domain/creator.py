"""Creator: a KOL or KOC a brand works with. active <-> paused, any -> blocked."""

from dataclasses import replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import uuid4

from eventsourcing.domain import Aggregate, event

from domain.attributed import AttributedEvent, checked_reason, required_reason
from domain.creator_profile import Contact, CreatorProfile
from domain.errors import HasStatus, InvalidTransition, InvalidValue
from domain.relationship import Contacted, KeptContact, KeptNote, Note
from domain.snapshots import TypedSnapshot


class CreatorStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    BLOCKED = "blocked"


class Creator(Aggregate, HasStatus):
    Snapshot = TypedSnapshot  # creators are snapshotted: these types come back from one
    status: CreatorStatus
    payout_requirements: tuple[str, ...]
    personal_data_erased = False  # also for snapshots taken before erasure existed
    # Also for snapshots taken before the relationship was kept:
    owner: str | None = None
    notes: tuple[KeptNote, ...] = ()
    contacts: tuple[KeptContact, ...] = ()

    class Event(AttributedEvent):
        pass

    class Registered(Event, Aggregate.Created):
        brand_id: str
        profile: CreatorProfile

    class ProfileUpdated(Event):
        profile: CreatorProfile

    class Paused(Event):
        pass

    class Blocked(Event):
        pass

    class Reactivated(Event):
        pass

    class PayoutAccountOpened(Event):
        account_id: str

    class PayoutAccountChanged(Event):
        can_receive: bool
        requirements: tuple[str, ...]

    class NoteAdded(Event):
        note: Note
        at: datetime

    class ContactLogged(Event):
        contact: Contacted

    class OwnerAssigned(Event):
        owner: str

    class PersonalDataErased(Event):
        """On the creator's request (PIPL/GDPR): their key is destroyed, so every stored
        copy of their contact details and shipping addresses reads as erased."""

    @event(Registered)
    def __init__(self, actor: str, reason: str | None, brand_id: str,
                 profile: CreatorProfile) -> None:
        self.brand_id = brand_id
        self.profile = profile
        self.status = CreatorStatus.ACTIVE
        self.personal_data_erased = False
        self.payout_account_ready = False  # as Stripe last told us
        self.payout_requirements: tuple[str, ...] = ()

    @classmethod
    def register(cls, *, actor: str, brand_id: str, profile: CreatorProfile,
                 id: Any = None) -> "Creator":
        id = id or uuid4()  # the contact details name their subject: the creator
        return cls._create(cls.Registered, id=id, actor=actor, reason=None, brand_id=brand_id,
                           profile=profile.of_subject(str(id)))

    def update_profile(self, actor: str, changes: dict[str, Any],
                       reason: str | None = None) -> None:
        if self.personal_data_erased and changes.get("contact"):
            raise InvalidTransition("The creator's personal data was erased on request: "
                                    "no contact details are kept for them.")
        profile = self.profile.revised(changes).of_subject(str(self.id))
        if profile != self.profile:
            self._profile_updated(actor=actor, reason=checked_reason(reason), profile=profile)

    def pause(self, actor: str, reason: str | None = None) -> None:
        self._require(self.status is CreatorStatus.ACTIVE, "pause")
        self._paused(actor=actor, reason=checked_reason(reason))

    def block(self, actor: str, reason: str | None) -> None:
        reason = required_reason(reason, "block a creator")
        self._require(self.status is not CreatorStatus.BLOCKED, "block")
        self._blocked(actor=actor, reason=reason)

    def reactivate(self, actor: str, reason: str | None = None) -> None:
        self._require(self.status is not CreatorStatus.ACTIVE, "reactivate")
        self._reactivated(actor=actor, reason=checked_reason(reason))

    def open_payout_account(self, actor: str, account_id: str) -> None:
        """The Stripe connected account opened for this creator (onboarding follows)."""
        if self.profile.payout_account not in (None, account_id):
            raise InvalidTransition(f"The creator already has payout account "
                                    f"{self.profile.payout_account}.")
        if self.profile.payout_account != account_id:
            self._payout_account_opened(actor=actor, reason=None, account_id=account_id)

    def note_payout_account(self, actor: str, can_receive: bool,
                            requirements: tuple[str, ...]) -> bool:
        """What Stripe says about the account; returns False if nothing changed."""
        if (can_receive, requirements) == (self.payout_account_ready, self.payout_requirements):
            return False
        self._payout_account_changed(actor=actor, reason=None, can_receive=can_receive,
                                     requirements=requirements)
        return True

    def erase_personal_data(self, actor: str, reason: str | None) -> bool:
        """Records an erasure request (after the application destroyed the key); False if
        it was recorded before."""
        reason = required_reason(reason, "erase a creator's personal data")
        if self.personal_data_erased:
            return False
        self._personal_data_erased(actor=actor, reason=reason)
        return True

    # The brand's relationship with the creator.

    def add_note(self, actor: str, text: str, at: datetime) -> None:
        note = self._personal(Note(text.strip(), subject_id=str(self.id)))
        errors = note.problems("text")
        if errors:
            raise InvalidValue(errors)
        self._note_added(actor=actor, reason=None, note=note, at=at)

    def log_contact(self, actor: str, contact: Contacted, now: datetime) -> None:
        contact = replace(contact, summary=self._personal(
            Note(contact.summary.text.strip(), subject_id=str(self.id))))
        errors = contact.problems(now)
        if errors:
            raise InvalidValue(errors)
        self._contact_logged(actor=actor, reason=None, contact=contact)

    def assign_owner(self, actor: str, owner: str, reason: str | None) -> bool:
        """Gives the relationship to a colleague; moving it from another owner (a handover)
        needs a reason. False if they own it already."""
        if owner == self.owner:
            return False
        if self.owner is not None:
            reason = required_reason(reason, "hand a creator over to another owner")
        self._owner_assigned(actor=actor, reason=checked_reason(reason), owner=owner)
        return True

    @property
    def next_follow_up(self) -> date | None:
        """When to be in touch again: as the latest contact said."""
        return self.contacts[-1].contact.next_follow_up if self.contacts else None

    def _personal(self, note: Note) -> Note:
        if self.personal_data_erased:
            raise InvalidTransition("The creator's personal data was erased on request: "
                                    "nothing more is written about them.")
        return note

    def ensure_can_be_contracted(self) -> None:
        if self.status is not CreatorStatus.ACTIVE:
            raise InvalidTransition(
                f"The creator is {self.status.value}: new contracts need an active creator.")


    @event(ProfileUpdated)
    def _profile_updated(self, actor: str, reason: str | None, profile: CreatorProfile) -> None:
        self.profile = profile

    @event(PayoutAccountOpened)
    def _payout_account_opened(self, actor: str, reason: str | None, account_id: str) -> None:
        self.profile = replace(self.profile, payout_account=account_id)
        self.payout_account_ready, self.payout_requirements = False, ()

    @event(PayoutAccountChanged)
    def _payout_account_changed(self, actor: str, reason: str | None, can_receive: bool,
                                requirements: tuple[str, ...]) -> None:
        self.payout_account_ready, self.payout_requirements = can_receive, requirements

    @event(NoteAdded)
    def _note_added(self, actor: str, reason: str | None, note: Note, at: datetime) -> None:
        self.notes = (*self.notes, KeptNote(actor, at, note))

    @event(ContactLogged)
    def _contact_logged(self, actor: str, reason: str | None, contact: Contacted) -> None:
        self.contacts = (*self.contacts, KeptContact(actor, contact))

    @event(OwnerAssigned)
    def _owner_assigned(self, actor: str, reason: str | None, owner: str) -> None:
        self.owner = owner

    @event(PersonalDataErased)
    def _personal_data_erased(self, actor: str, reason: str | None) -> None:
        self.personal_data_erased = True
        self.profile = replace(self.profile, contact=Contact.erased_for(str(self.id)))

    @event(Paused)
    def _paused(self, actor: str, reason: str | None) -> None:
        self.status = CreatorStatus.PAUSED

    @event(Blocked)
    def _blocked(self, actor: str, reason: str | None) -> None:
        self.status = CreatorStatus.BLOCKED

    @event(Reactivated)
    def _reactivated(self, actor: str, reason: str | None) -> None:
        self.status = CreatorStatus.ACTIVE
