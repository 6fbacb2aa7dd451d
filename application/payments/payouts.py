"""Milestone payouts: scheduled when signatures complete, due when their trigger fires,
released by one finance user and approved by another, paid by the processor.

The policy follows the contracts log (schedule, adjust or waive on each set of
signed terms; due on signature) and the deliverables log (due on acceptance,
due when a metric reaches its threshold). Payout ids derive from contract and
milestone, so each milestone has exactly one payout whatever is replayed.
"""

import contextlib
from datetime import date, datetime
from typing import Any

from eventsourcing.application import ProcessingEvent
from eventsourcing.dispatch import singledispatchmethod

from application.common.actor import READERS, SYSTEM_USER, Actor, requires
from application.common.descriptions import describe_payout
from application.common.kolpact_app import Basics, KolpactApplication, as_uuid, derived_id
from application.common.links import (
    Brands,
    ContractRecords,
    CreatorRecords,
    DeliverableRecords,
    Later,
    RuleRecords,
)
from application.common.policy import Policy
from application.common.transcodings import register_values
from application.contracting.contracts import TERMS_VALUES
from application.errors import ConcurrentChange
from application.infrastructure.settings import ConfigurationError
from application.ports.payment_gateway import AccountState, PaymentGateway
from application.rights.make_goods import CAUSE, WAIVED
from domain.bonus import (
    BonusCalculation,
    BonusLine,
    calculate_bonus,
    figures_in_window,
    metrics_of,
    window_of,
)
from domain.contract import Contract
from domain.creator import Creator
from domain.deliverable import Deliverable, all_done
from domain.identity import Brand, Role
from domain.make_good import MakeGoodRule, RuleStatus, reduced, remedy_is_money
from domain.money import Money
from domain.obligations import Milestone, MilestoneTrigger
from domain.payout import Attempt, Payout, Rail

FINANCE = (Role.FINANCE,)


def payout_id(contract_id: str, milestone_key: str) -> Any:
    return derived_id("payout", contract_id, milestone_key)


def bonus_payout_id(contract_id: str, milestone_key: str) -> Any:
    return derived_id("payout-bonus", contract_id, milestone_key)


class PayoutsApp(KolpactApplication, Policy):
    name = "payouts"
    record, record_name = Payout, "payout"
    upstream = ("contracts", "deliverables", "make_goods")

    def __init__(self, basics: Basics, *, identity: Brands, creators: CreatorRecords,
                 contracts: ContractRecords, deliverables: DeliverableRecords,
                 make_goods: Later[RuleRecords], gateway: PaymentGateway | None) -> None:
        super().__init__(basics)
        self.identity, self.creators, self.contracts = identity, creators, contracts
        self.deliverables, self.make_goods = deliverables, make_goods
        self.gateway = gateway  # none: payouts are recorded but not sent

    def register_transcodings(self, transcoder: Any) -> None:
        super().register_transcodings(transcoder)
        register_values(transcoder, *TERMS_VALUES, Attempt, BonusCalculation, BonusLine)

    # The policy.

    @singledispatchmethod
    def policy(self, domain_event: Any, processing_event: ProcessingEvent) -> None:
        """Other events pay nothing."""

    @policy.register
    def _(self, domain_event: Contract.Signed, processing_event: ProcessingEvent) -> None:
        """Signed terms in force: one payout per milestone (and one per bonus), amended
        amounts adjusted, milestones and bonuses an amendment removed waived."""
        contract = self.contracts.completed_by(domain_event)
        if contract is None:
            return  # this signature did not complete a set
        cause = f"contract terms version {contract.terms_version} signed"
        for milestone in contract.terms.milestones:
            processing_event.collect_events(*self._scheduled(contract, milestone, cause))
            if milestone.bonus is not None and not self.exists(
                    bonus_payout_id(str(contract.id), milestone.key)):
                processing_event.collect_events(self._schedule(contract, milestone, bonus=True))
        before: Contract = self.contracts.repository.get(
            domain_event.originator_id, version=domain_event.originator_version - 1)
        removed = [(payout_id, m.key, "Milestone") for m in before.terms.milestones
                   if m.key not in _keys(contract.terms.milestones)] + \
                  [(bonus_payout_id, m.key, "Performance bonus") for m in before.terms.milestones
                   if m.bonus and m.key not in _keys(contract.terms.milestones, bonus=True)]
        for id_of, key, what in removed:
            if not self.exists(id_of(str(contract.id), key)):
                continue
            earlier = self._load(Payout, id_of(str(contract.id), key), "payout")
            if earlier.milestone_removed(SYSTEM_USER, f"{what} removed ({cause})"):
                processing_event.collect_events(earlier)

    def _schedule(self, contract: Contract, milestone: Milestone, bonus: bool) -> Payout:
        new_id = (bonus_payout_id if bonus else payout_id)(str(contract.id), milestone.key)
        return Payout.schedule(actor=SYSTEM_USER, brand_id=contract.brand_id,
                               contract_id=str(contract.id), creator_id=contract.creator_id,
                               milestone=milestone, currency=contract.terms.fee.currency,
                               campaign=contract.campaign, bonus=bonus, id=new_id)

    def _scheduled(self, contract: Contract, milestone: Milestone, cause: str) -> list[Payout]:
        new_id = payout_id(str(contract.id), milestone.key)
        if not self.exists(new_id):
            payout = self._schedule(contract, milestone, bonus=False)
        else:
            payout = self._load(Payout, new_id, "payout")
            if payout.take_off(SYSTEM_USER, payout.net_amount - milestone.amount,
                               "The signed amendment changed the amount.", cause) is None:
                return []
            return [payout, *self._settled(payout)]
        if milestone.due_on_signature:
            payout.fall_due(SYSTEM_USER, cause)
        return [payout]

    @policy.register
    def _(self, domain_event: Deliverable.Accepted, processing_event: ProcessingEvent) -> None:
        deliverable = self.deliverables.repository.get(domain_event.originator_id)
        key = deliverable.term.key
        if not all_done(self._deliverables_with_key(deliverable.contract_id, key)):
            return  # paid when every item of that deliverable is done
        for payout in self._payouts_of(deliverable.contract_id):
            if payout.milestone.due_on_acceptance_of(key) and \
                    payout.fall_due(SYSTEM_USER, f"deliverable {key} accepted"):
                processing_event.collect_events(payout)

    @policy.register
    def _(self, domain_event: Deliverable.MetricsRecorded,
          processing_event: ProcessingEvent) -> None:
        deliverable = self.deliverables.repository.get(domain_event.originator_id)
        counts = domain_event.snapshot.counts
        for payout in self._payouts_of(deliverable.contract_id):
            milestone = payout.milestone
            reached = milestone.reached_by(deliverable.term.key, counts)
            if reached is not None and payout.fall_due(
                    SYSTEM_USER, f"{milestone.metric} reached {reached} on "
                                 f"{deliverable.term.key} #{deliverable.index}"):
                processing_event.collect_events(payout)

    @policy.register
    def _(self, domain_event: MakeGoodRule.Evaluated,
          processing_event: ProcessingEvent) -> None:
        """A breached rule whose remedy is money takes it off the named milestone (unless
        legal has waived the rule meanwhile)."""
        if domain_event.met:
            return
        rule, payout = self._money_remedy(domain_event)
        if rule is None or payout is None or rule.status is RuleStatus.WAIVED:
            return
        term, figures = rule.term, domain_event.figures
        worth = Money(payout.net_amount, payout.amount.currency)
        # Before submission the amount is cut; in flight, the cut waits for the outcome;
        # once paid, it is owed back and settled against the next open milestone.
        if payout.take_off(SYSTEM_USER, worth.amount - reduced(worth, term).amount,
                           f"Make-good {term.key}: {term.metric.value} reached {figures.value}"
                           f" of {figures.threshold} in {term.window_days} days.",
                           cause=CAUSE.format(rule_id=rule.id)):
            processing_event.collect_events(payout, *self._settled(payout))

    @policy.register
    def _(self, domain_event: MakeGoodRule.Waived, processing_event: ProcessingEvent) -> None:
        """Legal waived a rule whose money remedy was applied in the meantime: give it back."""
        rule, payout = self._money_remedy(domain_event)
        if rule is not None and payout is not None and payout.undo_adjustment(
                SYSTEM_USER, CAUSE.format(rule_id=rule.id), WAIVED.format(rule_id=rule.id),
                f"Make-good {rule.term.key} waived: {domain_event.reason}"):
            processing_event.collect_events(payout, *self._settled(payout))

    def _settled(self, payout: Payout) -> list[Payout]:
        """What a paid payout owes back (or is owed) taken off (or added to) the
        contract's next open milestones, in the order of the terms; those changed."""
        if not payout.owed_back:
            return []
        contract: Contract = self.contracts.repository.get(as_id(payout.contract_id))
        changed = []
        for milestone in contract.terms.milestones:
            other_id = payout_id(payout.contract_id, milestone.key)
            if payout.owed_back and other_id != payout.id and self.exists(other_id):
                other: Payout = self._load(Payout, other_id, "payout")
                if payout.offset_against(SYSTEM_USER, other):
                    changed.append(other)
        return changed

    def settle_overpayment(self, payout_id: str) -> None:
        """After the processor recorded an outcome: anything owed back is settled."""
        for _ in range(3):
            payout: Payout = self._load(Payout, payout_id, "payout")
            changed = self._settled(payout)
            if not changed:
                return
            with contextlib.suppress(ConcurrentChange):  # a rival changed one: again
                self._save_changes(payout, *changed)
                return

    def _money_remedy(self, domain_event: MakeGoodRule.Event
                      ) -> tuple[MakeGoodRule | None, Payout | None]:
        """The rule (as it is now) and the milestone payout its money remedy names."""
        rule: MakeGoodRule = self.make_goods().repository.get(domain_event.originator_id)
        key = rule.term.milestone_key
        if not remedy_is_money(rule.term) or key is None or \
                not self.exists(payout_id(rule.contract_id, key)):
            return None, None
        return rule, self._load(Payout, payout_id(rule.contract_id, key), "payout")

    def fall_due_on(self, today: date, candidates: list[str]) -> int:
        """Payouts whose date has come (the processor calls this with scheduled ones)."""
        due = []
        for candidate in candidates:
            payout = self._load(Payout, candidate, "payout")
            milestone = payout.milestone
            if milestone.trigger is MilestoneTrigger.ON_DATE and milestone.due_date and \
                    milestone.due_date <= today and \
                    payout.fall_due(SYSTEM_USER, f"date {milestone.due_date} reached"):
                due.append(payout)
        for payout in due:
            self._save_changes(payout)
        return len(due)

    def _payouts_of(self, contract_id: str) -> list[Payout]:
        """Every milestone's payout, each followed by its bonus's if there is one."""
        contract: Contract = self.contracts.repository.get(as_id(contract_id))
        keys = {m.key for terms in (contract.terms, contract.proposed_terms) if terms
                for m in terms.milestones}
        return [self._load(Payout, id_of(contract_id, key), "payout") for key in sorted(keys)
                for id_of in (payout_id, bonus_payout_id) if self.exists(id_of(contract_id, key))]

    def settle_bonuses(self, candidates: list[str]) -> int:
        """Calculates the bonuses whose measurement window has closed (the worker calls
        this with the unsettled ones); returns how many were settled."""
        now, settled = self.clock.now(), 0
        for candidate in candidates:
            payout: Payout = self._load(Payout, candidate, "payout")
            calculation = self._bonus_calculation(payout, now)
            if calculation is not None and payout.settle_bonus(SYSTEM_USER, calculation):
                self._save_changes(payout)
                settled += 1
        return settled

    def _bonus_calculation(self, payout: Payout, now: datetime) -> BonusCalculation | None:
        """None until the bonus's deliverable was published and the window has closed."""
        contract: Contract = self.contracts.repository.get(as_id(payout.contract_id))
        bonus = next((m.bonus for m in contract.terms.milestones
                      if m.key == payout.milestone.key), None)  # the terms in force now
        if not payout.is_bonus or bonus is None:
            return None
        items = self._deliverables_with_key(payout.contract_id, bonus.deliverable_key)
        published = [d.published_at for d in items if d.published_at is not None]
        if not published:
            return None
        window = window_of(bonus, min(published))
        if now < window[1]:
            return None
        figures = figures_in_window([d.metrics for d in items], metrics_of(bonus), *window)
        return calculate_bonus(bonus, figures, payout.amount.currency, window)

    def _deliverables_with_key(self, contract_id: str, key: str) -> list[Deliverable]:
        contract = self.contracts.repository.get(as_id(contract_id))
        return [d for d in (self.deliverables.repository.get(i)
                            for i in self.deliverables.owed_ids_of(contract)
                            if self.deliverables.exists(i))
                if d.term.key == key]

    # Use cases (finance).

    @requires(*READERS, action="read payouts")
    def get_payout(self, actor: Actor, payout_id: str) -> dict[str, Any]:
        return describe_payout(self._load_visible(actor, Payout, payout_id, "payout"))

    @requires(*READERS, action="read payouts")
    def payouts_of(self, actor: Actor, contract: Contract) -> list[dict[str, Any]]:
        return [describe_payout(p) for p in self._payouts_of(str(contract.id))]

    def unsettled(self, contract: Contract) -> list[str]:
        """Milestones neither paid nor waived: a contract does not complete with these."""
        return [f"milestone {p.milestone.key} ({p.status.value})"
                for p in self._payouts_of(str(contract.id))
                if not p.is_settled]

    @requires(*FINANCE, action="request payout releases")
    def request_release(self, actor: Actor, payout_id: str, rail: Rail = Rail.STRIPE,
                        reason: str | None = None, expected_version: int | None = None
                        ) -> dict[str, Any]:
        payout = self._load_visible(actor, Payout, payout_id, "payout")
        brand: Brand = self.identity.get_brand(payout.brand_id)
        needed = brand.approvals_needed(payout.amount)
        return self._changed(actor, payout_id, expected_version,
                             lambda p: p.request_release(actor.user_id, rail, needed, reason))

    @requires(*FINANCE, action="approve payouts")
    def approve(self, actor: Actor, payout_id: str, reason: str | None = None,
                expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, payout_id, expected_version,
                             lambda p: p.approve(actor.user_id, reason))

    @requires(*FINANCE, action="hold payouts")
    def hold(self, actor: Actor, payout_id: str, reason: str | None,
             expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, payout_id, expected_version,
                             lambda p: p.hold(actor.user_id, reason))

    @requires(*FINANCE, action="release held payouts")
    def release_hold(self, actor: Actor, payout_id: str, reason: str | None,
                     expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, payout_id, expected_version,
                             lambda p: p.release_hold(actor.user_id, reason))

    @requires(*FINANCE, action="waive payouts")
    def waive(self, actor: Actor, payout_id: str, reason: str | None,
              expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, payout_id, expected_version,
                             lambda p: p.waive(actor.user_id, reason))

    @requires(*FINANCE, action="adjust payouts")
    def adjust(self, actor: Actor, payout_id: str, amount: dict[str, Any], reason: str | None,
               cause: str, expected_version: int | None = None) -> dict[str, Any]:
        money = Money.parse(amount, "amount")
        return self._changed(actor, payout_id, expected_version,
                             lambda p: p.adjust(actor.user_id, money, reason, cause))

    @requires(*FINANCE, action="retry payouts")
    def retry(self, actor: Actor, payout_id: str, reason: str | None,
              expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, payout_id, expected_version,
                             lambda p: p.allow_retry(actor.user_id, reason))

    @requires(*FINANCE, action="record offline payments")
    def record_offline_payment(self, actor: Actor, payout_id: str, reference: str,
                               proof: str | None, expected_version: int | None = None
                               ) -> dict[str, Any]:
        return self._changed(actor, payout_id, expected_version,
                             lambda p: p.record_payment(actor.user_id, reference, proof))

    @requires(*FINANCE, action="record refunds of overpayments")
    def record_refund(self, actor: Actor, payout_id: str, amount: dict[str, Any],
                      reference: str, expected_version: int | None = None) -> dict[str, Any]:
        money = Money.parse(amount, "amount")
        return self._changed(actor, payout_id, expected_version,
                             lambda p: p.record_refund(actor.user_id, money, reference))

    # Stripe Connect onboarding (finance or ops).

    @requires(Role.FINANCE, Role.OPS, action="onboard creators for payouts")
    def open_payout_account(self, actor: Actor, creator_id: str, country: str,
                            email: str | None, refresh_url: str, return_url: str
                            ) -> dict[str, Any]:
        """Opens (once) an Express account for the creator; returns the onboarding link."""
        creator: Creator = self.creators.creator_for(actor, creator_id)
        gateway = self._gateway()
        account_id = creator.profile.payout_account
        if account_id is None:
            account_id = gateway.open_account(str(creator.id), country, email).account_id
            self.creators.record_payout_account(actor, creator_id, account_id)
        link = gateway.onboarding_link(account_id, refresh_url, return_url)
        return {"creator_id": str(creator.id), "account_id": account_id,
                "onboarding_url": link}

    def note_payout_account(self, state: AccountState, creator_id: str | None) -> bool:
        """What Stripe says about an account (a webhook, or a check before paying)."""
        if creator_id is None:
            return False
        return bool(self.creators.note_payout_account(creator_id, state.account_id,
                                                      state.can_receive, state.requirements))

    def creator(self, creator_id: str) -> Creator:
        """The creator a payout pays: where the money goes, and whether it can."""
        found: Creator = self.creators.find(creator_id)
        return found

    def save_payout(self, payout: Payout) -> None:
        """For the payments area's own parts (processor, Stripe events, reconciliation),
        which change payouts only through the payout's own commands."""
        self._save_changes(payout)

    def _gateway(self) -> PaymentGateway:
        if self.gateway is None:
            raise ConfigurationError("No payment gateway is configured: set "
                                     "KOLPACT_STRIPE_API_KEY.")
        return self.gateway


def _keys(milestones: tuple[Milestone, ...], bonus: bool = False) -> set[str]:
    return {m.key for m in milestones if m.bonus or not bonus}


def as_id(value: str) -> Any:
    return as_uuid(value, "record")
