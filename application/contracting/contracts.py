"""Use cases for drafting, signing, amending and closing contracts."""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from application.common.actor import READERS, Actor, requires
from application.common.descriptions import describe_contract
from application.common.kolpact_app import Basics, KolpactApplication, new_or_derived_id
from application.common.links import Brands, CreatorRecords, Later, Records
from application.common.transcodings import register_values
from application.contracting.contract_import import DraftImport
from application.contracting.terms_versions import terms_versions
from application.errors import NotFound
from domain.campaign import Campaign
from domain.contract import Contract, ContractStatus
from domain.errors import InvalidTransition
from domain.identity import Role
from domain.money import Money
from domain.obligations import (
    Bonus,
    BonusTier,
    DeliverableTerm,
    MakeGoodTerm,
    Milestone,
    Tracking,
    UsageRightTerm,
)
from domain.signature import Party, Signature
from domain.terms import ContractTerms

IMPORT_BATCH = 500  # drafts saved in one transaction: one lock and one insert for them all
TERMS_VALUES = (ContractTerms, Money, DeliverableTerm, UsageRightTerm, Milestone, Bonus,
                BonusTier, MakeGoodTerm, Tracking, Signature)


class ContractsApp(KolpactApplication):
    name = "contracts"
    record, record_name = Contract, "contract"
    # Contract events carry whole terms (~0.1 ms each to decode): snapshot often.
    snapshotting_intervals = {Contract: 25}

    def __init__(self, basics: Basics, *, creators: CreatorRecords, identity: Brands,
                 open_items: Callable[[Contract], list[str]],
                 exclusivity_warnings: Callable[[Contract], list[str]],
                 integrity: Callable[[Contract], dict[str, Any]] | None,
                 campaigns: Later[Records]) -> None:
        """`open_items`: the deliverables and payouts that keep a contract from completing;
        `exclusivity_warnings`: the creator's other exclusive rights a draft overlaps;
        `integrity`: the audit application's check of a family's chain, for as-of views
        (None: the store keeps no chain). All three are kept by applications built after
        this one, which follow contracts; so are the `campaigns` contracts join."""
        super().__init__(basics)
        self.creators, self.identity = creators, identity
        self.open_items, self.exclusivity_warnings = open_items, exclusivity_warnings
        self.integrity, self.campaigns = integrity, campaigns

    def register_transcodings(self, transcoder: Any) -> None:
        super().register_transcodings(transcoder)
        register_values(transcoder, *TERMS_VALUES)

    @requires(Role.LEGAL, action="draft contracts")
    def draft_contract(self, actor: Actor, creator_id: str, title: str, terms: dict[str, Any],
                       campaign: str | None = None, brand_id: str | None = None,
                       request_key: str | None = None,
                       campaign_id: str | None = None) -> dict[str, Any]:
        """A draft, in `campaign_id` from the start when given (one of the brand's open
        campaigns): both events are saved together."""
        home = actor.home_brand(brand_id)
        creator = self.creators.creator_for(actor, creator_id)
        if creator.brand_id != home:
            raise NotFound("No creator with that id.")
        creator.ensure_can_be_contracted()
        parsed = ContractTerms.parse(terms)
        joining = None if campaign_id is None else self._open_campaign(actor, campaign_id, home)

        def draft() -> Contract:
            contract = Contract.draft(
                actor=actor.user_id, brand_id=home, creator_id=creator_id, title=title,
                campaign=campaign, terms=parsed,
                id=new_or_derived_id("contract", actor.user_id, request_key))
            if joining is not None:
                contract.join_campaign(actor.user_id, str(joining.id), joining.brief.name)
            return contract
        contract = self._create_once(draft, Contract, "contract")
        return {**describe_contract(contract),
                "warnings": self.exclusivity_warnings(contract)}

    @requires(Role.LEGAL, action="import contracts")
    def check_import(self, actor: Actor, rows: Sequence[Any], brand_id: str | None = None,
                     first_line: int = 1, references: set[Any] | None = None) -> int:
        """Checks rows as import_drafts would, saving nothing; returns how many are good.
        A file checked in parts passes the same `references` set for every part."""
        return len(self._importing(actor, brand_id).drafts(rows, first_line, references))

    @requires(Role.LEGAL, action="import contracts")
    def import_drafts(self, actor: Actor, rows: Sequence[Any], brand_id: str | None = None,
                      first_line: int = 1) -> dict[str, int]:
        """Drafts from another system (see contract_import): all of the rows or, if any is
        bad, none; rows imported before are skipped. Saved IMPORT_BATCH at a time."""
        drafts = self._importing(actor, brand_id).drafts(rows, first_line)
        imported = sum(self._save_new(drafts[start:start + IMPORT_BATCH])
                       for start in range(0, len(drafts), IMPORT_BATCH))
        return {"rows": len(drafts), "imported": imported,
                "already_imported": len(drafts) - imported}

    def _importing(self, actor: Actor, brand_id: str | None) -> DraftImport:
        return DraftImport(actor, actor.home_brand(brand_id), self.creators.creator_for)

    def _save_new(self, drafts: list[Contract]) -> int:
        """One transaction for the batch; if any was imported before, one by one. (The
        events, not the drafts, are saved again: a failed save has already taken the
        drafts' pending events.)"""
        created = [event for draft in drafts for event in draft.collect_events()]
        try:
            self.save(*created)
            return len(created)
        except IntegrityError:
            return sum(self._saved_unless_there(event) for event in created)

    def _saved_unless_there(self, created: Any) -> bool:
        try:
            self.save(created)
            return True
        except IntegrityError:
            return False

    @requires(*READERS, action="read contracts")
    def get_contract(self, actor: Actor, contract_id: str, version: int | None = None,
                     as_of: datetime | None = None) -> dict[str, Any]:
        contract, past = self._as_it_stood(actor, Contract, contract_id, "contract", version,
                                           as_of)
        shown = describe_contract(contract)
        if past and self.integrity is not None:  # a replay of altered events must say so
            shown["integrity"] = self.integrity(contract)
        return shown

    def completed_by(self, signed: Contract.Signed) -> Contract | None:
        """The contract as a signature left it, if that signature completed a set (the
        activation, or a signed amendment): what the policies act on."""
        contract: Contract = self.repository.get(signed.originator_id,
                                                 version=signed.originator_version)
        if contract.status is not ContractStatus.ACTIVE or contract.awaiting:
            return None
        return contract

    @requires(*READERS, action="read contract terms")
    def terms_versions(self, actor: Actor, contract_id: str) -> list[dict[str, Any]]:
        contract = self._load_visible(actor, Contract, contract_id, "contract")
        return terms_versions(self, contract.id)

    @requires(Role.LEGAL, action="edit contract terms")
    def revise_terms(self, actor: Actor, contract_id: str, terms: dict[str, Any],
                     expected_version: int | None = None,
                     reason: str | None = None) -> dict[str, Any]:
        parsed = ContractTerms.parse(terms)
        contract = self._change(actor, Contract, "contract", contract_id, expected_version,
                                lambda c: c.revise_terms(actor.user_id, parsed, reason))
        return {**describe_contract(contract),
                "warnings": self.exclusivity_warnings(contract)}

    @requires(Role.LEGAL, action="send contracts for signature")
    def send_for_signature(self, actor: Actor, contract_id: str,
                           expected_version: int | None = None,
                           reason: str | None = None) -> dict[str, Any]:
        now = self.clock.now()
        return self._changed(actor, contract_id, expected_version,
                             lambda c: c.send_for_signature(actor.user_id, now, reason))

    @requires(Role.LEGAL, action="sign contracts for the brand")
    def sign_for_brand(self, actor: Actor, contract_id: str, name: str,
                       title: str | None = None, expected_version: int | None = None
                       ) -> dict[str, Any]:
        now = self.clock.now()

        def sign(contract: Contract) -> None:
            dual_control = self.identity.get_brand(contract.brand_id).dual_control
            contract.sign(actor.user_id, Party.BRAND, name, signed_at=now, now=now,
                          title=title, dual_control=dual_control)

        return self._changed(actor, contract_id, expected_version, sign)

    @requires(Role.LEGAL, Role.OPS, action="record a creator's acceptance")
    def record_creator_acceptance(self, actor: Actor, contract_id: str, name: str,
                                  accepted_at: datetime | None = None,
                                  expected_version: int | None = None) -> dict[str, Any]:
        now = self.clock.now()
        return self._changed(actor, contract_id, expected_version,
                             lambda c: c.sign(actor.user_id, Party.CREATOR, name,
                                              signed_at=accepted_at or now, now=now))

    @requires(Role.LEGAL, action="amend contracts")
    def propose_amendment(self, actor: Actor, contract_id: str, terms: dict[str, Any],
                          reason: str | None, expected_version: int | None = None
                          ) -> dict[str, Any]:
        parsed, now = ContractTerms.parse(terms), self.clock.now()
        return self._changed(actor, contract_id, expected_version,
                             lambda c: c.propose_amendment(actor.user_id, parsed, now, reason))

    @requires(Role.LEGAL, action="withdraw amendments")
    def withdraw_amendment(self, actor: Actor, contract_id: str, reason: str | None,
                           expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, contract_id, expected_version,
                             lambda c: c.withdraw_amendment(actor.user_id, reason))

    @requires(Role.LEGAL, Role.OPS, action="put contracts in campaigns")
    def join_campaign(self, actor: Actor, contract_id: str, campaign_id: str,
                      expected_version: int | None = None) -> dict[str, Any]:
        """Puts the contract in one of its brand's open campaigns."""
        contract = self._load_visible(actor, Contract, contract_id, "contract")
        campaign = self._open_campaign(actor, campaign_id, contract.brand_id)
        return self._changed(actor, contract_id, expected_version, lambda c: c.join_campaign(
            actor.user_id, str(campaign.id), campaign.brief.name))

    def ever_in_campaign(self, campaign_id: str) -> list[UUID]:
        """Every contract that ever joined the campaign, in the order they first did."""
        return self.originators_where(Contract.JoinedCampaign, "campaign_id", campaign_id)

    def _open_campaign(self, actor: Actor, campaign_id: str, brand_id: str) -> Campaign:
        campaign: Campaign = self.campaigns().find_visible(actor, campaign_id)
        if campaign.brand_id != brand_id:
            raise NotFound("No campaign with that id.")
        if not campaign.is_open:
            raise InvalidTransition(f"The campaign is {campaign.status.value}: contracts join "
                                    "a campaign that is planned, running or under review.")
        return campaign

    @requires(Role.LEGAL, Role.OPS, action="take contracts out of campaigns")
    def leave_campaign(self, actor: Actor, contract_id: str, reason: str | None,
                       expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, contract_id, expected_version,
                             lambda c: c.leave_campaign(actor.user_id, reason))

    @requires(Role.LEGAL, action="terminate contracts")
    def terminate(self, actor: Actor, contract_id: str, reason: str | None,
                  expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, contract_id, expected_version,
                             lambda c: c.terminate(actor.user_id, reason))

    @requires(Role.LEGAL, action="cancel contracts")
    def cancel(self, actor: Actor, contract_id: str, reason: str | None,
               expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, contract_id, expected_version,
                             lambda c: c.cancel(actor.user_id, reason))

    @requires(Role.LEGAL, Role.OPS, action="complete contracts")
    def complete(self, actor: Actor, contract_id: str, reason: str | None = None,
                 expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, contract_id, expected_version, lambda c: c.complete(
            actor.user_id, self.open_items(c), reason))
