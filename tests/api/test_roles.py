"""Every endpoint, every role: allowed roles act, the others get 403 and change nothing."""

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.api.conftest import PROGRAM_RULES, Api, World
from tests.api.documented import assert_documented
from tests.builders import campaign_brief, given_team, valid_terms

ALL = {"legal", "ops", "finance", "auditor", "admin"}
Body = Callable[[World], Any]
NO_BODY: Body = lambda w: None  # noqa: E731


def body(value: Any) -> Body:
    return lambda w: value


# name, method, path (formatted with the world's records), body, roles allowed
ENDPOINTS: list[tuple[str, str, str, Body, set[str]]] = [
    ("register creator", "POST", "/creators", World.creator_body, {"ops"}),
    ("read creator", "GET", "/creators/{w.creator}", NO_BODY, ALL),
    ("read a creator's cooperation record", "GET", "/creators/{w.creator}/cooperation",
     NO_BODY, ALL),
    ("update creator", "PATCH", "/creators/{w.creator}", body({"categories": ["food"]}), {"ops"}),
    ("pause creator", "POST", "/creators/{w.creator}/pause", body({}), {"ops"}),
    ("block creator", "POST", "/creators/{w.creator}/block", body({"reason": "Fraud"}), {"ops"}),
    ("reactivate creator", "POST", "/creators/{w.paused_creator}/reactivate", body({}), {"ops"}),
    ("erase personal data", "POST", "/creators/{w.creator}/erase-personal-data",
     body({"reason": "PIPL request 42"}), {"legal"}),
    ("export audit trail", "GET", "/contracts/{w.active}/audit-export", NO_BODY,
     {"legal", "auditor"}),
    ("check a contract's chain", "POST", "/audit/verifications",
     lambda w: {"contract_id": w.active}, {"legal", "auditor"}),
    ("read seals", "GET", "/audit/seals", NO_BODY, ALL),
    ("read the export signing key", "GET", "/audit/public-key", NO_BODY, ALL),
    ("draft contract", "POST", "/contracts", World.new_contract_body, {"legal"}),
    ("read contract", "GET", "/contracts/{w.draft}", NO_BODY, ALL),
    ("read contract history", "GET", "/contracts/{w.draft}/history", NO_BODY, ALL),
    ("read terms versions", "GET", "/contracts/{w.draft}/terms-versions", NO_BODY, ALL),
    ("revise terms", "PUT", "/contracts/{w.draft}/terms",
     body({"terms": valid_terms(fee=90_000)}), {"legal"}),
    ("send for signature", "POST", "/contracts/{w.draft}/send-for-signature", body({}),
     {"legal"}),
    ("sign for brand", "POST", "/contracts/{w.sent}/sign", body({"name": "Lee"}), {"legal"}),
    ("record creator acceptance", "POST", "/contracts/{w.sent}/creator-acceptance",
     body({"name": "Mia"}), {"legal", "ops"}),
    ("propose amendment", "POST", "/contracts/{w.active}/amendments",
     body({"terms": valid_terms(fee=110_000), "reason": "Extra post"}), {"legal"}),
    ("withdraw amendment", "POST", "/contracts/{w.amending}/withdraw-amendment",
     body({"reason": "Declined"}), {"legal"}),
    ("terminate", "POST", "/contracts/{w.active}/terminate", body({"reason": "Breach"}),
     {"legal"}),
    ("cancel", "POST", "/contracts/{w.draft}/cancel", body({"reason": "Dropped"}), {"legal"}),
    ("complete", "POST", "/contracts/{w.active}/complete", body({}), {"legal", "ops"}),
    ("read contract deliverables", "GET", "/contracts/{w.active}/deliverables", NO_BODY, ALL),
    ("read deliverable", "GET", "/deliverables/{w.deliverable}", NO_BODY, ALL),
    ("read deliverables board", "GET", "/deliverables", NO_BODY, ALL),
    ("submit outline", "POST", "/deliverables/{w.deliverable}/outline",
     body({"content": "Idea #ad"}), {"ops"}),
    ("request outline changes", "POST", "/deliverables/{w.outline_submitted}/outline/"
     "request-changes", body({"comments": "More texture"}), {"ops", "legal"}),
    ("approve outline", "POST", "/deliverables/{w.outline_submitted}/outline/approve",
     body({}), {"ops", "legal"}),
    ("approve draft", "POST", "/deliverables/{w.draft_submitted}/draft/approve", body({}),
     {"ops", "legal"}),
    ("accept", "POST", "/deliverables/{w.published}/accept", body({}), {"ops"}),
    ("waive deliverable", "POST", "/deliverables/{w.deliverable}/waive",
     body({"reason": "Dropped"}), {"legal"}),
    ("grant proposed extension", "POST", "/deliverables/{w.proposed}/proposals/1/grant",
     body({}), {"ops", "legal"}),
    ("decline proposed extension", "POST", "/deliverables/{w.proposed}/proposals/1/decline",
     body({"reason": "Spare stock on hand"}), {"ops", "legal"}),
    ("record metrics", "POST", "/deliverables/{w.published}/metrics", lambda w: {
        "source": "manual", "measured_at": "2026-01-01T00:00:00+00:00", "counts": {"views": 5}},
     {"ops"}),
    ("read metrics", "GET", "/deliverables/{w.published}/metrics", NO_BODY, ALL),
    ("read tracking", "GET", "/deliverables/{w.deliverable}/tracking", NO_BODY, ALL),
    ("read metrics summary", "GET", "/metrics/summary?deliverable_id={w.deliverable}", NO_BODY,
     ALL),
    ("read cost lens", "GET", "/metrics/cost-lens?by=deliverable", NO_BODY, ALL),
    ("read shipments tracker", "GET", "/shipments", NO_BODY, ALL),
    ("prepare shipment", "POST", "/shipments", World.shipment_body, {"ops"}),
    ("read shipment", "GET", "/shipments/{w.shipment}", NO_BODY, ALL),
    ("dispatch shipment", "POST", "/shipments/{w.shipment}/dispatch",
     body({"carrier": "SF", "tracking_number": "SF1", "eta": "2099-01-01"}), {"ops"}),
    ("read payout", "GET", "/payouts/{w.payout}", NO_BODY, ALL),
    ("read payouts ledger", "GET", "/payouts", NO_BODY, ALL),
    ("read payout totals", "GET", "/payouts/totals", NO_BODY, ALL),
    ("read contract payouts", "GET", "/contracts/{w.active}/payouts", NO_BODY, ALL),
    ("request payout release", "POST", "/payouts/{w.payout}/request-release", body({}),
     {"finance"}),
    ("approve payout", "POST", "/payouts/{w.requested_payout}/approve", body({}), {"finance"}),
    ("hold payout", "POST", "/payouts/{w.payout}/hold", body({"reason": "Dispute"}),
     {"finance"}),
    ("adjust payout", "POST", "/payouts/{w.payout}/adjust", body({
        "amount": {"amount": 40_000, "currency": "CNY"}, "reason": "Make-good",
        "cause": "views under target"}), {"finance"}),
    ("open payout account", "POST", "/creators/{w.creator}/payout-account", body({
        "refresh_url": "https://brand.example/r", "return_url": "https://brand.example/ok"}),
     {"finance", "ops"}),
    ("set approval threshold", "POST", "/brands/{w.brand}/approval-threshold", body({
        "currency": "CNY", "amount": 100_000, "reason": "Audit"}), {"admin"}),
    ("check usage rights", "GET", "/usage-rights/check?deliverable_id={w.deliverable}"
     "&channel=paid_ads&territory=CN", NO_BODY, ALL),
    ("read usage right", "GET", "/usage-rights/{w.right}", NO_BODY, ALL),
    ("read rights calendar", "GET", "/usage-rights?expiring_within=45", NO_BODY, ALL),
    ("read contract usage rights", "GET", "/contracts/{w.active}/usage-rights", NO_BODY, ALL),
    ("revoke usage right", "POST", "/usage-rights/{w.right}/revoke",
     body({"reason": "Consent withdrawn"}), {"legal"}),
    ("read contract make-goods", "GET", "/contracts/{w.active}/make-goods", NO_BODY, ALL),
    ("read make-goods board", "GET", "/make-goods?status=armed", NO_BODY, ALL),
    ("waive make-good rule", "POST", "/make-goods/{w.rule}/waive",
     body({"reason": "Throttled by the platform"}), {"legal"}),
    ("keep a note on a creator", "POST", "/creators/{w.creator}/notes",
     body({"text": "Prefers WeChat"}), {"ops", "legal"}),
    ("log a contact with a creator", "POST", "/creators/{w.creator}/contacts",
     body({"channel": "email", "summary": "Sent the brief"}), {"ops", "legal"}),
    ("give a creator an owner", "POST", "/creators/{w.creator}/owner",
     lambda w: {"owner_id": w.team.ops.user_id}, {"ops", "admin"}),
    ("hand a leaving colleague's creators over", "POST", "/creators/hand-over",
     World.hand_over_body, {"ops", "admin"}),
    ("read follow-ups due", "GET", "/creators/follow-ups", NO_BODY, ALL),
    ("list folders", "GET", "/folders", NO_BODY, ALL),
    ("make a folder", "POST", "/folders", body({"name": "Beauty KOCs"}), {"ops", "legal"}),
    ("read a folder", "GET", "/folders/{w.folder}", NO_BODY, ALL),
    ("put creators in a folder", "POST", "/folders/{w.folder}/creators",
     lambda w: {"creator_ids": [w.creator]}, {"ops", "legal"}),
    ("rename a folder", "POST", "/folders/{w.folder}/rename", body({"name": "Skincare"}),
     {"ops", "legal"}),
    ("delete a folder", "POST", "/folders/{w.folder}/delete", body({"reason": "Done"}),
     {"ops", "legal"}),
    ("list programs", "GET", "/programs", NO_BODY, ALL),
    ("set up a program", "POST", "/programs", body({"name": "Glow", "rules": PROGRAM_RULES}),
     {"legal"}),
    ("read a program", "GET", "/programs/{w.program}", NO_BODY, ALL),
    ("revise a program's rules", "POST", "/programs/{w.program}/rules",
     body({"rules": PROGRAM_RULES, "reason": "Launch month"}), {"legal"}),
    ("move a program's cohort", "POST", "/programs/{w.program}/cohort",
     body({"stage": "training"}), {"ops"}),
    ("list distributors", "GET", "/programs/{w.program}/distributors", NO_BODY, ALL),
    ("enrol a distributor", "POST", "/programs/{w.program}/distributors",
     lambda w: {"creator_id": w.koc, "origin": "external"}, {"ops"}),
    ("read a distributor", "GET", "/programs/distributors/{w.distributor}", NO_BODY, ALL),
    ("read a program's history", "GET", "/programs/{w.program}/history", NO_BODY, ALL),
    ("read a distributor's history", "GET", "/programs/distributors/{w.distributor}/history",
     NO_BODY, ALL),
    ("suspend a distributor", "POST", "/programs/distributors/{w.distributor}/suspend",
     body({"reason": "Complaints"}), {"ops"}),
    ("disqualify a distributor", "POST", "/programs/distributors/{w.distributor}/disqualify",
     body({"reason": "Sold another brand's serum"}), {"legal"}),
    ("record attributed orders", "POST", "/programs/{w.program}/orders", World.order_body,
     {"ops"}),
    ("read an attributed order", "GET", "/programs/{w.program}/orders/{w.order}", NO_BODY,
     ALL),
    ("refund an attributed order", "POST", "/programs/{w.program}/orders/{w.order}/reversal",
     body({"kind": "refund"}), {"ops"}),
    ("read a program's ledger", "GET", "/programs/{w.program}/ledger", NO_BODY, ALL),
    ("read a program's standings", "GET", "/programs/{w.program}/standings?month=2026-12",
     NO_BODY, ALL),
    ("read a program's statements", "GET", "/programs/{w.program}/statements?month=2026-12",
     NO_BODY, ALL),
    ("list campaigns", "GET", "/campaigns", NO_BODY, ALL),
    ("plan campaign", "POST", "/campaigns", lambda w: {"brief": campaign_brief()}, {"ops"}),
    ("read campaign", "GET", "/campaigns/{w.campaign}", NO_BODY, ALL),
    ("read campaign history", "GET", "/campaigns/{w.campaign}/history", NO_BODY, ALL),
    ("revise campaign brief", "POST", "/campaigns/{w.campaign}/brief",
     lambda w: {"brief": campaign_brief(name="Winter glow")}, {"ops"}),
    ("revise campaign week", "POST", "/campaigns/{w.campaign}/weeks/2",
     body({"theme": "Content refinement", "goals": [{"key": "themes", "text": "Themes"}]}),
     {"ops"}),
    ("start campaign", "POST", "/campaigns/{w.campaign}/start", body({}), {"ops"}),
    ("check in on a campaign", "POST", "/campaigns/{w.running_campaign}/check-ins",
     body({"week": 1, "progress": [{"goal_key": "background", "state": "done"}]}), {"ops"}),
    ("review a campaign at mid-term", "POST", "/campaigns/{w.running_campaign}/mid-term-review",
     body({"summary": "On track"}), {"ops"}),
    ("record creator requirements", "POST", "/campaigns/{w.campaign}/requirements",
     lambda w: {"creator_id": w.creator, "ideas": ["Ski chalet"]}, {"ops"}),
    ("hand a campaign over", "POST", "/campaigns/{w.campaign}/hand-over",
     lambda w: {"owner_id": w.team.legal.user_id, "reason": "Leaving"}, {"ops", "admin"}),
    ("cancel campaign", "POST", "/campaigns/{w.campaign}/cancel", body({"reason": "Cut"}),
     {"ops"}),
    ("put a contract in a campaign", "POST", "/contracts/{w.draft}/campaign",
     lambda w: {"campaign_id": w.campaign}, {"legal", "ops"}),
    ("read brand", "GET", "/brands/{w.brand}", NO_BODY, ALL),
    ("require dual control", "POST", "/brands/{w.brand}/dual-control",
     body({"dual_control": True, "reason": "Audit finding"}), {"admin"}),
    ("register user", "POST", "/users", World.user_body, {"admin"}),
    ("read user", "GET", "/users/{w.user}", NO_BODY, {"admin"}),
    ("issue token", "POST", "/users/{w.user}/tokens", body({"label": "ci"}), {"admin"}),
    ("deactivate user", "POST", "/users/{w.user}/deactivate", body({"reason": "Left"}),
     {"admin"}),
    ("revoke token", "POST", "/tokens/{w.token}/revoke", body({"reason": "Lost"}), {"admin"}),
]

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)


# Reads that are themselves recorded (an auditor's export is on the record).
RECORDED_READS = {"/contracts/{w.active}/audit-export"}

def changes_nothing(method: str, path: str) -> bool:
    return method == "GET" and path not in RECORDED_READS


# Calls that change nothing answer every allowed role in one world; a call that acts gets
# a world for each allowed role; the roles that may not call share one world per endpoint.
READS = [pytest.param(method, path, make_body, sorted(allowed), id=name)
         for name, method, path, make_body, allowed in ENDPOINTS
         if changes_nothing(method, path)]
ACTS = [pytest.param(method, path, make_body, role, id=f"{name}-{role}")
        for name, method, path, make_body, allowed in ENDPOINTS
        if not changes_nothing(method, path) for role in sorted(allowed)]
DENIED = [pytest.param(method, path, make_body, sorted(ALL - allowed), id=name)
          for name, method, path, make_body, allowed in ENDPOINTS if ALL - allowed]


@pytest.mark.parametrize(("method", "path", "make_body", "roles"), READS)
def test_a_read_answers_every_allowed_role_within_its_schema(
        api: Api, world: World, method: str, path: str, make_body: Body,
        roles: list[str]) -> None:
    url, payload = path.format(w=world), make_body(world)
    before = api.events()

    for role in roles:
        response = api.call(method, url, role=role, json=payload)

        assert response.status_code == 200, (role, response.json)
        assert_documented(api, method, url, response)  # the operation's own schema
    assert api.events() == before


@pytest.mark.parametrize(("method", "path", "make_body", "role"), ACTS)
def test_an_allowed_role_acts_and_records_one_event(api: Api, world: World, method: str,
                                                    path: str, make_body: Body,
                                                    role: str) -> None:
    url, payload = path.format(w=world), make_body(world)
    before = api.events()

    response = api.call(method, url, role=role, json=payload)

    assert response.status_code in (200, 201, 204), response.json
    assert_documented(api, method, url, response)
    assert api.events() == before + 1


@pytest.mark.parametrize(("method", "path", "make_body", "roles"), DENIED)
def test_every_other_role_gets_403_and_changes_nothing(api: Api, world: World, method: str,
                                                       path: str, make_body: Body,
                                                       roles: list[str]) -> None:
    url, payload = path.format(w=world), make_body(world)
    before = api.events()

    for role in roles:
        response = api.call(method, url, role=role, json=payload)

        assert response.status_code == 403, (role, response.json)
        assert response.json["type"] == "urn:kolpact:problem:role-not-allowed"
    assert api.events() == before


WRITES = [(name, method, path, allowed) for name, method, path, _, allowed in ENDPOINTS
          if method in ("POST", "PUT", "PATCH")]


@pytest.mark.parametrize(("method", "path", "allowed"),
                         [pytest.param(m, p, a, id=n) for n, m, p, a in WRITES])
def test_a_role_that_may_not_write_gets_403_whatever_it_sends(
        api: Api, method: str, path: str, allowed: set[str]) -> None:
    """Authorization before validation: no field errors, nothing about the record."""
    target = re.sub(r"\{w\.\w+\}", str(uuid.uuid4()), path)
    before = api.events()

    answers = {(role, repr(body)): api.call(method, target, role=role, json=body).status_code
               for role in sorted(ALL - allowed) for body in ({}, [], {"x": "y" * 10})}

    assert set(answers.values()) == {403}, answers
    assert api.events() == before


def test_every_operation_on_another_brands_records_answers_404_and_changes_nothing(
        api: Api, world: World) -> None:
    """The cross-brand matrix: another brand's ids in the path or the body, as a role that
    may call the endpoint, are not found, and nothing is written or revealed."""
    theirs = World(api.services, given_team(api.services))
    calls = [(name, method, path.format(w=theirs), make_body(theirs), sorted(allowed)[0])
             for name, method, path, make_body, allowed in ENDPOINTS
             if "{w." in path or make_body in (World.new_contract_body, World.shipment_body)
             or "contract_id" in str(make_body(theirs))]
    before = api.events()

    answers = {name: api.call(method, url, role=role, json=payload).status_code
               for name, method, url, payload, role in calls}

    assert len(answers) > 55, len(answers)
    assert {name: status for name, status in answers.items() if status != 404} == {}
    assert api.events() == before
