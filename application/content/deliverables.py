"""Use cases for the content owed under contracts, and the policy that creates it.

When a contract's signatures complete (activation, or a signed amendment),
every deliverable its terms now owe and that does not exist yet is created,
with an id derived from contract, term and number. The policy runs from the
contracts log with tracking (the library's EventSourcedProjection), so each
signature is processed exactly once and the work resumes after a crash.
"""

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import IntegrityError

from application.common.actor import READERS, SYSTEM_USER, Actor, requires
from application.common.descriptions import describe_deliverable
from application.common.kolpact_app import Basics, KolpactApplication, as_uuid, derived_id
from application.common.links import ContractRecords, Later, Records, RuleRecords
from application.common.policy import Policy
from application.common.transcodings import register_values
from application.content.metrics_csv import read_rows
from application.errors import ConcurrentChange, NotFound
from domain.contract import Contract
from domain.deliverable import (
    CLOSED,
    DEFAULT_REVIEW_DAYS,
    ComplianceRules,
    DelayReason,
    Deliverable,
    DeliverableStatus,
    ExtensionProposal,
    Stage,
    Submission,
)
from domain.errors import InvalidTransition, InvalidValue
from domain.identity import Role
from domain.make_good import MakeGoodRule, RuleStatus
from domain.metrics import MetricSnapshot
from domain.money import Money
from domain.obligations import DeliverableTerm, Remedy
from domain.obligations import Tracking as TrackingTerm
from domain.shipment import Shipment
from domain.terms import ContractTerms
from domain.tracking import TrackedCode, is_tracking_code, tracking_code
from domain.values import parse_value

REVIEWERS = (Role.OPS, Role.LEGAL)
DELIVERABLE_REMEDIES = (Remedy.EXTRA_DELIVERABLE, Remedy.REPOST)
MAKE_GOOD_DAYS = 14  # to deliver what a breached rule adds


def deliverable_id(contract_id: str, key: str, index: int) -> Any:
    return derived_id("deliverable", contract_id, key, str(index))


def owed_ids(contract: Contract) -> list[Any]:
    """The terms' deliverables, and those a breached make-good rule may add."""
    return [deliverable_id(str(contract.id), term.key, index)
            for term in contract.terms.deliverables for index in range(1, term.quantity + 1)] \
        + [make_good_deliverable_id(str(contract.id), rule.key)
           for rule in contract.terms.make_goods if Remedy(rule.remedy) in DELIVERABLE_REMEDIES]


def tracking_code_id(code: str) -> Any:
    return derived_id("tracking-code", code)


def make_good_deliverable_id(contract_id: str, rule_key: str) -> Any:
    return deliverable_id(contract_id, f"make-good-{rule_key}", 1)


def rules_of(terms: ContractTerms) -> ComplianceRules:
    return ComplianceRules(required_disclosures=terms.required_disclosures,
                           approved_claims=terms.approved_claims,
                           claims_need_approval=bool(terms.flagged_categories),
                           forbidden_terms=terms.forbidden_terms)


class DeliverablesApp(KolpactApplication, Policy):
    name = "deliverables"
    record, record_name = Deliverable, "deliverable"
    upstream = ("contracts", "shipments", "make_goods")

    def __init__(self, basics: Basics, *, contracts: ContractRecords,
                 shipments: Later[Records], make_goods: Later[RuleRecords]) -> None:
        super().__init__(basics)
        self.contracts, self.shipments, self.make_goods = contracts, shipments, make_goods

    def register_transcodings(self, transcoder: Any) -> None:
        super().register_transcodings(transcoder)
        register_values(transcoder, DeliverableTerm, ComplianceRules, Submission,
                        ExtensionProposal, MetricSnapshot, Money, TrackingTerm)

    # The policy, driven from the contracts log.

    @singledispatchmethod
    def policy(self, domain_event: Any, processing_event: ProcessingEvent) -> None:
        """Other contract events owe nothing new."""

    @policy.register
    def _(self, domain_event: Contract.Signed, processing_event: ProcessingEvent) -> None:
        contract = self.contracts.completed_by(domain_event)
        if contract is None:
            return  # this signature did not complete a set
        for term in contract.terms.deliverables:
            for index in range(1, term.quantity + 1):
                new_id = deliverable_id(str(contract.id), term.key, index)
                if not self.exists(new_id):
                    processing_event.collect_events(*self._with_code(Deliverable.owe(
                        actor=SYSTEM_USER, brand_id=contract.brand_id,
                        contract_id=str(contract.id), creator_id=contract.creator_id,
                        term=term, index=index, rules=rules_of(contract.terms),
                        buffer_days=contract.terms.buffer_days,
                        review_days=contract.terms.review_days or DEFAULT_REVIEW_DAYS,
                        campaign=contract.campaign, tracking=contract.terms.tracking,
                        id=new_id)))

    def record_missing_codes(self) -> int:
        """Records the tracking codes of deliverables owed before codes were recorded
        (`kolpact init-db` runs this); returns how many it recorded."""
        return self._backfill(Deliverable.Created, lambda created: self._code_of(
            created.originator_id, created.brand_id))

    def _with_code(self, owed: Deliverable) -> list[Deliverable | TrackedCode]:
        """A new deliverable, and the record of its tracking code."""
        return [owed, *self._code_of(owed.id, owed.brand_id)]

    def _code_of(self, owed_id: Any, brand_id: str) -> list[TrackedCode]:
        """The record of a deliverable's tracking code, unless it is recorded already
        (or a code naming another deliverable took it, which 50 bits make unheard of)."""
        code_id = tracking_code_id(tracking_code(str(owed_id)))
        if self.exists(code_id):
            return []
        return [TrackedCode.claim(actor=SYSTEM_USER, brand_id=brand_id,
                                  deliverable_id=str(owed_id), id=code_id)]

    @policy.register
    def _(self, domain_event: MakeGoodRule.Evaluated,
          processing_event: ProcessingEvent) -> None:
        """A breached rule whose remedy is more content owes one more deliverable, like the
        one that missed its target, due in the contract's review-and-buffer time."""
        rule: MakeGoodRule = self.make_goods().repository.get(domain_event.originator_id)
        new_id = make_good_deliverable_id(rule.contract_id, rule.term.key)
        if domain_event.met or Remedy(rule.term.remedy) not in DELIVERABLE_REMEDIES or \
                self.exists(new_id) or rule.status is RuleStatus.WAIVED:
            return
        contract: Contract = self.contracts.repository.get(as_uuid(rule.contract_id,
                                                                   "contract"))
        missed = next((t for t in contract.terms.deliverables
                       if t.key == rule.term.deliverable_key), None)
        if missed is None:
            return
        due = domain_event.timestamp.date() + timedelta(days=MAKE_GOOD_DAYS)
        term = replace(missed, key=f"{missed.key}-{Remedy(rule.term.remedy).value}",
                       quantity=1, due_date=due)
        processing_event.collect_events(*self._with_code(Deliverable.owe(
            actor=SYSTEM_USER, brand_id=contract.brand_id, contract_id=str(contract.id),
            creator_id=contract.creator_id, term=term, index=1, rules=rules_of(contract.terms),
            buffer_days=contract.terms.buffer_days,
            review_days=contract.terms.review_days or DEFAULT_REVIEW_DAYS,
            campaign=contract.campaign, tracking=contract.terms.tracking, id=new_id)))

    @policy.register
    def _(self, domain_event: MakeGoodRule.Waived, processing_event: ProcessingEvent) -> None:
        """Legal waived a rule whose extra deliverable was owed in the meantime: cancel it,
        unless it was delivered already."""
        rule: MakeGoodRule = self.make_goods().repository.get(domain_event.originator_id)
        owed_id = make_good_deliverable_id(rule.contract_id, rule.term.key)
        if not self.exists(owed_id):
            return
        owed: Deliverable = self._load(Deliverable, owed_id, "deliverable")
        if owed.status not in CLOSED and owed.status is not DeliverableStatus.PUBLISHED:
            owed.cancel(SYSTEM_USER, f"Make-good {rule.term.key} waived: {domain_event.reason}")
            processing_event.collect_events(owed)

    @policy.register
    def _(self, domain_event: Shipment.Delayed, processing_event: ProcessingEvent) -> None:
        """A late shipment proposes the same number of days more for its deliverables."""
        shipment: Shipment = self.shipments().repository.get(
            domain_event.originator_id, version=domain_event.originator_version)
        cause = (f"shipment {shipment.id} delayed to {domain_event.eta.isoformat()} "
                 f"(version {domain_event.originator_version})")
        for linked in shipment.deliverable_ids:
            if not self.exists(as_uuid(linked, "deliverable")):
                continue  # not owed yet: the contract's signature is still being processed
            deliverable = self._load(Deliverable, linked, "deliverable")
            if deliverable.propose_extension(SYSTEM_USER, domain_event.days_later,
                                             DelayReason.SHIPMENT_DELAY, cause):
                processing_event.collect_events(deliverable)

    # Use cases.

    @requires(*READERS, action="read deliverables")
    def get_deliverable(self, actor: Actor, deliverable_id: str) -> dict[str, Any]:
        return describe_deliverable(self._load_visible(actor, Deliverable, deliverable_id,
                                                       "deliverable"))

    @requires(*READERS, action="read deliverables")
    def deliverables_of(self, actor: Actor, contract: Contract) -> list[dict[str, Any]]:
        found = []
        for owed in owed_ids(contract):
            if self.exists(owed):
                found.append(describe_deliverable(self._load(Deliverable, owed, "deliverable")))
        return found

    def owed_ids_of(self, contract: Contract) -> list[Any]:
        return owed_ids(contract)

    def open_deliverables(self, contract: Contract) -> list[str]:
        return [f"deliverable {d.term.key} #{d.index} ({d.status.value})"
                for d in (self._load(Deliverable, i, "deliverable")
                          for i in owed_ids(contract) if self.exists(i))
                if d.status not in CLOSED]

    @requires(Role.OPS, action="submit outlines and drafts")
    def submit(self, actor: Actor, deliverable_id: str, stage: Stage, content: str,
               expected_version: int | None = None) -> dict[str, Any]:
        today = self.clock.now().date()
        return self._changed(actor, deliverable_id, expected_version,
                             lambda d: d.submit(actor.user_id, stage, content, today))

    @requires(*REVIEWERS, action="review content")
    def request_changes(self, actor: Actor, deliverable_id: str, stage: Stage,
                        comments: str | None, expected_version: int | None = None
                        ) -> dict[str, Any]:
        return self._changed(actor, deliverable_id, expected_version,
                             lambda d: d.request_changes(actor.user_id, stage, comments))

    @requires(*REVIEWERS, action="approve content")
    def approve(self, actor: Actor, deliverable_id: str, stage: Stage,
                override_reason: str | None = None, expected_version: int | None = None
                ) -> dict[str, Any]:
        may_override = Role.LEGAL in actor.roles
        return self._changed(actor, deliverable_id, expected_version,
                             lambda d: d.approve(actor.user_id, stage, override_reason,
                                                 may_override))

    @requires(Role.OPS, action="record publications")
    def publish(self, actor: Actor, deliverable_id: str, url: str,
                published_at: datetime | None = None, expected_version: int | None = None
                ) -> dict[str, Any]:
        now = self.clock.now()
        return self._changed(actor, deliverable_id, expected_version, lambda d: d.publish(
            actor.user_id, url, published_at or now, now,
            None if published_at is None else self._contract_of(d).created_on))

    @requires(*REVIEWERS, action="extend due dates")
    def extend_due_date(self, actor: Actor, deliverable_id: str, days: int,
                        category: DelayReason, reason: str | None = None,
                        expected_version: int | None = None) -> dict[str, Any]:
        may_exceed_buffer = Role.LEGAL in actor.roles
        return self._changed(actor, deliverable_id, expected_version,
                             lambda d: d.extend_due_date(actor.user_id, days, category, reason,
                                                         may_exceed_buffer))

    @requires(*REVIEWERS, action="grant extensions")
    def grant_extension(self, actor: Actor, deliverable_id: str, proposal: int,
                        reason: str | None = None, expected_version: int | None = None
                        ) -> dict[str, Any]:
        may_exceed_buffer = Role.LEGAL in actor.roles
        return self._changed(actor, deliverable_id, expected_version,
                             lambda d: d.grant_extension(actor.user_id, proposal, reason,
                                                         may_exceed_buffer))

    @requires(*REVIEWERS, action="decline extensions")
    def decline_extension(self, actor: Actor, deliverable_id: str, proposal: int,
                          reason: str | None, expected_version: int | None = None
                          ) -> dict[str, Any]:
        return self._changed(actor, deliverable_id, expected_version,
                             lambda d: d.decline_extension(actor.user_id, proposal, reason))

    @requires(Role.OPS, action="record metrics")
    def record_metrics(self, actor: Actor, deliverable_id: str, snapshot: dict[str, Any],
                       expected_version: int | None = None) -> dict[str, Any]:
        parsed = parse_value(MetricSnapshot, snapshot, "snapshot")
        now = self.clock.now()
        return self._changed(actor, deliverable_id, expected_version,
                             lambda d: d.record_metrics(actor.user_id, parsed, now))

    @requires(*READERS, action="read metrics")
    def metrics_of(self, actor: Actor, deliverable_id: str) -> list[MetricSnapshot]:
        return list(self._load_visible(actor, Deliverable, deliverable_id,
                                       "deliverable").metrics)

    @requires(Role.OPS, action="import metrics")
    def import_metrics(self, actor: Actor, text: str, source: str | None = None
                       ) -> dict[str, Any]:
        """Records every row of a platform's CSV export, or none: a file with any bad row
        is refused whole, with every row's problems."""
        (rows, errors), now = read_rows(text, source), self.clock.now()
        touched: dict[str, Deliverable] = {}
        recorded = 0
        for row in rows:
            try:
                deliverable = self._row_deliverable(actor, row.deliverable, touched)
                recorded += deliverable.record_metrics(actor.user_id, row.snapshot, now)
            except NotFound as error:
                errors[f"rows[{row.line}].deliverable"] = str(error)
            except InvalidTransition as error:
                errors[f"rows[{row.line}].deliverable"] = str(error)
            except InvalidValue as error:
                errors |= {f"rows[{row.line}].{k}": v for k, v in error.errors.items()}
        if errors:
            raise InvalidValue(errors)
        self._save_together(list(touched.values()))
        return {"rows": len(rows), "recorded": recorded, "duplicates": len(rows) - recorded,
                "deliverable_ids": sorted(touched)}


    def _contract_of(self, deliverable: Deliverable) -> Contract:
        contract: Contract = self.contracts.repository.get(as_uuid(deliverable.contract_id,
                                                                   "contract"))
        return contract

    def _row_deliverable(self, actor: Actor, reference: str,
                         touched: dict[str, Deliverable]) -> Deliverable:
        """A row names a deliverable by id or by tracking code."""
        if is_tracking_code(reference):
            try:
                code: TrackedCode = self.repository.get(tracking_code_id(reference))
            except AggregateNotFoundError as error:
                raise NotFound(f"No deliverable with tracking code {reference}.") from error
            reference = code.deliverable_id
        key = str(as_uuid(reference, "deliverable"))
        if key not in touched:
            touched[key] = self._load_visible(actor, Deliverable, key, "deliverable")
        return touched[key]

    def _save_together(self, changed: list[Deliverable]) -> None:
        """One transaction for all of them: a file is recorded whole or not at all."""
        try:
            self.save(*changed)
        except IntegrityError as error:
            raise ConcurrentChange("Someone changed one of these deliverables while the file "
                                   "was being recorded; nothing was recorded. Retry.") from error

    @requires(Role.OPS, action="accept deliverables")
    def accept(self, actor: Actor, deliverable_id: str, reason: str | None = None,
               expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, deliverable_id, expected_version,
                             lambda d: d.accept(actor.user_id))

    @requires(Role.LEGAL, action="waive deliverables")
    def waive(self, actor: Actor, deliverable_id: str, reason: str | None,
              expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, deliverable_id, expected_version,
                             lambda d: d.waive(actor.user_id, reason))

    @requires(Role.LEGAL, action="cancel deliverables")
    def cancel(self, actor: Actor, deliverable_id: str, reason: str | None,
               expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, deliverable_id, expected_version,
                             lambda d: d.cancel(actor.user_id, reason))
