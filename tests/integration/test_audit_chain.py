"""The hash chain on real stores: rows edited behind kolpact's back are found and named.

Every tamper here is plain SQL on the SQLite file or the PostgreSQL schema,
as someone with database access would do it.
"""

from typing import Any
from uuid import UUID

import pytest

from application.bootstrap import Services, build_services
from application.common.actor import system_actor
from application.errors import ChainBroken, RoleNotAllowed
from application.infrastructure.event_chain import link_hash
from application.infrastructure.settings import ConfigurationError, Settings
from domain.audit import ChainCheck
from tests.builders import given_active_contract
from tests.conftest import store_url
from tests.tamper import Tamper


def verify(services: Services, contract_id: str | None = None) -> dict[str, Any]:
    return services.audit.verify(system_actor(), contract_id)


def only_break(result: dict[str, Any]) -> dict[str, Any]:
    assert result["passed"] is False
    (broken,) = result["breaks"]
    return broken


def test_an_untouched_store_verifies_whole_and_by_contract(family) -> None:
    services, _, contract_id = family

    whole, family = verify(services), verify(services, contract_id)

    assert whole["breaks"] == [] and whole["passed"]
    assert whole["events_checked"] >= sum(
        app.recorder.max_notification_id() or 0 for app in services.applications().values()
        if app.name != "audit")
    assert family["passed"] and 0 < family["events_checked"] < whole["events_checked"]


def test_an_altered_event_is_named_by_log_position_aggregate_and_version(family) -> None:
    services, _, contract_id = family
    tamper = Tamper(services)
    signed = tamper.row("contracts", 3)
    tamper.alter("contracts", 3)

    broken = only_break(verify(services))

    assert (broken["application"], broken["position"]) == ("contracts", 3)
    assert UUID(broken["aggregate_id"]) == UUID(str(signed["originator_id"]).replace("-", ""))
    assert broken["version"] == signed["originator_version"]
    assert "altered" in broken["problem"]
    assert only_break(verify(services, contract_id))["position"] == 3


def test_a_removed_event_is_found(family) -> None:
    services, _, contract_id = family
    Tamper(services).delete("payouts", 1)

    broken = only_break(verify(services, contract_id))

    assert (broken["application"], broken["position"], broken["version"]) == ("payouts", 1, 1)
    assert "removed" in broken["problem"]


def test_removing_an_event_with_its_link_breaks_the_next_link(family) -> None:
    services, _, _ = family
    tamper = Tamper(services)
    tamper.delete("contracts", 2)
    tamper.delete_link("contracts", 2)

    broken = only_break(verify(services))

    assert (broken["application"], broken["position"]) == ("contracts", 3)


def test_an_inserted_event_is_found(family) -> None:
    services, _, contract_id = family
    tamper = Tamper(services)
    tamper.insert_copy("payouts", 1, version=99)

    broken = only_break(verify(services, contract_id))

    assert broken["application"] == "payouts" and broken["version"] == 99
    assert broken["position"] == tamper.last_position("payouts")
    assert "inserted" in broken["problem"]


def test_reordered_events_are_found(family) -> None:
    services, _, _ = family
    Tamper(services).swap_versions("contracts", 2, 3)

    broken = only_break(verify(services))

    assert (broken["application"], broken["position"]) == ("contracts", 2)
    assert "out of place" in broken["problem"]


def test_a_contract_check_looks_at_its_own_family_only(family) -> None:
    services, team, contract_id = family
    other = given_active_contract(services, team)
    Tamper(services).alter("contracts", Tamper(services).last_position("contracts"))

    assert verify(services, contract_id)["passed"]
    assert not verify(services, other)["passed"]
    assert not verify(services)["passed"]


def test_every_check_is_recorded_with_who_ran_it(family) -> None:
    services, team, contract_id = family

    result = services.audit.verify(team.auditor, contract_id)

    record = services.audit.repository.get(UUID(result["id"]))
    assert isinstance(record, ChainCheck)
    assert (record.scope, record.subject, record.passed) == ("contract", contract_id, True)
    assert record.brand_ids == (team.brand_id,)
    recorded = next(services.audit.events.get(record.id))
    assert recorded.actor == team.auditor.user_id  # type: ignore[attr-defined]


def test_only_installation_operators_check_the_whole_store(family) -> None:
    services, team, _ = family

    for brand_user in (team.auditor, team.admin):
        with pytest.raises(RoleNotAllowed):
            services.audit.verify(brand_user)
    assert services.audit.verify(system_actor())["passed"]


def test_a_seal_catches_a_tail_cut_with_its_links(family) -> None:
    services, _, _ = family
    seal = services.audit.seal(system_actor())
    tamper = Tamper(services)
    last = tamper.last_position("payouts")
    tamper.delete("payouts", last)
    tamper.delete_link("payouts", last)

    result = verify(services)

    assert not result["passed"]
    assert [b["description"] for b in result["breaks"]] == [
        f"seal {seal['id']}: payouts:{last} is gone since it was sealed"]


def test_a_published_seal_is_checked_too(family) -> None:
    services, _, _ = family
    seal = services.audit.seal(system_actor())
    forged = {**seal, "root": "0" * 64}

    result = services.audit.verify(system_actor(), published_seals=[forged])

    assert [b["description"] for b in result["breaks"]] == [
        f"seal {seal['id']}: its root does not match its heads"]


def test_a_broken_chain_is_not_sealed(family) -> None:
    services, _, _ = family
    Tamper(services).alter("creators", 1)

    with pytest.raises(ChainBroken, match="creators:1"):
        services.audit.seal(system_actor())


def test_snapshots_must_match_their_events(family) -> None:
    """Loading starts from the latest snapshot: an edited one would change every answer."""
    services, team, contract_id = family
    creator_id = services.contracts.get_contract(team.legal, contract_id)["creator_id"]
    services.contracts.take_snapshot(UUID(contract_id))
    services.creators.take_snapshot(UUID(creator_id))
    assert verify(services)["passed"] and verify(services, contract_id)["passed"]
    snapshots = services.database.table("contracts_snapshots")
    (row,) = Tamper(services).run(f"SELECT state FROM {snapshots}")

    Tamper(services).run(f"UPDATE {snapshots} SET state = %s",
                         (bytes(row["state"]).replace(b"Winter launch", b"Summer launch"),))

    broken = only_break(verify(services, contract_id))
    assert broken["description"] == (f"contracts snapshot of aggregate {contract_id} at "
                                     "version 4 does not match its events (altered)")
    assert only_break(verify(services))["aggregate_id"] == contract_id


def test_links_are_written_with_the_events_under_concurrency(family) -> None:
    """Writers racing on one log still chain every event to the one before it."""
    from concurrent.futures import ThreadPoolExecutor

    services, team, _ = family
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: given_active_contract(services, team), range(8)))

    assert verify(services)["passed"]


def test_a_store_from_before_the_chain_is_adopted_once(family, clock) -> None:
    services, _, _ = family
    Tamper(services).run(f"DELETE FROM {services.database.table('event_chain')}")
    reopened = build_services(services.settings, clock)
    try:
        assert verify(reopened)["passed"]
        Tamper(reopened).insert_copy("payouts", 1, version=99)
        build_services(services.settings, clock).close()  # a later start adopts nothing
        assert "inserted" in only_break(verify(reopened))["problem"]
    finally:
        reopened.close()


def test_the_chain_hashes_what_is_stored(family) -> None:
    services, _, _ = family
    tamper = Tamper(services)
    row = tamper.row("creators", 1)
    (link,) = tamper.run(f"SELECT hash FROM {services.database.table('event_chain')} "
                         "WHERE application = 'creators' AND position = 1")
    from application.infrastructure.event_chain import GENESIS, ChainedEvent

    event = ChainedEvent.of("creators", 1, row["originator_id"], row["originator_version"],
                            row["topic"], row["state"])
    assert link["hash"] == link_hash(GENESIS, event)


def test_the_memory_store_keeps_no_chain_and_says_so(clock) -> None:
    services = build_services(Settings(database_url="memory://"), clock)
    try:
        with pytest.raises(ConfigurationError, match="SQLite or PostgreSQL"):
            services.audit.verify(system_actor())
    finally:
        services.close()


def test_inserting_events_past_the_chain_is_refused(request, tmp_path, clock,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The library can insert through a database function, which would skip the links."""
    monkeypatch.setenv("POSTGRES_ENABLE_DB_FUNCTIONS", "y")

    with pytest.raises(ConfigurationError, match="POSTGRES_ENABLE_DB_FUNCTIONS"):
        build_services(Settings(database_url=store_url("postgres", tmp_path, request)), clock)


def test_the_history_and_as_of_views_of_a_tampered_family_say_so(family) -> None:
    services, team, contract_id = family
    intact = services.audit.contract_history(team.auditor, contract_id)["integrity"]
    Tamper(services).alter("contracts", 3)

    history = services.audit.contract_history(team.auditor, contract_id)
    as_of = services.contracts.get_contract(team.auditor, contract_id, version=1)

    assert intact == {"intact": True, "warning": None}
    assert history["integrity"]["intact"] is False
    assert "does not check out" in history["integrity"]["warning"]
    assert as_of["integrity"]["intact"] is False
