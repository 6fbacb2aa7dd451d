"""Use cases for the content owed under contracts, and the policy that creates it.

When a contract's signatures complete (activation, or a signed amendment),
every deliverable its terms now owe and that does not exist yet is created,
with an id derived from contract, term and number. The policy runs from the
contracts log with tracking (the library's EventSourcedProjection), so each
signature is processed exactly once and the work resumes after a crash.
"""

from datetime import datetime
from typing import Any

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.projection import EventSourcedProjection

from application.actor import READERS, SYSTEM_USER, Actor
from application.base import KolpactApplication, derived_id
from application.transcodings import register_values
from application.views import describe_deliverable
from domain.contract import Contract, ContractStatus
from domain.deliverable import (
    CLOSED,
    ComplianceRules,
    DelayReason,
    Deliverable,
    Stage,
    Submission,
)
from domain.identity import Role
from domain.obligations import DeliverableTerm
from domain.terms import ContractTerms

REVIEWERS = (Role.OPS, Role.LEGAL)


def deliverable_id(contract_id: str, key: str, index: int) -> Any:
    return derived_id("deliverable", contract_id, key, str(index))


def owed_ids(contract: Contract) -> list[Any]:
    return [deliverable_id(str(contract.id), term.key, index)
            for term in contract.terms.deliverables for index in range(1, term.quantity + 1)]


def rules_of(terms: ContractTerms) -> ComplianceRules:
    return ComplianceRules(required_disclosures=terms.required_disclosures,
                           approved_claims=terms.approved_claims,
                           claims_need_approval=bool(terms.flagged_categories),
                           forbidden_terms=terms.forbidden_terms)


class DeliverablesApp(KolpactApplication, EventSourcedProjection):
    name = "deliverables"
    record, record_name = Deliverable, "deliverable"
    upstream = ("contracts",)
    contracts: Any  # ContractsApp, wired by the services builder

    def register_transcodings(self, transcoder: Any) -> None:
        super().register_transcodings(transcoder)
        register_values(transcoder, DeliverableTerm, ComplianceRules, Submission)

    # The policy, driven from the contracts log.

    @singledispatchmethod
    def policy(self, domain_event: Any, processing_event: ProcessingEvent) -> None:
        """Other contract events owe nothing new."""

    @policy.register
    def _(self, domain_event: Contract.Signed, processing_event: ProcessingEvent) -> None:
        contract: Contract = self.contracts.repository.get(
            domain_event.originator_id, version=domain_event.originator_version)
        if contract.status is not ContractStatus.ACTIVE or contract.awaiting:
            return  # this signature did not complete one
        for term in contract.terms.deliverables:
            for index in range(1, term.quantity + 1):
                new_id = deliverable_id(str(contract.id), term.key, index)
                if not self._exists(new_id):
                    processing_event.collect_events(Deliverable.owe(
                        actor=SYSTEM_USER, brand_id=contract.brand_id,
                        contract_id=str(contract.id), creator_id=contract.creator_id,
                        term=term, index=index, rules=rules_of(contract.terms),
                        buffer_days=contract.terms.buffer_days, id=new_id))

    def _exists(self, aggregate_id: Any) -> bool:
        try:
            self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return False
        return True

    def position(self, application_name: str) -> int | None:
        return self.recorder.max_tracking_id(application_name)

    def process(self, batch: list[tuple[Any, Tracking]]) -> int:
        applied = 0
        for domain_event, tracking in batch:
            try:
                self.process_event(domain_event, tracking)
            except IntegrityError:
                continue  # processed already (another runner, or before a crash)
            applied += 1
        return applied

    # Use cases.

    def get_deliverable(self, actor: Actor, deliverable_id: str) -> dict[str, Any]:
        actor.require(*READERS, action="read deliverables")
        return describe_deliverable(self._load_visible(actor, Deliverable, deliverable_id,
                                                       "deliverable"))

    def deliverables_of(self, actor: Actor, contract: Contract) -> list[dict[str, Any]]:
        actor.require(*READERS, action="read deliverables")
        found = []
        for owed in owed_ids(contract):
            if self._exists(owed):
                found.append(describe_deliverable(self._load(Deliverable, owed, "deliverable")))
        return found

    def owed_ids_of(self, contract: Contract) -> list[Any]:
        return owed_ids(contract)

    def open_deliverables(self, contract: Contract) -> list[str]:
        return [f"deliverable {d.term.key} #{d.index} ({d.status.value})"
                for d in (self._load(Deliverable, i, "deliverable")
                          for i in owed_ids(contract) if self._exists(i))
                if d.status not in CLOSED]

    def submit(self, actor: Actor, deliverable_id: str, stage: Stage, content: str,
               expected_version: int | None = None) -> dict[str, Any]:
        actor.require(Role.OPS, action="submit outlines and drafts")
        return self._changed(actor, deliverable_id, expected_version,
                             lambda d: d.submit(actor.user_id, stage, content))

    def request_changes(self, actor: Actor, deliverable_id: str, stage: Stage,
                        comments: str | None, expected_version: int | None = None
                        ) -> dict[str, Any]:
        actor.require(*REVIEWERS, action="review content")
        return self._changed(actor, deliverable_id, expected_version,
                             lambda d: d.request_changes(actor.user_id, stage, comments))

    def approve(self, actor: Actor, deliverable_id: str, stage: Stage,
                override_reason: str | None = None, expected_version: int | None = None
                ) -> dict[str, Any]:
        actor.require(*REVIEWERS, action="approve content")
        may_override = Role.LEGAL in actor.roles
        return self._changed(actor, deliverable_id, expected_version,
                             lambda d: d.approve(actor.user_id, stage, override_reason,
                                                 may_override))

    def publish(self, actor: Actor, deliverable_id: str, url: str,
                published_at: datetime | None = None, expected_version: int | None = None
                ) -> dict[str, Any]:
        actor.require(Role.OPS, action="record publications")
        now = self.clock.now()
        return self._changed(actor, deliverable_id, expected_version,
                             lambda d: d.publish(actor.user_id, url, published_at or now, now))

    def extend_due_date(self, actor: Actor, deliverable_id: str, days: int,
                        category: DelayReason, reason: str | None = None,
                        expected_version: int | None = None) -> dict[str, Any]:
        actor.require(*REVIEWERS, action="extend due dates")
        may_exceed_buffer = Role.LEGAL in actor.roles
        return self._changed(actor, deliverable_id, expected_version,
                             lambda d: d.extend_due_date(actor.user_id, days, category, reason,
                                                         may_exceed_buffer))

    def accept(self, actor: Actor, deliverable_id: str, reason: str | None = None,
               expected_version: int | None = None) -> dict[str, Any]:
        actor.require(Role.OPS, action="accept deliverables")
        return self._changed(actor, deliverable_id, expected_version,
                             lambda d: d.accept(actor.user_id))

    def waive(self, actor: Actor, deliverable_id: str, reason: str | None,
              expected_version: int | None = None) -> dict[str, Any]:
        actor.require(Role.LEGAL, action="waive deliverables")
        return self._changed(actor, deliverable_id, expected_version,
                             lambda d: d.waive(actor.user_id, reason))

    def cancel(self, actor: Actor, deliverable_id: str, reason: str | None,
               expected_version: int | None = None) -> dict[str, Any]:
        actor.require(Role.LEGAL, action="cancel deliverables")
        return self._changed(actor, deliverable_id, expected_version,
                             lambda d: d.cancel(actor.user_id, reason))
