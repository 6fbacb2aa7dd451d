"""A contract family's trail as of any moment, and the export an outsider checks offline."""

import io
import json
import zipfile
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from click.testing import CliRunner

from application.audit.audit_bundle import EVENTS, MANIFEST, REPORT, verify_bundle
from application.bootstrap import Services
from application.errors import NotFound, RoleNotAllowed
from application.infrastructure.signing import Signer, new_signing_key
from application.payments.payouts import payout_id
from domain.audit import AuditExport
from tests.builders import family_terms, given_active_contract, given_team
from tests.tamper import Tamper
from web.cli import main


def test_the_trail_covers_the_whole_family_in_order_with_roles(family) -> None:
    services, team, contract_id = family

    trail = services.audit.contract_history(team.auditor, contract_id)["events"]

    assert {e["application"] for e in trail} >= {"contracts", "deliverables", "shipments",
                                                  "payouts", "usage_rights", "make_goods"}
    assert [e["time"] for e in trail] == sorted(e["time"] for e in trail)
    drafted = next(e for e in trail if e["event"] == "Drafted")
    assert (drafted["actor_name"], drafted["actor_roles"]) == ("Legal", ["legal"])
    became_due = next(e for e in trail if e["event"] == "BecameDue")
    assert (became_due["actor_name"], became_due["actor_roles"]) == ("kolpact (automatic)",
                                                                     ["system"])
    assert "title: added \"Winter launch\"" in drafted["diff"]


def test_an_amendment_reads_as_what_it_changes_in_the_terms(family) -> None:
    services, team, contract_id = family
    amended = family_terms(fee=120_000)
    amended["deliverables"][0]["due_date"] = "2099-01-31"

    services.contracts.propose_amendment(team.legal, contract_id, amended,
                                         reason="Bigger launch")

    trail = services.audit.contract_history(team.auditor, contract_id)["events"]
    proposed = next(e for e in trail if e["event"] == "AmendmentProposed")
    assert "terms.fee.amount: 100000 -> 120000" in proposed["terms_changes"]
    assert 'terms.deliverables[0].due_date: ' in " ".join(proposed["terms_changes"])
    assert "-> \"2099-01-31\"" in " ".join(proposed["terms_changes"])
    versions = services.contracts.terms_versions(team.auditor, contract_id)
    assert versions[0]["changes"] == [] and versions[1]["changes"] == \
        proposed["terms_changes"]
    report = zipfile.ZipFile(io.BytesIO(services.audit.export(
        team.auditor, contract_id).content)).read(REPORT).decode()
    assert "terms.fee.amount: 100000 -&gt; 120000" in report
    assert "<td>Legal\n(legal)</td>" in report  # who acted, by name and role


def test_as_of_shows_what_stood_at_that_moment(family) -> None:
    services, team, contract_id = family
    trail = services.audit.contract_history(team.auditor, contract_id)["events"]
    activated = [e for e in trail if e["application"] == "contracts"][-1]["time"]

    then = services.audit.contract_history(team.auditor, contract_id, as_of=activated)

    assert all(e["time"] <= activated for e in then["events"])
    assert then["state"]["contract"]["status"] == "active"
    assert then["state"]["shipments"] == []  # prepared after activation
    assert then["state"]["deliverables"] == []  # created by the policy afterwards
    now = services.audit.contract_history(team.auditor, contract_id,
                                          as_of=trail[-1]["time"])["state"]
    assert [s["status"] for s in now["shipments"]] == ["prepared"]
    assert {p["status"] for p in now["payouts"]} >= {"due"}


def test_as_of_before_the_contract_existed_is_not_found(family) -> None:
    services, team, contract_id = family
    trail = services.audit.contract_history(team.auditor, contract_id)["events"]

    with pytest.raises(NotFound, match="did not exist yet"):
        services.audit.contract_history(team.auditor, contract_id,
                                        as_of=trail[0]["time"].replace(year=2000))


def test_an_export_verifies_offline_and_is_recorded(family) -> None:
    services, team, contract_id = family

    bundle = services.audit.export(team.auditor, contract_id)
    check = verify_bundle(bundle.content)

    assert check.passed, check.problems
    assert check.digest == bundle.digest and check.manifest["contract_id"] == contract_id
    assert bundle.events == len(services.audit.contract_history(team.auditor,
                                                                contract_id)["events"])
    (export,) = [n for n in services.audit.recorder.select_notifications(start=1, limit=100)
                 if n.topic.endswith("AuditExport.Recorded")]
    recorded = services.audit.repository.get(export.originator_id)
    assert isinstance(recorded, AuditExport)
    assert (recorded.digest, recorded.contract_id) == (bundle.digest, contract_id)
    report = zipfile.ZipFile(io.BytesIO(bundle.content)).read(REPORT).decode()
    assert "Winter launch" in report and "Every event of this family matched" in report


def rewritten(content: bytes, change: Any, rehash: bool = True) -> bytes:
    """The bundle with events.jsonl changed, and its manifest fixed up to match."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    files = {name: archive.read(name) for name in archive.namelist()}
    lines = [json.loads(line) for line in files[EVENTS].decode().splitlines()]
    files[EVENTS] = "".join(json.dumps(line) + "\n" for line in change(lines)).encode()
    if rehash:
        import hashlib

        manifest = json.loads(files[MANIFEST])
        manifest["files"][EVENTS] = hashlib.sha256(files[EVENTS]).hexdigest()
        manifest["event_count"] = len(change(lines))
        files[MANIFEST] = json.dumps(manifest).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as new:
        for name, data in files.items():
            new.writestr(name, data)
    return out.getvalue()


def test_an_edited_bundle_does_not_verify(family) -> None:
    services, team, contract_id = family
    content = services.audit.export(team.auditor, contract_id).content

    def backdate(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        lines[1]["state"] = lines[1]["state"].replace('"reason":null', '"reason":"oops"')
        return lines

    def drop_one(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [line for line in lines if line["event"] != "SentForSignature"]

    altered, dropped = verify_bundle(rewritten(content, backdate)), \
        verify_bundle(rewritten(content, drop_one))
    unhashed = verify_bundle(rewritten(content, backdate, rehash=False))

    assert any("altered" in p for p in altered.problems)
    assert any("missing events" in p for p in dropped.problems)
    assert "events.jsonl is not the file the manifest names (changed)" in unhashed.problems
    for rehashed in (altered, dropped):  # fixing up the manifest breaks its signature
        assert "the signature does not match the manifest" in " ".join(rehashed.problems)
    assert verify_bundle(b"not a zip").problems[0].startswith("not a kolpact audit export")


def test_a_signed_export_shows_offline_that_it_comes_from_this_installation(family) -> None:
    services, team, contract_id = family
    ours = services.audit.public_key()
    content = services.audit.export(team.auditor, contract_id).content

    trusted = verify_bundle(content, [ours])
    stranger = verify_bundle(content, [Signer.from_text(new_signing_key()).public_key])
    unsigned = verify_bundle(without_signature(content), [ours])

    assert ours and trusted.passed and trusted.signed_by == ours
    assert stranger.problems == [f"signed by {ours}, which is not a key you trust"]
    assert "the signature does not match the manifest" in " ".join(unsigned.problems)


def without_signature(content: bytes) -> bytes:
    archive, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as new:
        for name in archive.namelist():
            if name != "manifest.sig":
                new.writestr(name, archive.read(name))
    return out.getvalue()


def test_an_export_of_a_tampered_store_says_so_and_does_not_verify(family) -> None:
    services, team, contract_id = family
    Tamper(services).alter("contracts", 3)

    bundle = services.audit.export(team.auditor, contract_id)
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(bundle.content)).read(MANIFEST))

    assert manifest["chain_check"]["passed"] is False
    assert manifest["chain_check"]["breaks"][0]["position"] == 3
    assert not verify_bundle(bundle.content).passed


def test_only_auditors_legal_and_admins_export(family) -> None:
    services, team, contract_id = family

    with pytest.raises(RoleNotAllowed):
        services.audit.export(team.ops, contract_id)
    with pytest.raises(NotFound):
        services.audit.export(given_team(services).auditor, contract_id)  # another brand


def test_the_command_line_verifies_names_the_broken_row_and_checks_exports(
        durable_services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    services = durable_services
    team = given_team(services)
    contract_id = given_active_contract(services, team)
    monkeypatch.setenv("KOLPACT_DATABASE_URL", services.settings.database_url)
    cli, bundle = CliRunner(), tmp_path / "bundle.zip"

    sealed = cli.invoke(main, ["audit", "seal"])
    (tmp_path / "seal.json").write_text(sealed.output)
    passed = cli.invoke(main, ["audit", "verify", "--seal", str(tmp_path / "seal.json")])
    exported = cli.invoke(main, ["audit", "export", contract_id, "--out", str(bundle)])
    public_key = cli.invoke(main, ["audit", "public-key"]).output.strip()
    checked = cli.invoke(main, ["audit", "verify-export", str(bundle),
                                "--public-key", public_key])
    Tamper(services).alter("contracts", 2)
    failed = cli.invoke(main, ["audit", "verify", "--contract", contract_id])

    assert sealed.exit_code == 0 and len(json.loads(sealed.output)["root"]) == 64
    assert passed.exit_code == 0 and passed.output.startswith("OK: the whole store")
    assert ", 2 seals checked" in passed.output  # the recorded one and the published one
    assert exported.exit_code == 0 and checked.exit_code == 0, checked.output
    assert f"signed by {public_key}" in checked.output
    assert failed.exit_code == 1
    assert f"contracts:2 (aggregate {UUID(contract_id)}, version 2)" in failed.output


def test_the_report_names_people_and_writes_the_terms_as_text(family) -> None:
    services, team, contract_id = family
    services.payouts.request_release(team.finance, str(payout_id(contract_id, "signing")))

    report = zipfile.ZipFile(io.BytesIO(services.audit.export(
        team.auditor, contract_id).content)).read(REPORT).decode()

    for actor in team.actors.values():  # nobody who acted is shown as a bare id
        assert actor.user_id not in report
    assert "Finance (finance)" in report  # who asked for the payout
    assert "Mia Chen" in report  # the creator
    assert "CN¥1,000.00" in report and "CN¥500.00" in report  # the fee, a milestone
    assert "organic repost, paid ads in CN" in report
    assert "fewer than 100000 views within 7 days, repost" in report
