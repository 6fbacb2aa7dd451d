"""Helpers for read-model tests: table contents and a random stream of business commands."""

import contextlib
from typing import Any

from hypothesis import strategies as st

from application.errors import ApplicationError
from application.services import Services
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
            self.team.legal, self._creator(pick), f"Contract {pick}", valid_terms(),
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


COMMANDS = [name for name in vars(Scenario) if not name.startswith("_") and name != "run"]
STEPS = st.lists(st.tuples(st.sampled_from(COMMANDS), st.integers(0, 50)), min_size=1,
                 max_size=20)
