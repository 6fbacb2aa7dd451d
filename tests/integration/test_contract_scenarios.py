"""Contract use cases end to end through the applications, on every store."""

from uuid import UUID

import pytest

from application.errors import NotFound, RoleNotAllowed, StaleVersion
from domain.errors import InvalidTransition, NotPermitted
from tests.builders import (
    event_count,
    given_active_contract,
    given_creator,
    given_draft,
    given_team,
    valid_terms,
)

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)


def test_a_contract_is_drafted_sent_signed_and_accepted(services) -> None:
    team = given_team(services)

    contract_id = given_active_contract(services, team)
    contract = services.contracts.get_contract(team.auditor, contract_id)

    assert contract["status"] == "active"
    assert contract["version"] == 4
    assert [s.party.value for s in contract["signatures_in_force"]] == ["brand", "creator"]


def test_history_lists_every_event_with_actor_and_changed_fields(services) -> None:
    team = given_team(services)
    contract_id = given_active_contract(services, team)
    services.contracts.terminate(team.legal, contract_id, reason="Creator withdrew")

    trail = services.audit.contract_history(team.auditor, contract_id)["events"]

    assert [e["event"] for e in trail] == ["Drafted", "SentForSignature", "Signed", "Signed",
                                           "Terminated"]
    assert trail[-1]["actor"] == team.legal.user_id
    assert trail[-1]["reason"] == "Creator withdrew"
    assert trail[-1]["changes"]["status"] == {"from": "active", "to": "terminated"}
    assert trail[1]["changes"]["status"] == {"from": "draft", "to": "sent_for_signature"}


def test_a_contract_reads_as_it_stood_at_a_version_or_a_moment(services) -> None:
    team = given_team(services)
    contract_id = given_draft(services, team)
    trail = services.audit.contract_history(team.legal, contract_id)["events"]
    services.contracts.send_for_signature(team.legal, contract_id)

    at_version_1 = services.contracts.get_contract(team.legal, contract_id, version=1)
    at_draft_time = services.contracts.get_contract(team.legal, contract_id,
                                                    as_of=trail[0]["time"])

    assert at_version_1["status"] == at_draft_time["status"] == "draft"
    assert services.contracts.get_contract(team.legal, contract_id)["status"] == \
        "sent_for_signature"
    with pytest.raises(NotFound, match="did not exist yet"):
        services.contracts.get_contract(team.legal, contract_id,
                                        as_of=trail[0]["time"].replace(year=2000))
    with pytest.raises(NotFound, match="no version 9"):
        services.contracts.get_contract(team.legal, contract_id, version=9)


def test_every_terms_version_stays_readable_after_an_amendment(services) -> None:
    team = given_team(services)
    contract_id = given_active_contract(services, team)

    services.contracts.propose_amendment(team.legal, contract_id, valid_terms(fee=150_000),
                                         reason="Add reach bonus")
    services.contracts.sign_for_brand(team.legal, contract_id, "Lee Legal")
    amended = services.contracts.record_creator_acceptance(team.ops, contract_id, "Mia Chen")
    original = services.contracts.get_contract(team.legal, contract_id, version=4)

    assert amended["terms_version"] == 2 and amended["terms"].fee.amount == 150_000
    assert original["terms_version"] == 1 and original["terms"].fee.amount == 100_000


def test_another_brands_records_are_not_found(services) -> None:
    ours, theirs = given_team(services), given_team(services)
    contract_id = given_draft(services, theirs)
    their_creator = given_creator(services, theirs)
    event_total = event_count(services)

    with pytest.raises(NotFound):
        services.contracts.get_contract(ours.legal, contract_id)
    with pytest.raises(NotFound):
        services.contracts.send_for_signature(ours.legal, contract_id)
    with pytest.raises(NotFound):
        services.contracts.draft_contract(ours.legal, their_creator, "x", valid_terms())
    assert event_count(services) == event_total


def test_roles_are_enforced(services) -> None:
    team = given_team(services)
    contract_id = given_draft(services, team)

    for role in ("ops", "finance", "auditor", "admin"):
        with pytest.raises(RoleNotAllowed, match="needs legal"):
            services.contracts.send_for_signature(team.actors[role], contract_id)


def test_brands_with_dual_control_need_a_second_signer(services) -> None:
    team = given_team(services, dual_control=True)
    contract_id = given_draft(services, team)
    services.contracts.send_for_signature(team.legal, contract_id)

    with pytest.raises(NotPermitted):
        services.contracts.sign_for_brand(team.legal, contract_id, "Lee Legal")
    signed = services.contracts.sign_for_brand(team.legal2, contract_id, "Second Signer")

    assert signed["signatures_collected"][0].name == "Second Signer"


def test_a_stale_expected_version_is_refused(services) -> None:
    team = given_team(services)
    contract_id = given_draft(services, team)
    services.contracts.revise_terms(team.legal, contract_id, valid_terms(fee=90_000))

    with pytest.raises(StaleVersion, match="now at version 2"):
        services.contracts.send_for_signature(team.legal, contract_id, expected_version=1)


def test_blocked_creators_get_no_new_contracts(services) -> None:
    team = given_team(services)
    creator_id = given_creator(services, team)
    services.creators.block(team.ops, creator_id, reason="Fraudulent audience")

    with pytest.raises(InvalidTransition, match="blocked"):
        services.contracts.draft_contract(team.legal, creator_id, "x", valid_terms())


def test_a_create_retried_with_the_same_request_key_acts_once(services) -> None:
    team = given_team(services)
    creator_id = given_creator(services, team)
    before = event_count(services)

    first = services.contracts.draft_contract(team.legal, creator_id, "x", valid_terms(),
                                              request_key="retry-1")
    again = services.contracts.draft_contract(team.legal, creator_id, "x", valid_terms(),
                                              request_key="retry-1")

    assert first["id"] == again["id"]
    assert event_count(services) == before + 1


def test_long_histories_load_from_snapshots(services) -> None:
    team = given_team(services)
    contract_id = given_draft(services, team)
    for fee in range(100_002, 100_002 + 2 * 55, 2):
        services.contracts.revise_terms(team.legal, contract_id, valid_terms(fee=fee))

    snapshots = list(services.contracts.snapshots.get(UUID(contract_id)))
    contract = services.contracts.get_contract(team.legal, contract_id)

    assert contract["version"] == 56
    assert contract["terms"].fee.amount == 100_002 + 2 * 54
    assert [s.originator_version for s in snapshots] == [25, 50]


def test_terms_versions_show_drafts_amendments_and_which_one_binds(services) -> None:
    team = given_team(services)
    contract_id = given_draft(services, team)
    services.contracts.revise_terms(team.legal, contract_id, valid_terms(fee=90_000))
    services.contracts.send_for_signature(team.legal, contract_id)
    services.contracts.sign_for_brand(team.legal, contract_id, "Lee")
    services.contracts.record_creator_acceptance(team.ops, contract_id, "Mia")
    services.contracts.propose_amendment(team.legal, contract_id, valid_terms(fee=95_000),
                                         reason="Bigger budget")
    services.contracts.withdraw_amendment(team.legal, contract_id, reason="Budget cut")

    versions = services.contracts.terms_versions(team.auditor, contract_id)

    assert [(v["terms_version"], v["terms"].fee.amount) for v in versions] == \
        [(1, 100_000), (2, 90_000), (3, 95_000)]
    assert [v["in_force"] for v in versions] == [False, True, False]
    assert versions[0]["signed_at"] is None and versions[1]["signed_at"] is not None
    assert versions[2]["withdrawn_at"] is not None and versions[2]["reason"] == "Bigger budget"


def test_records_loaded_from_a_snapshot_are_the_ones_their_events_build(services) -> None:
    """Contracts (every 25 events) and creators (every 100) are snapshotted; a snapshot's
    JSON gives enums back as strings and tuples as lists unless restored."""
    team = given_team(services)
    contract_id = given_active_contract(services, team)
    creator_id = services.contracts.get_contract(team.legal, contract_id)["creator_id"]
    before = (services.contracts.get_contract(team.legal, contract_id),
              services.creators.get_creator(team.ops, creator_id))

    services.contracts.take_snapshot(UUID(contract_id))
    services.creators.take_snapshot(UUID(creator_id))

    after = (services.contracts.get_contract(team.legal, contract_id),
             services.creators.get_creator(team.ops, creator_id))
    assert after == before
    amended = services.contracts.propose_amendment(team.legal, contract_id,
                                                   valid_terms(fee=120_000), reason="More")
    assert amended["status"] == "active"
