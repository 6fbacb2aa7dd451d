"""The payout processor's rules against an in-memory rail (doubles.payment_gateway): paid
once whatever the rail answers, failed only when the rail refuses."""

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import ConnectionUnavailableError

from application.bootstrap import Services, build_services
from application.infrastructure.settings import Settings
from domain.payout import Payout, PayoutStatus
from doubles.payment_gateway import FakeGateway
from tests.builders import given_team
from tests.clock import FakeClock
from tests.payments import RETURN_URL, approve, given_payable, no_wait_processor, pay_rounds


@pytest.fixture
def services() -> Iterator[Services]:
    built = build_services(Settings(database_url="memory://"), FakeClock())
    yield built
    built.close()


@pytest.fixture
def rail(services: Services) -> FakeGateway:
    services.payouts.gateway = gateway = FakeGateway()
    return gateway


def approved_payout(services: Services, rail: FakeGateway) -> str:
    team = given_team(services)
    payable = given_payable(services, team, None)
    services.payouts.open_payout_account(team.finance, payable.creator_id, "CN", None,
                                         RETURN_URL, RETURN_URL)
    approve(services, team, payable.signing)
    return payable.signing


def payout(services: Services, payout_id: str) -> Payout:
    found: Payout = services.payouts.repository.get(UUID(payout_id))
    return found


def test_an_approved_payout_is_paid_once_however_many_rounds_run(services: Services,
                                                                   rail: FakeGateway) -> None:
    payout_id = approved_payout(services, rail)

    done = pay_rounds(no_wait_processor(services, rail), [payout_id], rounds=3)

    assert done.paid == 1 and len(rail.transfers()) == 1 and rail.calls == 1
    assert payout(services, payout_id).status == PayoutStatus.PAID
    assert payout(services, payout_id).reference == rail.transfers()[0].transfer_id


def test_a_lost_answer_leaves_the_payout_submitted_and_the_next_round_finds_the_transfer(
        services: Services, rail: FakeGateway) -> None:
    payout_id = approved_payout(services, rail)
    rail.answers = ["lost"]
    processor = no_wait_processor(services, rail)

    first = processor.pay_all([payout_id])
    assert first.deferred == 1 and payout(services, payout_id).status == PayoutStatus.SUBMITTED

    second = processor.pay_all([payout_id])
    assert second.paid == 1 and len(rail.transfers()) == 1
    assert payout(services, payout_id).status == PayoutStatus.PAID


def test_a_busy_rail_defers_the_payout_and_never_fails_it(services: Services,
                                                          rail: FakeGateway) -> None:
    payout_id = approved_payout(services, rail)
    rail.answers = ["busy", "busy"]

    done = pay_rounds(no_wait_processor(services, rail), [payout_id], rounds=3)

    assert done.deferred == 2 and done.failed == 0 and done.paid == 1
    assert len(rail.transfers()) == 1


def test_a_refusal_fails_the_attempt_with_the_rails_code_and_moves_no_money(
        services: Services, rail: FakeGateway) -> None:
    payout_id = approved_payout(services, rail)
    rail.answers = ["refused:balance_insufficient"]

    done = no_wait_processor(services, rail).pay_all([payout_id])

    assert done.failed == 1 and rail.transfers() == []
    failed = payout(services, payout_id)
    assert failed.status == PayoutStatus.FAILED and failed.failure is not None
    assert failed.failure[0] == "balance_insufficient"


def test_a_creator_whose_account_cannot_receive_has_the_payout_held(
        services: Services, rail: FakeGateway) -> None:
    payout_id = approved_payout(services, rail)
    rail.cannot_receive(next(iter(rail.accounts)), "individual.verification.document")

    done = no_wait_processor(services, rail).pay_all([payout_id])

    assert done.held == 1 and rail.calls == 0
    assert payout(services, payout_id).status == PayoutStatus.HELD


def test_a_store_too_busy_to_write_defers_the_payout_and_the_next_round_pays_it_once(
        services: Services, rail: FakeGateway, monkeypatch: pytest.MonkeyPatch) -> None:
    payout_id = approved_payout(services, rail)
    save = services.payouts.save

    def busy_once(*aggregates: Any, **kwargs: Any) -> Any:
        monkeypatch.setattr(services.payouts, "save", save)
        raise ConnectionUnavailableError("Timed out waiting for return of writer")

    monkeypatch.setattr(services.payouts, "save", busy_once)
    processor = no_wait_processor(services, rail)

    assert processor.pay_all([payout_id]).deferred == 1 and rail.calls == 0
    assert processor.pay_all([payout_id]).paid == 1 and len(rail.transfers()) == 1
