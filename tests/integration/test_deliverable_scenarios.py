"""Deliverables are created once when a contract becomes active, then reviewed; on every store."""

from datetime import date, timedelta
from uuid import UUID

import pytest

from application.content.deliverables import deliverable_id, rules_of
from application.errors import RoleNotAllowed
from application.payments.payouts import payout_id
from domain.deliverable import DelayReason, Deliverable, Stage
from domain.errors import InvalidTransition, InvalidValue, NotPermitted
from domain.tracking import tracking_code
from tests.builders import (
    event_count,
    given_active_contract,
    given_draft,
    given_published,
    given_team,
    valid_terms,
)

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)

COMPLIANT = "Glow Serum, my morning routine. #ad"



def deliverables(services, team, contract_id):  # type: ignore[no-untyped-def]
    contract = services.contracts.repository.get(UUID(contract_id))
    return services.deliverables.deliverables_of(team.ops, contract)


def test_activation_creates_each_owed_deliverable_exactly_once(services) -> None:
    team = given_team(services)
    two_videos = valid_terms()
    two_videos["deliverables"][0]["quantity"] = 2
    contract_id = given_draft(services, team, two_videos)
    services.contracts.send_for_signature(team.legal, contract_id)
    services.contracts.sign_for_brand(team.legal, contract_id, "Lee")
    services.run_policies()
    assert deliverables(services, team, contract_id) == []  # one signature is not enough

    services.contracts.record_creator_acceptance(team.ops, contract_id, "Mia")
    services.run_policies()
    before_replay = event_count(services)
    services.run_policies()

    owed = deliverables(services, team, contract_id)
    assert [(d["key"], d["index"], d["status"]) for d in owed] == [
        ("video-1", 1, "pending"), ("video-1", 2, "pending")]
    assert event_count(services) == before_replay


def test_a_signed_amendment_adds_only_the_new_deliverables(services) -> None:
    team = given_team(services)
    contract_id = given_active_contract(services, team)
    services.run_policies()
    amended = valid_terms()
    amended["deliverables"].append({**amended["deliverables"][0], "key": "video-2"})

    services.contracts.propose_amendment(team.legal, contract_id, amended, reason="One more")
    services.contracts.sign_for_brand(team.legal, contract_id, "Lee")
    services.contracts.record_creator_acceptance(team.ops, contract_id, "Mia")
    services.run_policies()

    assert [d["key"] for d in deliverables(services, team, contract_id)] == ["video-1",
                                                                            "video-2"]


def test_content_goes_through_review_to_acceptance(services) -> None:
    team = given_team(services)
    contract_id = given_active_contract(services, team)
    services.run_policies()
    (owed,) = deliverables(services, team, contract_id)
    app, ops = services.deliverables, team.ops

    app.submit(ops, owed["id"], Stage.OUTLINE, "Idea: unboxing, then routine. #ad")
    app.request_changes(team.legal, owed["id"], Stage.OUTLINE, "Show the texture")
    app.submit(ops, owed["id"], Stage.OUTLINE, "Idea: texture close-up. #ad")
    app.approve(ops, owed["id"], Stage.OUTLINE)
    app.submit(ops, owed["id"], Stage.DRAFT, COMPLIANT)
    app.approve(ops, owed["id"], Stage.DRAFT)
    app.publish(ops, owed["id"], "https://www.douyin.com/video/7300000000")
    accepted = app.accept(ops, owed["id"])

    assert accepted["status"] == "accepted"
    assert len(accepted["submissions"]) == 3


def test_a_non_compliant_draft_needs_legal_and_a_reason(services) -> None:
    team = given_team(services)
    contract_id = given_active_contract(services, team)
    services.run_policies()
    (owed,) = deliverables(services, team, contract_id)
    app = services.deliverables
    app.submit(team.ops, owed["id"], Stage.OUTLINE, "Outline #ad")
    app.approve(team.ops, owed["id"], Stage.OUTLINE)

    draft = app.submit(team.ops, owed["id"], Stage.DRAFT, "Forgot the disclosure")
    with pytest.raises(NotPermitted):
        app.approve(team.ops, owed["id"], Stage.DRAFT)
    approved = app.approve(team.legal, owed["id"], Stage.DRAFT,
                           override_reason="Disclosure added in the caption")

    assert draft["submissions"][-1].violations[0].text == "#ad"
    assert approved["status"] == "draft_approved"


def test_a_contract_cannot_complete_while_a_deliverable_or_a_milestone_is_open(services) -> None:
    team = given_team(services)
    contract_id = given_active_contract(services, team)
    services.run_policies()
    (owed,) = deliverables(services, team, contract_id)

    with pytest.raises(InvalidTransition, match="video-1"):
        services.contracts.complete(team.legal, contract_id)
    services.deliverables.waive(team.legal, owed["id"], reason="Dropped by agreement")
    with pytest.raises(InvalidTransition, match="milestone signing"):
        services.contracts.complete(team.legal, contract_id)  # the payouts are not settled
    for payout in ("signing", "accepted"):
        services.payouts.waive(team.finance, str(payout_id(contract_id, payout)),
                               "Settled outside the platform")
    completed = services.contracts.complete(team.legal, contract_id)

    assert completed["status"] == "completed"


def test_roles_for_deliverables(services) -> None:
    team = given_team(services)
    contract_id = given_active_contract(services, team)
    services.run_policies()
    (owed,) = deliverables(services, team, contract_id)

    with pytest.raises(RoleNotAllowed):
        services.deliverables.submit(team.finance, owed["id"], Stage.OUTLINE, "x #ad")
    with pytest.raises(RoleNotAllowed):
        services.deliverables.waive(team.ops, owed["id"], reason="no")


def test_a_contracts_forbidden_terms_are_checked_in_drafts(services) -> None:
    team = given_team(services)
    contract_id = given_draft(services, team, valid_terms(forbidden_terms=["best", "最"]))
    services.contracts.send_for_signature(team.legal, contract_id)
    services.contracts.sign_for_brand(team.legal, contract_id, "Lee")
    services.contracts.record_creator_acceptance(team.ops, contract_id, "Mia")
    services.run_policies()
    (owed,) = deliverables(services, team, contract_id)

    submitted = services.deliverables.submit(team.ops, owed["id"], Stage.OUTLINE,
                                             "The best serum, 最好用 #ad")

    assert [v.text for v in submitted["submissions"][-1].violations] == ["best", "最"]


def test_a_delayed_shipment_proposes_once_even_when_the_deliverable_changes_meanwhile(
        services, monkeypatch) -> None:
    team = given_team(services)
    contract_id = given_active_contract(services, team, valid_terms(buffer_days=5))
    services.run_policies()
    (owed,) = deliverables(services, team, contract_id)
    shipment = services.shipments.prepare(team.ops, contract_id, [{"sku": "SERUM"}], {
        "recipient": "Mia", "line1": "1 Rd", "city": "Shanghai", "country": "CN"}, [owed["id"]])
    eta = date.today() + timedelta(days=2)
    services.shipments.dispatch(team.ops, shipment["id"], "SF", "SF1", eta)
    services.shipments.delay(team.ops, shipment["id"], "Typhoon", eta + timedelta(days=4))
    original, calls = Deliverable.propose_extension, []

    def with_a_rival_edit(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:  # someone extends the due date while the policy works
            services.deliverables.extend_due_date(team.ops, owed["id"], 1,
                                                  DelayReason.CREATOR_REQUEST)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Deliverable, "propose_extension", with_a_rival_edit)
    services.run_policies()
    services.run_policies()

    after = services.deliverables.get_deliverable(team.ops, owed["id"])
    assert len(calls) == 2  # the first save collided and was retried
    assert [(p["days"], p["open"]) for p in after["proposals"]] == [(4, True)]
    assert after["extended_days"] == 1


def csv_naming(reference: str) -> str:
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    return f"deliverable_id,date,views\n{reference},{yesterday},1200\n"


def test_an_import_finds_a_deliverable_by_its_tracking_code_on_every_store(services) -> None:  # type: ignore[no-untyped-def]
    """The code is recorded with the deliverable: no read model is asked, so the
    in-memory store answers too."""
    team = given_team(services)
    published = given_published(services, team, given_active_contract(services, team))

    done = services.deliverables.import_metrics(team.ops, csv_naming(tracking_code(published)),
                                                "manual")

    assert done["recorded"] == 1 and done["deliverable_ids"] == [published]
    with pytest.raises(InvalidValue, match="No deliverable with tracking code aaaaaaaaaa"):
        services.deliverables.import_metrics(team.ops, csv_naming("aaaaaaaaaa"), "manual")


def test_deliverables_owed_before_codes_were_recorded_get_theirs_once(services) -> None:  # type: ignore[no-untyped-def]
    team = given_team(services)
    contract_id = given_active_contract(services, team)
    contract = services.contracts.repository.get(UUID(contract_id))
    term = contract.terms.deliverables[0]
    older = Deliverable.owe(actor="system", brand_id=team.brand_id, contract_id=contract_id,
                            creator_id=contract.creator_id, term=term, index=7,
                            rules=rules_of(contract.terms),
                            id=deliverable_id(contract_id, term.key, 7))
    services.deliverables.save(older)  # as a store from before codes were recorded holds it
    code = tracking_code(str(older.id))
    with pytest.raises(InvalidValue, match="No deliverable with tracking code"):
        services.deliverables.import_metrics(team.ops, csv_naming(code), "manual")

    assert services.deliverables.record_missing_codes() >= 1
    assert services.deliverables.record_missing_codes() == 0

    with pytest.raises(InvalidValue, match="it is not published"):  # found this time
        services.deliverables.import_metrics(team.ops, csv_naming(code), "manual")
