"""Every version of a contract's terms: who wrote it, when, whether it was signed, and
what it changed from the version before, as lines a person reads."""

from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from application.common.history import changes, flatten, readable
from domain.contract import Contract
from domain.terms import ContractTerms
from domain.values import to_primitive

INTRODUCES_TERMS = (Contract.Drafted, Contract.TermsRevised, Contract.AmendmentProposed)


def terms_versions(app: Application, contract_id: UUID) -> list[dict[str, Any]]:
    versions: dict[int, dict[str, Any]] = {}
    contract: Any = None
    event: Any
    for event in app.events.get(contract_id):
        contract = event.mutate(contract)
        if isinstance(event, INTRODUCES_TERMS):
            number = getattr(event, "terms_version", 1)
            before = versions[max(versions)]["terms"] if versions else None
            versions[number] = {"terms_version": number, "terms": event.terms,
                                "changes": terms_diff(before, event.terms),
                                "event_version": event.originator_version,
                                "terms_hash": event.terms.fingerprint(),
                                "written_by": event.actor, "written_at": event.timestamp,
                                "reason": event.reason, "signed_at": None,
                                "withdrawn_at": None, "in_force": False}
        elif isinstance(event, Contract.AmendmentWithdrawn):
            versions[event.terms_version]["withdrawn_at"] = event.timestamp
        elif isinstance(event, Contract.Signed) and contract.signed:
            signed = versions[event.signature.terms_version]
            signed["signed_at"] = signed["signed_at"] or event.timestamp
    for number, version in versions.items():
        version["in_force"] = bool(contract.signed) and number == contract.terms_version
    return sorted(versions.values(), key=lambda v: v["terms_version"])


def terms_diff(before: ContractTerms | None, after: ContractTerms) -> list[str]:
    """What a terms version changed from the one before it; nothing for the first."""
    if before is None:
        return []
    return readable(changes(flatten({"terms": to_primitive(before)}),
                            flatten({"terms": to_primitive(after)})))
