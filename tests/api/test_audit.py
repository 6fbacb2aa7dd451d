"""Audit over HTTP: the family's history as of a moment, chain checks, exports and seals.

Checks and exports read, but are recorded: an allowed call adds exactly one
event (to the audit log), a refused one adds none.
"""

import io
import json
import urllib.parse
import zipfile

import pytest

from application.audit.audit_bundle import verify_bundle
from application.common.actor import system_actor
from tests.api.conftest import Api, World
from tests.api.test_lists import caught_up

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)


def test_history_as_of_a_moment_gives_the_trail_then_and_the_familys_state(
        api: Api, world: World) -> None:
    world.make("shipment")
    contract_id = api.call("GET", f"/shipments/{world.shipment}").json["contract_id"]
    trail = api.call("GET", f"/contracts/{contract_id}/history", role="auditor").json
    activated = [e for e in trail["events"] if e["application"] == "contracts"][-1]["time"]

    then = api.call("GET", f"/contracts/{contract_id}/history?as_of="
                    f"{urllib.parse.quote(activated)}", role="auditor")

    assert then.status_code == 200, then.json
    assert trail["state"] is None and then.json["as_of"] is not None
    assert then.json["state"]["contract"]["status"] == "active"
    assert then.json["state"]["shipments"] == []
    assert len(then.json["events"]) < len(trail["events"])
    assert {"application", "actor_roles", "diff"} <= set(then.json["events"][0])


@pytest.mark.parametrize("as_of", ["yesterday", "2026-01-01T10:00:00"])
def test_history_refuses_a_moment_without_a_zone(api: Api, world: World, as_of: str) -> None:
    response = api.call("GET", f"/contracts/{world.active}/history?as_of={as_of}")

    assert response.status_code == 422
    assert "as_of" in response.json["errors"]


def test_an_auditor_exports_a_bundle_that_verifies_offline_and_is_recorded(
        api: Api, world: World) -> None:
    world.make("active")
    before = api.events()

    response = api.call("GET", f"/contracts/{world.active}/audit-export", role="auditor")

    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    check = verify_bundle(response.data)
    assert check.passed and check.digest == response.headers["X-Audit-Digest"]
    assert api.events() == before + 1


def test_a_bundle_sent_back_is_checked_and_the_check_recorded(api: Api, world: World) -> None:
    bundle = api.call("GET", f"/contracts/{world.active}/audit-export", role="auditor").data
    before = api.events()

    checked = api.call("POST", "/audit/export-checks", role="auditor", data=bundle,
                       content_type="application/zip")
    garbage = api.call("POST", "/audit/export-checks", role="auditor", data=b"PK nonsense",
                       content_type="application/zip")

    assert checked.status_code == 200 and checked.json["passed"] is True
    assert checked.json["contract_id"] == world.active
    ours = api.call("GET", "/audit/public-key", role="auditor").json["public_key"]
    assert ours and checked.json["signed_by"] == ours
    assert garbage.status_code == 422 and "body" in garbage.json["errors"]
    assert api.events() == before + 1


def test_a_contract_familys_chain_check_is_recorded(api: Api, world: World) -> None:
    world.make("active")
    before = api.events()

    response = api.call("POST", "/audit/verifications", role="auditor",
                        json={"contract_id": world.active})

    assert response.status_code == 201, response.json
    assert response.json["passed"] is True and response.json["breaks"] == []
    assert response.json["scope"] == "contract" and response.json["events_checked"] > 0
    assert api.events() == before + 1


@pytest.mark.parametrize(("role", "body", "status"), [
    ("ops", {"contract_id": "{active}"}, 403),
    ("finance", {"contract_id": "{active}"}, 403),
    ("auditor", {}, 403),  # the whole store spans every brand: operators only
    ("auditor", {"contract_id": "8c4f7a34-7f47-4a4e-9f71-3f8e4d6f0c11"}, 404),
    ("auditor", {"contract_id": "not-an-id"}, 422),
    ("admin", {}, 403),  # nor does a brand's admin learn every brand's event counts
    ("admin", {"contract_id": "{active}"}, 403),
    ("legal", {"contract_id": "{active}"}, 201),
])
def test_who_may_check_what(api: Api, world: World, role: str, body: dict[str, str],
                            status: int) -> None:
    world.make("active")
    payload = {k: v.format(active=world.active) for k, v in body.items()}
    before = api.events()

    response = api.call("POST", "/audit/verifications", role=role, json=payload)

    assert response.status_code == status, response.json
    assert api.events() == before + (1 if status == 201 else 0)


@pytest.mark.parametrize("role", ["ops", "finance", "admin"])
def test_exports_are_for_auditors_and_legal(api: Api, world: World, role: str) -> None:
    world.make("active")
    before = api.events()

    response = api.call("GET", f"/contracts/{world.active}/audit-export", role=role)

    assert response.status_code == 403
    assert response.json["type"] == "urn:kolpact:problem:role-not-allowed"
    assert api.events() == before


def test_seals_are_listed(api: Api, world: World) -> None:
    seal = api.services.audit.seal(system_actor())

    response = api.call("GET", "/audit/seals", role="auditor")

    assert response.status_code == 200
    assert response.json["seals"][-1]["root"] == seal["root"]


def test_checks_and_exports_show_in_the_brands_activity_feed(api: Api, world: World) -> None:
    world.make("active")
    api.call("GET", f"/contracts/{world.active}/audit-export", role="auditor")
    api.call("POST", "/audit/verifications", role="auditor", json={"contract_id": world.active})
    caught_up(api)

    feed = api.call("GET", "/activity", role="legal", query_string={"limit": 50}).json["items"]

    recorded = [(e["aggregate"], e["actor"]) for e in feed if e["event"] == "Recorded"]
    assert recorded == [("ChainCheck", api.team.auditor.user_id),
                        ("AuditExport", api.team.auditor.user_id)]


def zipped(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name.replace("_", "."), content)
    return buffer.getvalue()


EVENT_LINE = {"application": "contracts", "position": 1, "originator_id": "x",
              "originator_version": 1, "topic": "t", "previous_hash": "", "hash": "h"}


@pytest.mark.parametrize("members", [
    {"manifest_json": b"[]", "events_jsonl": b"", "report_html": b""},
    {"manifest_json": b'{"files": []}', "events_jsonl": b"", "report_html": b""},
    {"manifest_json": b"{}", "events_jsonl": b"1\n2", "report_html": b""},
    {"manifest_json": b"{}", "events_jsonl": b"{}", "report_html": b""},
    {"manifest_json": b"{}", "events_jsonl": json.dumps({**EVENT_LINE, "position": "1"}
                                                        ).encode(), "report_html": b""},
    {"manifest_json": b"[" * 100_000, "events_jsonl": b"", "report_html": b""},
    {"manifest_json": b"{}", "report_html": b""},
], ids=["manifest a list", "files a list", "lines numbers", "lines empty objects",
        "partial line", "deeply nested", "events missing"])
def test_a_malformed_bundle_is_a_422_and_nothing_is_recorded(api: Api, members) -> None:
    before = api.events()

    response = api.call("POST", "/audit/export-checks", role="auditor",
                        data=zipped(**members), content_type="application/zip")

    assert response.status_code == 422, response.json
    assert "body" in response.json["errors"]
    assert api.events() == before


def test_a_bundle_that_inflates_past_the_cap_is_a_413(api: Api) -> None:
    bomb = zipped(manifest_json=b"{}", events_jsonl=b"\n" * (65 * 1024 * 1024),
                  report_html=b"")

    response = api.call("POST", "/audit/export-checks", role="auditor", data=bomb,
                        content_type="application/zip")

    assert len(bomb) < 1024 * 1024 and response.status_code == 413
    assert response.mimetype == "application/problem+json"
