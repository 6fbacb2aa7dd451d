"""Creators' contact details and shipping addresses: encrypted at rest, erasable on request.

An erasure destroys the creator's key: their data reads as erased everywhere,
in old events too, while the event chain still verifies.
"""

import io
import json
import zipfile
from typing import Any

import pytest
from eventsourcing.persistence import MapperDeserialisationError

from application.bootstrap import Services, build_services
from application.common.actor import system_actor
from application.errors import RoleNotAllowed
from application.infrastructure.personal_data_vault import PersonalDataErased
from application.infrastructure.settings import ConfigurationError, new_cipher_key, parse_cipher_key
from domain.errors import InvalidTransition, InvalidValue
from tests.builders import (
    SHIPPING_ADDRESS,
    Team,
    creator_profile,
    event_count,
    given_shipment,
    given_team,
    valid_terms,
)

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)

EMAIL, WECHAT = "mia.private@example.cn", "mia_private_88"
STREET = SHIPPING_ADDRESS["line1"]


def stored_rows(services: Services, application: str) -> list[bytes]:
    with services.database.transaction() as sql:
        rows = sql.run(f"SELECT state FROM {services.database.table(f'{application}_events')} "
                       "ORDER BY originator_id, originator_version")
    return [bytes(r["state"]) for r in rows]


def stored_text(services: Services, application: str) -> str:
    return b"".join(stored_rows(services, application)).decode()


@pytest.fixture
def creator(durable_services: Services) -> tuple[Services, Team, str, str]:
    """A creator with contact details, an active contract and a shipment to them."""
    services = durable_services
    team = given_team(services)
    creator_id = services.creators.register_creator(team.ops, {
        **creator_profile(), "contact": {"email": EMAIL, "wechat_id": WECHAT}})["id"]
    contract_id = services.contracts.draft_contract(team.legal, creator_id, "Winter launch",
                                                    valid_terms())["id"]
    services.contracts.send_for_signature(team.legal, contract_id)
    services.contracts.sign_for_brand(team.legal, contract_id, "Lee Legal")
    services.contracts.record_creator_acceptance(team.ops, contract_id, "Mia Chen")
    shipment_id = given_shipment(services, team, contract_id)
    return services, team, str(creator_id), shipment_id


def test_personal_data_is_stored_encrypted_and_read_back_by_the_brand(creator) -> None:
    services, team, creator_id, shipment_id = creator

    contact = services.creators.get_creator(team.auditor, creator_id)["contact"]
    address = services.shipments.get_shipment(team.auditor, shipment_id)["address"]

    assert (contact.email, contact.wechat_id, contact.erased) == (EMAIL, WECHAT, False)
    assert (address.line1, address.erased) == (STREET, False)
    for text, application in ((EMAIL, "creators"), (WECHAT, "creators"),
                              (STREET, "shipments"), (SHIPPING_ADDRESS["phone"], "shipments")):
        assert text not in stored_text(services, application)
    assert "Mia Chen" in stored_text(services, "creators")  # the public profile is not secret


def test_an_erasure_makes_the_data_unreadable_everywhere_and_the_chain_still_verifies(
        creator) -> None:
    services, team, creator_id, shipment_id = creator
    before = stored_rows(services, "creators") + stored_rows(services, "shipments")

    erased = services.creators.erase_personal_data(team.legal, creator_id, "PIPL request 42")

    assert erased["personal_data_erased"] is True and erased["contact"].erased
    assert services.shipments.get_shipment(team.ops, shipment_id)["address"].erased
    trail = json.dumps(services.audit.contract_history(
        team.auditor, services.shipments.get_shipment(team.ops, shipment_id)["contract_id"]),
        default=str)
    assert STREET not in trail
    creator_trail = json.dumps(list(_creator_history(services, creator_id)), default=str)
    assert EMAIL not in creator_trail and WECHAT not in creator_trail
    assert services.audit.verify(system_actor())["passed"]
    after = stored_rows(services, "creators") + stored_rows(services, "shipments")
    assert set(before) <= set(after)  # nothing stored was rewritten: one event was added
    assert len(after) == len(before) + 1


def _creator_history(services: Services, creator_id: str) -> Any:
    from uuid import UUID

    from application.common.history import history

    return history(services.creators, UUID(creator_id))


def test_an_export_holds_no_personal_data_before_or_after_erasure(creator) -> None:
    services, team, creator_id, shipment_id = creator
    contract_id = services.shipments.get_shipment(team.ops, shipment_id)["contract_id"]

    before = services.audit.export(team.auditor, contract_id)
    services.creators.erase_personal_data(team.legal, creator_id, "PIPL request 42")
    after = services.audit.export(team.auditor, contract_id)

    for bundle in (before, after):
        archive = zipfile.ZipFile(io.BytesIO(bundle.content))
        for name in archive.namelist():
            assert STREET not in archive.read(name).decode()
    report = zipfile.ZipFile(io.BytesIO(before.content)).read("report.html").decode()
    assert "address.line1: (personal data, not exported)" in report


def test_nothing_personal_is_kept_for_an_erased_creator_afterwards(creator) -> None:
    services, team, creator_id, shipment_id = creator
    contract_id = services.shipments.get_shipment(team.ops, shipment_id)["contract_id"]
    services.creators.erase_personal_data(team.legal, creator_id, "PIPL request 42")
    before = event_count(services)

    with pytest.raises(PersonalDataErased):
        given_shipment(services, team, contract_id)
    with pytest.raises(InvalidTransition, match="erased"):
        services.creators.update_profile(team.ops, creator_id, {"contact": {"email": EMAIL}})

    assert event_count(services) == before
    services.creators.update_profile(team.ops, creator_id, {"categories": ["beauty"]})
    assert services.creators.get_creator(team.ops, creator_id)["contact"].erased


def test_an_erasure_is_recorded_once_needs_a_reason_and_legal(creator) -> None:
    services, team, creator_id, _ = creator

    with pytest.raises(InvalidValue):
        services.creators.erase_personal_data(team.legal, creator_id, " ")
    with pytest.raises(RoleNotAllowed):
        services.creators.erase_personal_data(team.ops, creator_id, "PIPL request 42")
    assert services.creators.get_creator(team.ops, creator_id)["contact"].email == EMAIL

    first = services.creators.erase_personal_data(team.legal, creator_id, "PIPL request 42")
    again = services.creators.erase_personal_data(team.legal, creator_id, "PIPL request 42")

    assert again["version"] == first["version"]


def test_other_creators_keep_their_data(creator) -> None:
    services, team, creator_id, _ = creator
    other = services.creators.register_creator(team.ops, {
        **creator_profile("Lin"), "contact": {"email": "lin@example.cn"}})["id"]

    services.creators.erase_personal_data(team.legal, creator_id, "PIPL request 42")

    assert services.creators.get_creator(team.ops, other)["contact"].email == "lin@example.cn"


def test_another_process_stops_reading_erased_data(creator, clock,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    services, team, creator_id, shipment_id = creator
    other_process = build_services(services.settings, clock)
    try:
        assert other_process.shipments.get_shipment(team.ops, shipment_id)["address"].line1 \
            == STREET
        services.creators.erase_personal_data(team.legal, creator_id, "PIPL request 42")
        monkeypatch.setattr("application.infrastructure.personal_data_vault.CACHE_SECONDS", 0.0)

        assert other_process.shipments.get_shipment(team.ops, shipment_id)["address"].erased
    finally:
        other_process.close()


def test_the_wrong_installation_key_is_an_error_not_garbage(creator, clock) -> None:
    services, team, creator_id, _ = creator
    from dataclasses import replace

    wrong = build_services(replace(services.settings,
                                   cipher_key=parse_cipher_key(new_cipher_key())), clock)
    try:
        with pytest.raises(MapperDeserialisationError) as raised:
            wrong.creators.get_creator(team.ops, creator_id)
    finally:
        wrong.close()
    assert isinstance(raised.value.__cause__, ConfigurationError)
    assert "KOLPACT_CIPHER_KEY" in str(raised.value.__cause__)


def test_without_an_installation_key_personal_data_is_refused(creator, clock) -> None:
    services, team, _, _ = creator
    from dataclasses import replace

    keyless = build_services(replace(services.settings, cipher_key=None), clock)
    try:
        with pytest.raises(ConfigurationError, match="set KOLPACT_CIPHER_KEY"):
            keyless.creators.register_creator(team.ops, {
                **creator_profile("Kai"), "contact": {"email": "kai@example.cn"}})
        keyless.creators.register_creator(team.ops, creator_profile("Kai"))  # none to keep
    finally:
        keyless.close()


@pytest.mark.parametrize("text", ["not base64!", "c2hvcnQ="])
def test_a_bad_installation_key_is_refused_at_start(text: str) -> None:
    with pytest.raises(ConfigurationError, match="KOLPACT_CIPHER_KEY"):
        parse_cipher_key(text)


def test_an_active_contract_still_reads_after_its_creator_is_erased(creator) -> None:
    services, team, creator_id, shipment_id = creator
    services.creators.erase_personal_data(team.legal, creator_id, "PIPL request 42")

    contract_id = services.shipments.get_shipment(team.ops, shipment_id)["contract_id"]
    assert services.contracts.get_contract(team.legal, contract_id)["status"] == "active"
    assert services.audit.verify(team.auditor, contract_id)["passed"]


def test_a_snapshot_with_sealed_data_still_checks_out_before_and_after_erasure(creator) -> None:
    services, team, creator_id, _ = creator
    from uuid import UUID

    services.creators.take_snapshot(UUID(creator_id))
    assert EMAIL not in b"".join(_snapshot_rows(services)).decode()
    assert services.audit.verify(system_actor())["passed"]

    services.creators.erase_personal_data(team.legal, creator_id, "PIPL request 42")

    assert services.audit.verify(system_actor())["passed"]
    assert services.creators.get_creator(team.ops, creator_id)["contact"].erased


def _snapshot_rows(services: Services) -> list[bytes]:
    with services.database.transaction() as sql:
        rows = sql.run(f"SELECT state FROM {services.database.table('creators_snapshots')}")
    return [bytes(r["state"]) for r in rows]


def test_the_chain_is_checked_without_the_key_to_personal_data(creator, clock) -> None:
    """Auditors verify the record; they need not be able to read addresses to do it."""
    services, team, _, shipment_id = creator
    contract_id = services.shipments.get_shipment(team.ops, shipment_id)["contract_id"]
    from dataclasses import replace

    keyless = build_services(replace(services.settings, cipher_key=None), clock)
    try:
        result = keyless.audit.verify(system_actor(), contract_id)
    finally:
        keyless.close()

    assert result["passed"] and result["events_checked"] > 0
