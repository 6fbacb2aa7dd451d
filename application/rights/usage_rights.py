"""Usage rights: granted when signatures complete, started by publication, extended by
amendments, revoked by legal, expired when their time comes; and the question
"may we use this deliverable there, then?".

The policy follows the contracts log (grant each right of the signed terms; a
signed amendment that lengthens a right extends it, priced at the fee's increase)
and the deliverables log (a publication starts the rights that wait for it).
"""

from datetime import date
from typing import Any

from eventsourcing.application import ProcessingEvent
from eventsourcing.dispatch import singledispatchmethod

from application.common.actor import READERS, SYSTEM_USER, Actor, requires
from application.common.descriptions import describe_usage_right
from application.common.kolpact_app import Basics, KolpactApplication, as_uuid, derived_id
from application.common.links import ContractRecords, DeliverableRecords, Later, RuleRecords
from application.common.policy import Policy
from application.common.transcodings import register_values
from application.contracting.contracts import TERMS_VALUES
from application.rights.make_goods import CAUSE, WAIVED
from domain.contract import Contract, ContractStatus
from domain.deliverable import Deliverable
from domain.identity import Role
from domain.make_good import MakeGoodRule, RuleStatus
from domain.money import Money
from domain.obligations import Remedy, UsageRightTerm
from domain.usage_right import (
    CreatorRights,
    Extension,
    UsageRight,
    Verdict,
    answer,
    days_added,
)
from domain.vocabulary import Channel


def creator_rights_id(creator_id: str) -> Any:
    return derived_id("creator-rights", creator_id)


def right_id(contract_id: str, key: str) -> Any:
    return derived_id("usage-right", contract_id, key)


class UsageRightsApp(KolpactApplication, Policy):
    name = "usage_rights"
    record, record_name = UsageRight, "usage right"
    upstream = ("contracts", "deliverables", "make_goods")

    def __init__(self, basics: Basics, *, contracts: ContractRecords,
                 deliverables: DeliverableRecords, make_goods: Later[RuleRecords]) -> None:
        super().__init__(basics)
        self.contracts, self.deliverables, self.make_goods = contracts, deliverables, make_goods

    def register_transcodings(self, transcoder: Any) -> None:
        super().register_transcodings(transcoder)
        register_values(transcoder, *TERMS_VALUES, Extension)

    # The policy.

    @singledispatchmethod
    def policy(self, domain_event: Any, processing_event: ProcessingEvent) -> None:
        """Other events grant nothing."""

    @policy.register
    def _(self, domain_event: Contract.Signed, processing_event: ProcessingEvent) -> None:
        contract = self.contracts.completed_by(domain_event)
        if contract is None:
            return  # this signature did not complete a set
        before: Contract = self.contracts.repository.get(
            domain_event.originator_id, version=domain_event.originator_version - 1)
        signed_on = domain_event.timestamp.date()
        earlier = {t.key: t for t in before.terms.usage_rights} \
            if before.status is ContractStatus.ACTIVE else {}
        price = contract.fee_increase_since(before)
        for term in contract.terms.usage_rights:
            changed = self._granted(contract, term, earlier.get(term.key), signed_on, price)
            if changed is not None:
                processing_event.collect_events(changed, *self._indexed(changed))

    def _indexed(self, right: UsageRight | UsageRight.Granted) -> list[CreatorRights]:
        """The creator's rights, with this one among them (nothing if it is already)."""
        member = str(right.id if isinstance(right, UsageRight) else right.originator_id)
        index_id = creator_rights_id(right.creator_id)
        index: CreatorRights = self.repository.get(index_id) if self.exists(index_id) else \
            CreatorRights.open(actor=SYSTEM_USER, brand_id=right.brand_id,
                               creator_id=right.creator_id, id=index_id)
        return [index] if index.add(SYSTEM_USER, member) else []

    def record_missing_rights(self) -> int:
        """Adds to each creator's rights those granted before they were kept there
        (`kolpact init-db` runs this); returns how many it added."""
        return self._backfill(UsageRight.Granted, self._indexed)

    def _granted(self, contract: Contract, term: UsageRightTerm,
                 earlier: UsageRightTerm | None, signed_on: date, price: Money | None
                 ) -> UsageRight | None:
        new_id = right_id(str(contract.id), term.key)
        if not self.exists(new_id):
            return UsageRight.grant(actor=SYSTEM_USER, brand_id=contract.brand_id,
                                    contract_id=str(contract.id),
                                    creator_id=contract.creator_id, term=term,
                                    granted_on=signed_on, campaign=contract.campaign, id=new_id)
        longer = days_added(earlier, term)
        if not longer:
            return None
        right = self._load(UsageRight, new_id, "usage right")
        right.extend(SYSTEM_USER, signed_on, longer, price, contract.terms_version)
        return right

    @policy.register
    def _(self, domain_event: Deliverable.Published, processing_event: ProcessingEvent) -> None:
        deliverable = self.deliverables.repository.get(domain_event.originator_id)
        for right in self._rights_of(deliverable.contract_id):
            if right.covers(deliverable.term.key) and right.start(
                    SYSTEM_USER, domain_event.published_at.date(),
                    f"deliverable {deliverable.term.key} #{deliverable.index} published"):
                processing_event.collect_events(right)

    @policy.register
    def _(self, domain_event: MakeGoodRule.Evaluated,
          processing_event: ProcessingEvent) -> None:
        """A breached rule whose remedy is more time extends the deliverable's rights."""
        rule: MakeGoodRule = self.make_goods().repository.get(domain_event.originator_id)
        term = rule.term
        if domain_event.met or Remedy(term.remedy) is not Remedy.RIGHTS_EXTENSION or \
                rule.status is RuleStatus.WAIVED:
            return
        contract: Contract = self.contracts.repository.get(as_uuid(rule.contract_id,
                                                                   "contract"))
        for right in self._rights_of(rule.contract_id):
            if right.extendable_for(term.deliverable_key):
                right.extend(SYSTEM_USER, domain_event.timestamp.date(),
                             term.extension_days or 0, None, contract.terms_version,
                             cause=CAUSE.format(rule_id=rule.id))
                processing_event.collect_events(right)

    @policy.register
    def _(self, domain_event: MakeGoodRule.Waived, processing_event: ProcessingEvent) -> None:
        """Legal waived a rule whose rights extension was given in the meantime: take the
        days back from today."""
        rule: MakeGoodRule = self.make_goods().repository.get(domain_event.originator_id)
        for right in self._rights_of(rule.contract_id):
            if right.withdraw_extension(SYSTEM_USER, domain_event.timestamp.date(),
                                        CAUSE.format(rule_id=rule.id),
                                        WAIVED.format(rule_id=rule.id)):
                processing_event.collect_events(right)

    def _rights_of(self, contract_id: str) -> list[UsageRight]:
        contract: Contract = self.contracts.repository.get(as_uuid(contract_id, "contract"))
        return [self._load(UsageRight, right_id(contract_id, t.key), "usage right")
                for t in contract.terms.usage_rights
                if self.exists(right_id(contract_id, t.key))]

    # Use cases.

    @requires(*READERS, action="read usage rights")
    def rights_of(self, actor: Actor, contract: Contract) -> list[dict[str, Any]]:
        today = self.clock.now().date()
        return [describe_usage_right(r, today) for r in self._rights_of(str(contract.id))]

    @requires(*READERS, action="read usage rights")
    def get_right(self, actor: Actor, right_id: str) -> dict[str, Any]:
        return describe_usage_right(self._load_visible(actor, UsageRight, right_id,
                                                       "usage right"), self.clock.now().date())

    @requires(*READERS, action="check usage rights")
    def check(self, actor: Actor, deliverable_id: str, channel: Channel, territory: str,
              on: date | None = None) -> Verdict:
        """May the brand use the deliverable on the channel, in the territory, on the day?"""
        deliverable: Deliverable = self.deliverables.find_visible(actor, deliverable_id)
        day = on or self.clock.now().date()
        return answer(self._rights_of(deliverable.contract_id), deliverable.term.key, channel,
                      territory.upper(), day)

    @requires(Role.LEGAL, action="revoke usage rights")
    def revoke(self, actor: Actor, right_id: str, reason: str | None,
               expected_version: int | None = None) -> dict[str, Any]:
        today = self.clock.now().date()
        right = self._change(actor, UsageRight, "usage right", right_id, expected_version,
                             lambda r: r.revoke(actor.user_id, today, reason))
        return describe_usage_right(right, today)

    def exclusivity_warnings(self, draft: Contract) -> list[str]:
        """Exclusivity the draft asks for in a category where the creator is already
        exclusive to another contract in force: the drafter is warned, not stopped."""
        index_id = creator_rights_id(draft.creator_id)
        if not self.exists(index_id):
            return []
        today = self.clock.now().date()
        index: CreatorRights = self.repository.get(index_id)
        others = [right for right in (self._load(UsageRight, i, "usage right")
                                      for i in index.right_ids)
                  if right.contract_id != str(draft.id)]
        warnings = []
        for term in draft.terms.usage_rights:
            category = term.exclusivity_category
            for right in others if category else []:
                if right.excludes(category or "", today):
                    ends = right.exclusive_until()
                    warnings.append(
                        f"Right {term.key}: the creator is exclusive in '{category}' to "
                        f"contract {right.contract_id} "
                        + (f"until {ends}." if ends else "from its publication on."))
        return warnings

    def expire_due(self, candidates: list[str]) -> int:
        """Records the expiry of the rights whose last day has passed (the worker)."""
        today = self.clock.now().date()
        expired = 0
        for candidate in candidates:
            right = self._load(UsageRight, candidate, "usage right")
            if right.expire(SYSTEM_USER, today):
                self._save_changes(right)
                expired += 1
        return expired
