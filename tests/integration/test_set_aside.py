"""One brand's event that a read model cannot hold never stops another brand's lists and
policies: it is set aside with its error, shown, and retried or skipped by an operator."""

import time
from uuid import UUID

import pytest

from application.bootstrap import Services
from application.infrastructure.postgres_store import ConnectionsExhausted
from application.payments.payouts import payout_id
from domain.creator import Creator
from domain.creator_profile import CreatorKind, CreatorProfile, Handle
from domain.vocabulary import Platform
from tests.builders import given_active_contract, given_creator, given_team

TOO_BIG = 2**63  # past a 64-bit column: stored before bounds existed


def given_an_event_no_table_can_hold(services: Services) -> str:
    """A creator stored as an older version would have accepted it."""
    team = given_team(services)
    creator = Creator.register(actor=team.ops.user_id, brand_id=team.brand_id,
                               profile=CreatorProfile("Huge", CreatorKind.KOL, (
                                   Handle(Platform.DOUYIN, "huge", TOO_BIG),)))
    services.creators.save(creator)
    return str(creator.id)


def directory_ids(services: Services) -> set[str]:
    rows = services.read_models["creators_directory"].view.read(  # type: ignore[index]
        "SELECT creator_id FROM {creators_directory}")
    return {row["creator_id"] for row in rows}


def test_an_event_a_read_model_cannot_hold_is_set_aside_and_the_rest_flows(
        durable_services: Services) -> None:
    services, read_models = durable_services, durable_services.read_models
    assert read_models is not None
    huge = given_an_event_no_table_can_hold(services)
    other = given_team(services)
    contract_id = given_active_contract(services, other)  # signed after the bad event

    services.run_policies()
    read_models.catch_up()

    (aside,) = read_models.set_aside.rows()
    statuses = {row["read_model"]: row for row in read_models.status()
                if row["application"] == "creators"}
    signing = services.payouts.get_payout(other.finance, str(payout_id(contract_id, "signing")))
    contract = services.contracts.repository.get(UUID(contract_id))
    assert aside["processor"] == "creators_directory" and "Registered" in aside["event"]
    assert statuses["creators_directory"]["set_aside"] == 1
    assert huge not in directory_ids(services)
    assert str(contract.creator_id) in directory_ids(services)  # the other brand's creator
    assert signing["status"] == "due"  # the policies went on
    assert services.deliverables.owed_ids_of(contract)


def test_a_retry_that_still_fails_keeps_it_aside_and_a_skip_lets_it_go(
        durable_services: Services) -> None:
    services, read_models = durable_services, durable_services.read_models
    assert read_models is not None
    given_an_event_no_table_can_hold(services)
    read_models.catch_up()
    (aside,) = read_models.set_aside.rows()

    retried = read_models.retry()
    skipped = read_models.skip(aside["processor"], aside["application"], aside["position"])
    read_models.catch_up()

    assert retried == {"applied": 0, "still_set_aside": 1}
    assert skipped and read_models.set_aside.rows() == []
    assert read_models["creators_directory"].position("creators") >= aside["position"]


def test_followers_set_it_aside_too_while_the_service_runs(durable_services: Services) -> None:
    services, read_models = durable_services, durable_services.read_models
    assert read_models is not None
    read_models.catch_up()
    read_models.start()
    try:
        given_an_event_no_table_can_hold(services)
        other = given_team(services)
        theirs = given_creator(services, other)
        deadline = time.monotonic() + 30
        while theirs not in directory_ids(services) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        read_models.stop()

    assert theirs in directory_ids(services)
    assert [row["processor"] for row in read_models.set_aside.rows()] == ["creators_directory"]


def test_no_connection_free_in_time_is_waited_out_not_set_aside(
        durable_services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    services, read_models = durable_services, durable_services.read_models
    assert read_models is not None
    creator_id = given_creator(services, given_team(services))
    directory = read_models["creators_directory"]
    process = directory.process

    def busy(batch):  # type: ignore[no-untyped-def]
        raise ConnectionsExhausted("no connection free within 5 s")

    monkeypatch.setattr(directory, "process", busy)
    with pytest.raises(ConnectionsExhausted):
        read_models.catch_up(["creators_directory"])
    monkeypatch.setattr(directory, "process", process)
    read_models.catch_up(["creators_directory"])

    assert read_models.set_aside.rows() == []
    assert creator_id in directory_ids(services)
