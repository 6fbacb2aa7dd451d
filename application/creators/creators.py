"""Use cases for the creators a brand works with."""

from typing import Any

from application.common.actor import READERS, SYSTEM_USER, Actor, requires
from application.common.colleagues import colleague
from application.common.descriptions import describe_creator
from application.common.kolpact_app import Basics, KolpactApplication, new_or_derived_id
from application.common.links import Records
from application.common.transcodings import register_values, value_transcoding
from application.creators.folders import FolderUseCases
from application.errors import ConcurrentChange
from application.infrastructure.personal_data_vault import personal_transcoding
from domain.attributed import required_reason
from domain.creator import Creator
from domain.creator_profile import Contact, CreatorProfile, Handle, PriceRange
from domain.identity import Role
from domain.relationship import Contacted, KeptContact, KeptNote, Note
from domain.values import parse_value

MANAGERS = (Role.OPS,)
ERASERS = (Role.LEGAL,)  # privacy requests are legal's decision, not an admin's


class CreatorsApp(FolderUseCases, KolpactApplication):
    name = "creators"
    record, record_name = Creator, "creator"
    snapshotting_intervals = {Creator: 100}

    def __init__(self, basics: Basics, *, identity: Records) -> None:
        super().__init__(basics)
        self.identity = identity  # whose colleagues own the relationships

    def register_transcodings(self, transcoder: Any) -> None:
        super().register_transcodings(transcoder)
        register_values(transcoder, Handle, PriceRange)
        transcoder.register(value_transcoding(CreatorProfile, keep=(Contact,)))
        transcoder.register(personal_transcoding(Contact, self.personal_data))
        # What was said of a creator is sealed like their contact details.
        transcoder.register(personal_transcoding(Note, self.personal_data))
        for kind, sealed in ((Contacted, Note), (KeptNote, Note), (KeptContact, Contacted)):
            transcoder.register(value_transcoding(kind, keep=(sealed,)))

    # The brand's relationship with a creator: notes, contacts, and who owns it.

    @requires(Role.OPS, Role.LEGAL, action="keep notes on creators")
    def add_note(self, actor: Actor, creator_id: str, text: str,
                 expected_version: int | None = None) -> dict[str, Any]:
        now = self.clock.now()
        return self._changed(actor, creator_id, expected_version,
                             lambda c: c.add_note(actor.user_id, text, now))

    @requires(Role.OPS, Role.LEGAL, action="log contacts with creators")
    def log_contact(self, actor: Actor, creator_id: str, contact: dict[str, Any],
                    expected_version: int | None = None) -> dict[str, Any]:
        """A contact (channel, when — by default now —, what was said, when to follow up)."""
        now = self.clock.now()
        parsed = parse_value(Contacted, {"at": now, **contact,
                                         "summary": {"text": contact.get("summary", "")}},
                             "contact")
        return self._changed(actor, creator_id, expected_version,
                             lambda c: c.log_contact(actor.user_id, parsed, now))

    @requires(Role.OPS, Role.ADMIN, action="give creators to an owner")
    def assign_owner(self, actor: Actor, creator_id: str, owner_id: str,
                     reason: str | None = None,
                     expected_version: int | None = None) -> dict[str, Any]:
        """Gives the relationship to a colleague (ops or legal) of the creator's brand; a
        handover from another owner needs the reason."""
        creator = self.creator_for(actor, creator_id)
        owner = colleague(self.identity.repository, creator.brand_id, owner_id,
                          "a creator relationship")
        return self._changed(actor, creator_id, expected_version,
                             lambda c: c.assign_owner(actor.user_id, owner, reason))

    @requires(*ERASERS, action="erase personal data")
    def erase_personal_data(self, actor: Actor, creator_id: str, reason: str | None,
                            expected_version: int | None = None) -> dict[str, Any]:
        """An erasure request (PIPL/GDPR): the creator's key is destroyed first, so their
        contact details and shipping addresses are unreadable everywhere, old events
        included; then the request is recorded. A retry finishes what a failure left."""
        creator = self.creator_for(actor, creator_id)
        required_reason(reason, "erase a creator's personal data")
        self.personal_data.get().erase(str(creator.id), reference=str(reason),
                                       erased_at=self.clock.now().isoformat())
        return self._changed(actor, creator_id, expected_version,
                             lambda c: c.erase_personal_data(actor.user_id, reason))

    @requires(*MANAGERS, action="register creators")
    def register_creator(self, actor: Actor, profile: dict[str, Any], brand_id: str | None = None,
                         request_key: str | None = None) -> dict[str, Any]:
        home = actor.home_brand(brand_id)
        parsed = CreatorProfile.parse(profile)
        creator = self._create_once(
            lambda: Creator.register(actor=actor.user_id, brand_id=home, profile=parsed,
                                     id=new_or_derived_id("creator", actor.user_id, request_key)),
            Creator, "creator")
        return describe_creator(creator)

    @requires(*READERS, action="read creators")
    def get_creator(self, actor: Actor, creator_id: str) -> dict[str, Any]:
        return describe_creator(self.creator_for(actor, creator_id))

    def creator_for(self, actor: Actor, creator_id: str) -> Creator:
        return self._load_visible(actor, Creator, creator_id, "creator")

    # The creator's payout account (Stripe Connect), opened and watched by payouts.

    @requires(Role.FINANCE, Role.OPS, action="onboard creators for payouts")
    def record_payout_account(self, actor: Actor, creator_id: str, account_id: str) -> None:
        creator = self.creator_for(actor, creator_id)
        creator.open_payout_account(actor.user_id, account_id)
        self._save_changes(creator)

    def note_payout_account(self, creator_id: str, account_id: str, can_receive: bool,
                            requirements: tuple[str, ...]) -> bool:
        """What the rail says about an account; False when it changes nothing (not this
        creator's account, nothing new, or a rival noted it at the same moment)."""
        creator: Creator = self.find(creator_id)
        if creator.profile.payout_account != account_id:
            return False
        if not creator.note_payout_account(SYSTEM_USER, can_receive, requirements):
            return False
        try:
            self._save_changes(creator)
        except ConcurrentChange:
            return False
        return True

    @requires(*MANAGERS, action="update creators")
    def update_profile(self, actor: Actor, creator_id: str, changes: dict[str, Any],
                       expected_version: int | None = None,
                       reason: str | None = None) -> dict[str, Any]:
        return self._changed(actor, creator_id, expected_version,
                             lambda c: c.update_profile(actor.user_id, changes, reason))

    @requires(*MANAGERS, action="pause creators")
    def pause(self, actor: Actor, creator_id: str, reason: str | None = None,
              expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, creator_id, expected_version,
                             lambda c: c.pause(actor.user_id, reason))

    @requires(*MANAGERS, action="block creators")
    def block(self, actor: Actor, creator_id: str, reason: str | None,
              expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, creator_id, expected_version,
                             lambda c: c.block(actor.user_id, reason))

    @requires(*MANAGERS, action="reactivate creators")
    def reactivate(self, actor: Actor, creator_id: str, reason: str | None = None,
                   expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, creator_id, expected_version,
                             lambda c: c.reactivate(actor.user_id, reason))
