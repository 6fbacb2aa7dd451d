"""A contract's family: the contract and every record it gave rise to.

Its deliverables, usage rights, make-good rules, shipments and payouts, found
from every version of its terms (a deliverable dropped by an amendment still
belongs to the family's history). One ordered trail for all of them, and the
state of each as it stood at any moment.
"""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from application.common.descriptions import (
    describe_contract,
    describe_deliverable,
    describe_payout,
    describe_shipment,
    describe_usage_right,
)
from application.common.history import history, version_at
from application.common.kolpact_app import KolpactApplication
from application.common.people import People
from application.content.deliverables import deliverable_id, make_good_deliverable_id
from application.contracting.terms_versions import terms_versions
from application.errors import NotFound
from application.payments.payouts import bonus_payout_id, payout_id
from application.rights.make_goods import describe_rule, rule_id
from application.rights.usage_rights import right_id
from domain.contract import Contract
from domain.terms import ContractTerms

# The family's applications, in the order a report lists them, with the name of
# their records in the family's state.
MEMBERS = (("contracts", "contract"), ("deliverables", "deliverables"),
           ("shipments", "shipments"), ("payouts", "payouts"),
           ("usage_rights", "usage_rights"), ("make_goods", "make_good_rules"))


class ShipmentLog(Protocol):
    """A contract's shipments have no ids derived from it: they are read from the log."""

    def shipment_ids_of(self, contract_id: str) -> list[UUID]: ...


class Family:
    def __init__(self, applications: Mapping[str, KolpactApplication],
                 shipments: ShipmentLog) -> None:
        self.apps, self.shipments = applications, shipments

    def ids(self, contract: Contract) -> dict[str, list[UUID]]:
        """Every member that exists, by application."""
        cid = str(contract.id)
        every_terms: list[ContractTerms] = [v["terms"] for v in
                                            terms_versions(self.apps["contracts"], contract.id)]
        candidates = {
            "contracts": [contract.id],
            "deliverables": [deliverable_id(cid, t.key, i) for terms in every_terms
                             for t in terms.deliverables for i in range(1, t.quantity + 1)]
            + [make_good_deliverable_id(cid, r.key) for terms in every_terms
               for r in terms.make_goods],
            "shipments": self.shipments.shipment_ids_of(cid),
            "payouts": [make(cid, m.key) for terms in every_terms for m in terms.milestones
                        for make in (payout_id, bonus_payout_id)],
            "usage_rights": [right_id(cid, t.key) for terms in every_terms
                             for t in terms.usage_rights],
            "make_goods": [rule_id(cid, t.key) for terms in every_terms for t in terms.make_goods],
        }
        return {name: [i for i in dict.fromkeys(ids) if self.apps[name].exists(i)]
                for name, ids in candidates.items()}

    def trail(self, contract: Contract, until: datetime | None = None,
              members: dict[str, list[UUID]] | None = None) -> list[dict[str, Any]]:
        """Every event of the family in time order, with who acted in which roles."""
        roles = self.people()
        # An amendment's own change is "proposed_terms: added …": say what it changes.
        terms_changes = {v["event_version"]: v["changes"]
                         for v in terms_versions(self.apps["contracts"], contract.id)}
        entries = [{**roles.attributed(entry), "application": name,
                    "terms_changes": terms_changes.get(entry["version"])
                    if name == "contracts" else None}
                   for name, ids in (members or self.ids(contract)).items()
                   for member_id in ids
                   for entry in history(self.apps[name], member_id)
                   if until is None or entry["time"] <= until]
        return sorted(entries, key=lambda e: e["time"])

    def people(self) -> People:
        return People(self.apps)

    def state_at(self, contract: Contract, moment: datetime, latest: bool = False,
                 members: dict[str, list[UUID]] | None = None) -> dict[str, Any]:
        """What was agreed, delivered, shipped and paid at `moment` (or, with `latest`,
        as things stand now, with `moment` as today for rights)."""
        state: dict[str, Any] = {}
        found = members or self.ids(contract)  # callers that have the members pass them
        for (name, key), ids in zip(MEMBERS, map(found.get, dict(MEMBERS)), strict=True):
            app, describe = self.apps[name], self._describer(name, moment)
            versions = [(i, None if latest else version_at(app, i, moment)) for i in ids or []]
            state[key] = [describe(app.repository.get(i, version=v))
                          for i, v in versions if latest or v is not None]
        if not state["contract"]:
            raise NotFound(f"The contract did not exist yet at {moment.isoformat()}.")
        state["contract"] = state["contract"][0]
        return state

    def _describer(self, name: str, moment: datetime) -> Callable[[Any], dict[str, Any]]:
        describers: dict[str, Callable[[Any], dict[str, Any]]] = {
            "contracts": describe_contract, "deliverables": describe_deliverable,
            "shipments": describe_shipment, "payouts": describe_payout,
            "usage_rights": lambda right: describe_usage_right(right, moment.date()),
            "make_goods": describe_rule}
        return describers[name]
