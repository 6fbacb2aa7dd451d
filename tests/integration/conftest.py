"""Given-steps that several integration modules share."""

import pytest

from application.bootstrap import Services
from doubles.stripe_server import StripeState
from tests.builders import (
    Team,
    family_terms,
    given_active_contract,
    given_shipment,
    given_team,
)
from tests.payments import in_process_gateway


@pytest.fixture
def family(durable_services: Services) -> tuple[Services, Team, str]:
    """An active contract with every kind of record: deliverable, payouts, usage right,
    make-good rule and a shipment; on SQLite and PostgreSQL."""
    team = given_team(durable_services)
    contract_id = given_active_contract(durable_services, team, family_terms())
    durable_services.run_policies()
    given_shipment(durable_services, team, contract_id)
    return durable_services, team, contract_id


@pytest.fixture
def stripe_state(services) -> StripeState:  # type: ignore[no-untyped-def]
    state = StripeState()
    services.payouts.gateway = in_process_gateway(state)
    return state


@pytest.fixture
def team(services):  # type: ignore[no-untyped-def]
    team = given_team(services)
    services.auditor = team.auditor  # who reads the statuses below
    return team
