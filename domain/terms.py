"""The terms of a contract: what is owed, what may be used, and how it is paid.

Terms are immutable values. Every draft revision or amendment is a new value
with a version number and a hash that signatures refer to.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.money import Money
from domain.obligations import DeliverableTerm, MakeGoodTerm, Milestone, Tracking, UsageRightTerm
from domain.rules import Problems, check_keys, check_texts
from domain.values import parse_checked, to_primitive
from domain.vocabulary import SensitiveCategory

MAX_BUFFER_DAYS = 365
MAX_REVIEW_DAYS = 60


@dataclass(frozen=True)
class ContractTerms:
    fee: Money
    deliverables: tuple[DeliverableTerm, ...] = ()
    usage_rights: tuple[UsageRightTerm, ...] = ()
    approved_claims: tuple[str, ...] = ()
    required_disclosures: tuple[str, ...] = ()
    flagged_categories: tuple[SensitiveCategory, ...] = ()
    tracking: Tracking | None = None
    milestones: tuple[Milestone, ...] = ()
    make_goods: tuple[MakeGoodTerm, ...] = ()
    buffer_days: int = 0
    notes: str = field(default="")
    forbidden_terms: tuple[str, ...] = ()  # words no outline or draft may contain
    review_days: int | None = None  # the brand reviews a submission within; None: the default

    @classmethod
    def parse(cls, data: dict[str, Any]) -> "ContractTerms":
        """Builds terms from primitives and checks every rule; raises InvalidValue."""
        terms: ContractTerms = parse_checked(cls, data, "terms")
        return terms

    def problems(self) -> Problems:
        errors: Problems = dict(self.fee.problems("fee"))
        deliverable_keys = {d.key for d in self.deliverables}
        milestone_amounts = {m.key: m.amount for m in self.milestones}
        errors |= check_keys("deliverables", self.deliverables)
        errors |= check_keys("usage_rights", self.usage_rights)
        errors |= check_keys("milestones", self.milestones)
        errors |= check_keys("make_goods", self.make_goods)
        for i, deliverable in enumerate(self.deliverables):
            errors |= deliverable.problems(f"deliverables[{i}]")
        for i, right in enumerate(self.usage_rights):
            errors |= right.problems(f"usage_rights[{i}]", deliverable_keys)
        for i, milestone in enumerate(self.milestones):
            errors |= milestone.problems(f"milestones[{i}]", deliverable_keys)
        for i, rule in enumerate(self.make_goods):
            errors |= rule.problems(f"make_goods[{i}]", deliverable_keys, milestone_amounts)
        errors |= check_texts("approved_claims", self.approved_claims)
        errors |= check_texts("required_disclosures", self.required_disclosures)
        errors |= check_texts("forbidden_terms", self.forbidden_terms)
        if self.tracking is not None:
            errors |= self.tracking.problems("tracking")
        if not 0 <= self.buffer_days <= MAX_BUFFER_DAYS:
            errors["buffer_days"] = f"must be between 0 and {MAX_BUFFER_DAYS}"
        if self.review_days is not None and not 1 <= self.review_days <= MAX_REVIEW_DAYS:
            errors["review_days"] = f"must be between 1 and {MAX_REVIEW_DAYS}"
        errors |= self._schedule_problems()
        return errors

    def _schedule_problems(self) -> Problems:
        if not self.milestones:
            return {}
        total = sum(m.amount for m in self.milestones)
        if total != self.fee.amount:
            return {
                "milestones": f"amounts add up to {total} but the fee is {self.fee.amount} "
                f"{self.fee.currency}; the payment schedule must sum exactly to the fee"
            }
        return {}

    def missing_for_signature(self) -> list[str]:
        """What the terms still lack before anyone can be asked to sign them."""
        missing = []
        if not self.deliverables:
            missing.append("at least one deliverable")
        if self.fee.amount > 0 and not self.milestones:
            missing.append("a payment schedule (milestones summing to the fee)")
        return missing

    def earliest_due_date(self) -> date | None:
        return min((d.due_date for d in self.deliverables), default=None)

    def to_dict(self) -> dict[str, Any]:
        return to_primitive(self)

    def fingerprint(self) -> str:
        """SHA-256 of the canonical JSON form: what a signature refers to.

        Empty values are left out, so that adding an optional term later does not
        change the fingerprint of terms signed before it existed.
        """
        canonical = json.dumps(without_empty(self.to_dict()), sort_keys=True,
                               separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def without_empty(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_empty(v) for k, v in value.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [without_empty(item) for item in value]
    return value
