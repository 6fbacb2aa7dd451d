"""Helpers for read-model tests: table contents and a random stream of business commands."""

import contextlib
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from hypothesis import strategies as st

from application.bootstrap import Services
from application.errors import ApplicationError, NotFound
from domain.deliverable import Stage
from domain.errors import DomainError
from projections.registry import ReadModels
from tests.builders import Team, creator_profile, valid_terms


def contents(read_models: ReadModels) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every read model table, in a stable order."""
    return {table.name: sorted((tuple(sorted(row.items())) for row in model.view.read(
                f"SELECT * FROM {{{table.name}}}")), key=repr)
            for model in read_models.models.values() for table in model.tables}


class Scenario:
    """Runs commands chosen by hypothesis against a team's records, ignoring refusals."""

    def __init__(self, services: Services, team: Team) -> None:
        self.services, self.team = services, team
        self.creators: list[str] = []
        self.contracts: list[str] = []
        self.shipments: list[str] = []

    def run(self, command: str, pick: int) -> None:
        # Refused commands are part of real life; they store nothing.
        with contextlib.suppress(DomainError, ApplicationError):
            getattr(self, command)(pick)

    def _creator(self, pick: int) -> str:
        if not self.creators:
            self.new_creator(pick)
        return self.creators[pick % len(self.creators)]

    def _contract(self, pick: int) -> str:
        if not self.contracts:
            self.draft(pick)
        return self.contracts[pick % len(self.contracts)]

    def new_creator(self, pick: int) -> None:
        profile = creator_profile(f"Creator {pick}")
        self.creators.append(self.services.creators.register_creator(self.team.ops, profile)["id"])

    def rename_creator(self, pick: int) -> None:
        self.services.creators.update_profile(self.team.ops, self._creator(pick),
                                              {"display_name": f"Renamed {pick}"})

    def pause_creator(self, pick: int) -> None:
        self.services.creators.pause(self.team.ops, self._creator(pick))

    def reactivate_creator(self, pick: int) -> None:
        self.services.creators.reactivate(self.team.ops, self._creator(pick))

    def draft(self, pick: int) -> None:
        contract = self.services.contracts.draft_contract(
            self.team.legal, self._creator(pick), f"Contract {pick}", valid_terms(
                tracking={"landing_url": "https://shop.example.com/"}),
            campaign=f"Campaign {pick % 3}")
        self.contracts.append(contract["id"])

    def revise(self, pick: int) -> None:
        self.services.contracts.revise_terms(self.team.legal, self._contract(pick),
                                             valid_terms(fee=100_000 + 2 * pick))

    def send(self, pick: int) -> None:
        self.services.contracts.send_for_signature(self.team.legal, self._contract(pick))

    def sign(self, pick: int) -> None:
        self.services.contracts.sign_for_brand(self.team.legal, self._contract(pick), "Lee")

    def accept(self, pick: int) -> None:
        self.services.contracts.record_creator_acceptance(self.team.ops, self._contract(pick),
                                                          "Mia")

    def amend(self, pick: int) -> None:
        self.services.contracts.propose_amendment(self.team.legal, self._contract(pick),
                                                  valid_terms(fee=200_000 + 2 * pick), "More")

    def withdraw(self, pick: int) -> None:
        self.services.contracts.withdraw_amendment(self.team.legal, self._contract(pick), "No")

    def terminate(self, pick: int) -> None:
        self.services.contracts.terminate(self.team.legal, self._contract(pick), "Breach")

    def cancel(self, pick: int) -> None:
        self.services.contracts.cancel(self.team.legal, self._contract(pick), "Dropped")

    def complete(self, pick: int) -> None:
        self.services.contracts.complete(self.team.ops, self._contract(pick))

    def _deliverable(self, pick: int) -> str:
        self.services.run_policies()  # what the workers do: owe the signed deliverables
        owed = [d["id"] for contract_id in self.contracts
                for d in self.services.deliverables.deliverables_of(
                    self.team.ops, self.services.contracts.repository.get(UUID(contract_id)))]
        if not owed:
            raise NotFound("No deliverables yet.")
        return str(owed[pick % len(owed)])

    def submit(self, pick: int) -> None:
        stage = Stage.OUTLINE if pick % 2 else Stage.DRAFT
        content = "Idea #ad" if pick % 3 else "No disclosure"
        self.services.deliverables.submit(self.team.ops, self._deliverable(pick), stage, content)

    def review(self, pick: int) -> None:
        deliverable_id = self._deliverable(pick)
        stage = Stage.OUTLINE if pick % 2 else Stage.DRAFT
        if pick % 4:
            self.services.deliverables.approve(self.team.legal, deliverable_id, stage, "Ok")
        else:
            self.services.deliverables.request_changes(self.team.ops, deliverable_id, stage,
                                                       "Shorter")

    def publish(self, pick: int) -> None:
        self.services.deliverables.publish(self.team.ops, self._deliverable(pick),
                                           f"https://www.douyin.com/video/{pick}")

    def measure(self, pick: int) -> None:
        self.services.deliverables.record_metrics(self.team.ops, self._deliverable(pick), {
            "source": "douyin" if pick % 2 else "manual", "counts": {"views": pick * 100},
            "measured_at": self.services.deliverables.clock.now() - timedelta(minutes=pick)})

    def ship(self, pick: int) -> None:
        deliverable_id = self._deliverable(pick)
        contract_id = self.services.deliverables.get_deliverable(
            self.team.ops, deliverable_id)["contract_id"]
        shipment = self.services.shipments.prepare(
            self.team.ops, contract_id, [{"sku": "SERUM"}],
            {"recipient": "Mia", "line1": "1 Rd", "city": "Shanghai", "country": "CN"},
            [deliverable_id])
        self.services.shipments.dispatch(self.team.ops, shipment["id"], "SF", f"SF{pick}",
                                         date.today() + timedelta(days=2))
        self.shipments.append(shipment["id"])

    def delay_shipment(self, pick: int) -> None:
        if self.shipments:
            self.services.shipments.delay(self.team.ops, self.shipments[pick % len(
                self.shipments)], "Weather", date.today() + timedelta(days=3 + pick))

    def deliver_shipment(self, pick: int) -> None:
        if self.shipments:
            self.services.shipments.deliver(self.team.ops,
                                            self.shipments[pick % len(self.shipments)])


COMMANDS = [name for name in vars(Scenario) if not name.startswith("_") and name != "run"]
STEPS = st.lists(st.tuples(st.sampled_from(COMMANDS), st.integers(0, 50)), min_size=1,
                 max_size=20)
