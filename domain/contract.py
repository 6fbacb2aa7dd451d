"""Contract: a brand's agreement with one creator for one campaign.

draft -> sent_for_signature -> active -> completed; terminated from any open
state, cancelled before signature. Signed terms change only by an amendment
that goes back through both signatures; every terms version stays in history.
"""

from datetime import datetime
from enum import StrEnum
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.attributed import AttributedEvent, checked_reason, required_reason
from domain.errors import HasStatus, InvalidTransition, InvalidValue, NotPermitted
from domain.money import Money
from domain.rules import check_name
from domain.signature import Party, Signature
from domain.snapshots import TypedSnapshot
from domain.terms import ContractTerms

MAX_TITLE_LENGTH = 200


class ContractStatus(StrEnum):
    DRAFT = "draft"
    SENT_FOR_SIGNATURE = "sent_for_signature"
    ACTIVE = "active"
    COMPLETED = "completed"
    TERMINATED = "terminated"
    CANCELLED = "cancelled"


TERMINAL = (ContractStatus.COMPLETED, ContractStatus.TERMINATED, ContractStatus.CANCELLED)
BEFORE_SIGNATURE = (ContractStatus.DRAFT, ContractStatus.SENT_FOR_SIGNATURE)


class Contract(Aggregate, HasStatus):
    Snapshot = TypedSnapshot  # contracts are snapshotted: these types come back from one
    status: ContractStatus
    campaign_id: str | None = None  # also for snapshots taken before campaigns existed

    class Event(AttributedEvent):
        pass

    class Drafted(Event, Aggregate.Created):
        brand_id: str
        creator_id: str
        title: str
        campaign: str | None
        terms: ContractTerms

    class TermsRevised(Event):
        terms: ContractTerms
        terms_version: int

    class SentForSignature(Event):
        terms_version: int
        terms_hash: str
        sent_at: datetime

    class Signed(Event):
        signature: Signature

    class AmendmentProposed(Event):
        terms: ContractTerms
        terms_version: int
        sent_at: datetime

    class AmendmentWithdrawn(Event):
        terms_version: int

    class Terminated(Event):
        pass

    class Cancelled(Event):
        pass

    class Completed(Event):
        pass

    class JoinedCampaign(Event):
        campaign_id: str
        campaign: str  # its name, as contracts and what they give rise to are labelled

    class LeftCampaign(Event):
        campaign_id: str

    @event(Drafted)
    def __init__(self, actor: str, reason: str | None, brand_id: str, creator_id: str,
                 title: str, campaign: str | None, terms: ContractTerms) -> None:
        self.brand_id = brand_id
        self.creator_id = creator_id
        self.title = title
        self.campaign = campaign
        self.status = ContractStatus.DRAFT
        self.terms = terms
        self.terms_version = 1
        self.terms_author = actor
        self.latest_version = 1
        self.proposed_terms: ContractTerms | None = None
        self.awaiting: dict[str, Signature] = {}  # signatures on the version awaiting them
        self.signed: dict[str, Signature] = {}  # signatures on the version in force
        self.sent_at: datetime | None = None

    @classmethod
    def draft(cls, *, actor: str, brand_id: str, creator_id: str, title: str,
              campaign: str | None, terms: ContractTerms, id: Any = None) -> "Contract":
        title = title.strip()
        errors = check_name("title", title, MAX_TITLE_LENGTH)
        if errors:
            raise InvalidValue(errors)
        return cls._create(cls.Drafted, id=id, actor=actor, reason=None, brand_id=brand_id,
                           creator_id=creator_id, title=title, campaign=campaign, terms=terms)

    # Commands: each checks its rules, then triggers exactly one event.

    def revise_terms(self, actor: str, terms: ContractTerms, reason: str | None = None) -> None:
        self._require(self.status in BEFORE_SIGNATURE, "revise terms",
                      "signed terms change only by an amendment")
        if terms == self.terms:
            return  # nothing changed: keep the history free of empty revisions
        self._terms_revised(actor=actor, reason=checked_reason(reason), terms=terms,
                            terms_version=self.latest_version + 1)

    def send_for_signature(self, actor: str, now: datetime, reason: str | None = None) -> None:
        self._require(self.status is ContractStatus.DRAFT, "send for signature")
        missing = self.terms.missing_for_signature()
        if missing:
            raise InvalidTransition("The terms cannot be sent for signature yet: they need "
                                    + " and ".join(missing) + ".")
        self._sent_for_signature(actor=actor, reason=checked_reason(reason),
                                 terms_version=self.terms_version,
                                 terms_hash=self.terms.fingerprint(), sent_at=now)

    def sign(self, actor: str, party: Party, name: str, signed_at: datetime, now: datetime,
             title: str | None = None, dual_control: bool = False) -> None:
        version = self.version_awaiting_signature()
        if version is None or self.sent_at is None:
            raise InvalidTransition(f"Cannot sign: the contract is {self.status.value} and no "
                                    "terms are awaiting signature.")
        if party.value in self.awaiting:
            raise InvalidTransition(f"The {party.value} already signed terms version {version}.")
        if party is Party.BRAND and dual_control and actor == self.terms_author:
            raise NotPermitted("This brand requires dual control: terms must be signed for the "
                               "brand by someone other than the user who drafted them.")
        signature = Signature.parse(party=party, name=name, title=title, signed_at=signed_at,
                                    sent_at=self.sent_at, now=now, terms_version=version,
                                    terms_hash=self._awaiting_terms().fingerprint())
        self._signed(actor=actor, reason=None, signature=signature)

    def propose_amendment(self, actor: str, terms: ContractTerms, now: datetime,
                          reason: str | None) -> None:
        reason = required_reason(reason, "amend signed terms")
        self._require(self.status is ContractStatus.ACTIVE, "amend",
                      "only active contracts are amended; edit the draft instead")
        self._require(self.proposed_terms is None, "amend",
                      f"amendment version {self.latest_version} is still awaiting signature")
        if terms == self.terms:
            raise InvalidValue({"terms": "are the same as the terms in force"})
        self._amendment_proposed(actor=actor, reason=reason, terms=terms,
                                 terms_version=self.latest_version + 1, sent_at=now)

    def withdraw_amendment(self, actor: str, reason: str | None) -> None:
        reason = required_reason(reason, "withdraw an amendment")
        self._require(self.proposed_terms is not None, "withdraw an amendment",
                      "no amendment is awaiting signature")
        self._amendment_withdrawn(actor=actor, reason=reason, terms_version=self.latest_version)

    def terminate(self, actor: str, reason: str | None) -> None:
        reason = required_reason(reason, "terminate a contract")
        self._require(self.status not in TERMINAL, "terminate")
        self._terminated(actor=actor, reason=reason)

    def cancel(self, actor: str, reason: str | None) -> None:
        reason = required_reason(reason, "cancel a contract")
        self._require(self.status in BEFORE_SIGNATURE, "cancel",
                      "only unsigned contracts are cancelled; terminate a signed one")
        self._cancelled(actor=actor, reason=reason)

    def complete(self, actor: str, open_obligations: list[str], reason: str | None = None) -> None:
        self._require(self.status is ContractStatus.ACTIVE, "complete")
        self._require(self.proposed_terms is None, "complete",
                      "an amendment is still awaiting signature")
        if open_obligations:
            raise InvalidTransition("The contract cannot complete while these are open: "
                                    + ", ".join(open_obligations) + ".")
        self._completed(actor=actor, reason=checked_reason(reason))

    def join_campaign(self, actor: str, campaign_id: str, name: str) -> None:
        """Joins a campaign (the same one again changes nothing); a contract is in one
        campaign at a time, and leaves it only with a reason."""
        self._require(self.status not in TERMINAL, "join a campaign")
        if self.campaign_id == campaign_id:
            return
        if self.campaign_id is not None:
            raise InvalidTransition("The contract is in another campaign: it leaves that one "
                                    "first, with a reason.")
        self._joined_campaign(actor=actor, reason=None, campaign_id=campaign_id,
                              campaign=name)

    def leave_campaign(self, actor: str, reason: str | None) -> None:
        reason = required_reason(reason, "take a contract out of its campaign")
        self._require(self.status not in TERMINAL, "leave a campaign")
        if self.campaign_id is None:
            raise InvalidTransition("The contract is in no campaign.")
        self._left_campaign(actor=actor, reason=reason, campaign_id=self.campaign_id)

    # Queries.

    def version_awaiting_signature(self) -> int | None:
        if self.status is ContractStatus.SENT_FOR_SIGNATURE:
            return self.terms_version
        if self.proposed_terms is not None:
            return self.latest_version
        return None

    def fee_increase_since(self, before: "Contract") -> Money | None:
        """What a signed amendment added to the fee of an active contract: the price of
        the rights it lengthens. None if the fee did not rise (or it was not active)."""
        if before.status is not ContractStatus.ACTIVE:
            return None
        increase = self.terms.fee.amount - before.terms.fee.amount
        return Money(increase, self.terms.fee.currency) if increase > 0 else None

    def _awaiting_terms(self) -> ContractTerms:
        return self.proposed_terms or self.terms


    # Event methods: they only change state, because they also run on replay.

    @event(TermsRevised)
    def _terms_revised(self, actor: str, reason: str | None, terms: ContractTerms,
                       terms_version: int) -> None:
        self.terms, self.terms_version, self.latest_version = terms, terms_version, terms_version
        self.terms_author = actor
        self.status = ContractStatus.DRAFT
        self.awaiting, self.sent_at = {}, None

    @event(SentForSignature)
    def _sent_for_signature(self, actor: str, reason: str | None, terms_version: int,
                            terms_hash: str, sent_at: datetime) -> None:
        self.status = ContractStatus.SENT_FOR_SIGNATURE
        self.sent_at = sent_at

    @event(Signed)
    def _signed(self, actor: str, reason: str | None, signature: Signature) -> None:
        self.awaiting = {**self.awaiting, signature.party.value: signature}
        if len(self.awaiting) < len(Party):
            return
        if self.proposed_terms is not None:
            self.terms, self.terms_version = self.proposed_terms, self.latest_version
            self.proposed_terms = None
        self.status = ContractStatus.ACTIVE
        self.signed, self.awaiting, self.sent_at = self.awaiting, {}, None

    @event(AmendmentProposed)
    def _amendment_proposed(self, actor: str, reason: str | None, terms: ContractTerms,
                            terms_version: int, sent_at: datetime) -> None:
        self.proposed_terms, self.latest_version = terms, terms_version
        self.terms_author = actor
        self.awaiting, self.sent_at = {}, sent_at

    @event(AmendmentWithdrawn)
    def _amendment_withdrawn(self, actor: str, reason: str | None, terms_version: int) -> None:
        self.proposed_terms, self.awaiting, self.sent_at = None, {}, None

    @event(Terminated)
    def _terminated(self, actor: str, reason: str | None) -> None:
        self.status = ContractStatus.TERMINATED
        self.proposed_terms, self.awaiting = None, {}

    @event(Cancelled)
    def _cancelled(self, actor: str, reason: str | None) -> None:
        self.status = ContractStatus.CANCELLED
        self.awaiting = {}

    @event(Completed)
    def _completed(self, actor: str, reason: str | None) -> None:
        self.status = ContractStatus.COMPLETED

    @event(JoinedCampaign)
    def _joined_campaign(self, actor: str, reason: str | None, campaign_id: str,
                         campaign: str) -> None:
        self.campaign_id, self.campaign = campaign_id, campaign

    @event(LeftCampaign)
    def _left_campaign(self, actor: str, reason: str | None, campaign_id: str) -> None:
        self.campaign_id, self.campaign = None, None
