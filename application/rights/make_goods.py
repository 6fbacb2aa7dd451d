"""Make-good rules: armed when signatures complete, their window opened by publication,
evaluated when it closes (`kolpact make-goods evaluate`, and the background worker).

A breach's remedy is applied by the application that owns what changes (the
payouts application adjusts the milestone, for a fee reduction or refund), as a
policy on the breach; this application's policy then records the remedy on the
rule when it sees the adjustment that names it. Each step runs once per event.
"""

from typing import Any

from eventsourcing.application import ProcessingEvent
from eventsourcing.dispatch import singledispatchmethod

from application.common.actor import READERS, SYSTEM_USER, Actor, requires
from application.common.kolpact_app import Basics, KolpactApplication, as_uuid, derived_id
from application.common.links import (
    ContractRecords,
    DeliverableRecords,
    PayoutRecords,
    RightRecords,
)
from application.common.policy import Policy
from application.common.transcodings import register_values
from application.content.deliverables import make_good_deliverable_id
from application.contracting.contracts import TERMS_VALUES
from domain.contract import Contract
from domain.deliverable import Deliverable
from domain.identity import Role
from domain.make_good import Figures, MakeGoodRule, RuleStatus
from domain.metrics import MetricSnapshot
from domain.payout import Payout
from domain.usage_right import UsageRight

CAUSE = "make-good rule {rule_id} breached"
WAIVED = "make-good rule {rule_id} waived"  # what undoes a remedy applied as legal waived it


def rule_id(contract_id: str, key: str) -> Any:
    return derived_id("make-good", contract_id, key)


class MakeGoodsApp(KolpactApplication, Policy):
    name = "make_goods"
    record, record_name = MakeGoodRule, "make-good rule"
    upstream = ("contracts", "deliverables", "payouts", "usage_rights")

    def __init__(self, basics: Basics, *, contracts: ContractRecords,
                 deliverables: DeliverableRecords, payouts: PayoutRecords,
                 usage_rights: RightRecords) -> None:
        super().__init__(basics)
        self.contracts, self.deliverables = contracts, deliverables
        self.payouts, self.usage_rights = payouts, usage_rights

    def register_transcodings(self, transcoder: Any) -> None:
        super().register_transcodings(transcoder)
        register_values(transcoder, *TERMS_VALUES, Figures, MetricSnapshot)

    @singledispatchmethod
    def policy(self, domain_event: Any, processing_event: ProcessingEvent) -> None:
        """Other events change no rule."""

    @policy.register
    def _(self, domain_event: Contract.Signed, processing_event: ProcessingEvent) -> None:
        contract = self.contracts.completed_by(domain_event)
        if contract is None:
            return  # this signature did not complete a set
        for term in contract.terms.make_goods:
            new_id = rule_id(str(contract.id), term.key)
            if not self.exists(new_id):
                processing_event.collect_events(MakeGoodRule.arm(
                    actor=SYSTEM_USER, brand_id=contract.brand_id,
                    contract_id=str(contract.id), creator_id=contract.creator_id, term=term,
                    id=new_id))

    @policy.register
    def _(self, domain_event: Deliverable.Published, processing_event: ProcessingEvent) -> None:
        deliverable = self.deliverables.repository.get(domain_event.originator_id)
        for rule in self._rules_of(deliverable.contract_id):
            if rule.term.deliverable_key == deliverable.term.key and \
                    rule.open_window(SYSTEM_USER, domain_event.published_at):
                processing_event.collect_events(rule)

    @policy.register
    def _(self, domain_event: Deliverable.Created, processing_event: ProcessingEvent) -> None:
        """The deliverables application added the content a breach owes: record it."""
        for rule in self._rules_of(domain_event.contract_id):
            if domain_event.originator_id == make_good_deliverable_id(
                    rule.contract_id, rule.term.key) and rule.record_remedy(
                    SYSTEM_USER, f"deliverable {domain_event.term.key} owed, due "
                                 f"{domain_event.term.due_date}"):
                processing_event.collect_events(rule)

    @policy.register
    def _(self, domain_event: UsageRight.Extended,
          processing_event: ProcessingEvent) -> None:
        """The usage-rights application extended a right for a breach: record it."""
        cause = domain_event.extension.cause
        if cause is None:
            return
        right: UsageRight = self.usage_rights.repository.get(domain_event.originator_id)
        for rule in self._rules_of(right.contract_id):
            if cause == CAUSE.format(rule_id=rule.id) and rule.record_remedy(
                    SYSTEM_USER, f"usage right {right.term.key} extended by "
                                 f"{domain_event.extension.days} days"):
                processing_event.collect_events(rule)

    @policy.register
    def _(self, domain_event: Payout.Adjusted, processing_event: ProcessingEvent) -> None:
        """The payouts application applied a breach's remedy: record it on the rule."""
        self._remedy_in_payout(domain_event, processing_event, f"adjusted to "
                               f"{domain_event.amount.amount} {domain_event.amount.currency}")

    @policy.register
    def _(self, domain_event: Payout.AdjustmentDeferred,
          processing_event: ProcessingEvent) -> None:
        self._remedy_in_payout(domain_event, processing_event,
                               f"to be cut by {domain_event.cut} if its attempt in flight "
                               "fails, else owed back")

    @policy.register
    def _(self, domain_event: Payout.OverpaymentRecorded,
          processing_event: ProcessingEvent) -> None:
        self._remedy_in_payout(domain_event, processing_event,
                               f"paid already: {domain_event.amount.amount} "
                               f"{domain_event.amount.currency} owed back")

    def _remedy_in_payout(self, domain_event: Any, processing_event: ProcessingEvent,
                          how: str) -> None:
        """Whichever way the payout took the remedy, the rule records it (once)."""
        payout: Payout = self.payouts.repository.get(domain_event.originator_id)
        for rule in self._rules_of(payout.contract_id):
            if domain_event.cause == CAUSE.format(rule_id=rule.id) and rule.record_remedy(
                    SYSTEM_USER, f"payout {domain_event.originator_id} {how}"):
                processing_event.collect_events(rule)

    def _rules_of(self, contract_id: str) -> list[MakeGoodRule]:
        contract: Contract = self.contracts.repository.get(as_uuid(contract_id, "contract"))
        return [self._load(MakeGoodRule, rule_id(contract_id, t.key), "make-good rule")
                for t in contract.terms.make_goods
                if self.exists(rule_id(contract_id, t.key))]

    # Use cases.

    def evaluate_due(self, candidates: list[str]) -> int:
        """Evaluates the rules whose window has closed (the worker and the CLI)."""
        now, evaluated = self.clock.now(), 0
        for candidate in candidates:
            rule: MakeGoodRule = self._load(MakeGoodRule, candidate, "make-good rule")
            if rule.evaluate(SYSTEM_USER, self._snapshots(rule), now):
                self._save_changes(rule)
                evaluated += 1
        return evaluated

    def _snapshots(self, rule: MakeGoodRule) -> list[MetricSnapshot]:
        contract: Contract = self.contracts.repository.get(as_uuid(rule.contract_id,
                                                                   "contract"))
        return [snapshot for owed in self.deliverables.owed_ids_of(contract)
                if self.deliverables.exists(owed)
                for deliverable in [self.deliverables.repository.get(owed)]
                if deliverable.term.key == rule.term.deliverable_key
                for snapshot in deliverable.metrics]

    @requires(*READERS, action="read make-good rules")
    def rules_of(self, actor: Actor, contract: Contract) -> list[dict[str, Any]]:
        return [describe_rule(r) for r in self._rules_of(str(contract.id))]

    @requires(Role.LEGAL, action="waive make-good rules")
    def waive(self, actor: Actor, rule_id: str, reason: str | None,
              expected_version: int | None = None) -> dict[str, Any]:
        return describe_rule(self._change(actor, MakeGoodRule, "make-good rule", rule_id,
                                          expected_version,
                                          lambda r: r.waive(actor.user_id, reason)))


def describe_rule(rule: MakeGoodRule) -> dict[str, Any]:
    return {"id": str(rule.id), "version": rule.version, "brand_id": rule.brand_id,
            "contract_id": rule.contract_id, "key": rule.term.key, "term": rule.term,
            "status": rule.status.value, "published_at": rule.published_at,
            "window_closes": rule.window_closes, "figures": rule.figures,
            "remedy": rule.remedy_detail, "evaluated": rule.status is not RuleStatus.ARMED}
