"""A contract loads the same in one round trip (latest snapshot and the events after it,
in one statement on PostgreSQL) as the library's two, before, at and after a snapshot."""

from uuid import UUID, uuid4

import pytest
from eventsourcing.application import AggregateNotFoundError, Repository

from application.common.descriptions import describe_contract
from application.common.repository import SelectsLatest
from tests.builders import given_draft, given_team, valid_terms


def the_librarys_way(app, contract_id: UUID):  # type: ignore[no-untyped-def]
    library = Repository(event_store=app.events, snapshot_store=app.snapshots)
    return library.get(contract_id)


def test_a_contract_loads_as_the_library_would_before_at_and_after_a_snapshot(
        durable_services) -> None:  # type: ignore[no-untyped-def]
    services, team = durable_services, given_team(durable_services)
    app = services.contracts
    contract_id = UUID(given_draft(services, team))
    interval = app.snapshotting_intervals[type(app.repository.get(contract_id))]
    if services.settings.backend == "postgres":
        assert isinstance(app.events.recorder, SelectsLatest)

    for revision in range(interval + 3):
        loaded = app.repository.get(contract_id)
        assert describe_contract(loaded) == describe_contract(
            the_librarys_way(app, contract_id))
        assert loaded.version == revision + 1
        app_terms = valid_terms(fee=100_002 + 2 * revision)
        services.contracts.revise_terms(team.legal, str(contract_id), app_terms)
    assert list(app.snapshots.get(contract_id))  # the loop went past a snapshot


def test_an_unknown_id_is_not_found(durable_services) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AggregateNotFoundError):
        durable_services.contracts.repository.get(uuid4())
