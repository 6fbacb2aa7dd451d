"""Drafts imported in bulk: every row or none, each under the brand's own reference, so
importing a row again finds the draft already there. On every store."""

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from application.bootstrap import build_services
from application.contracting import contracts as contracts_module
from application.contracting.contract_import import imported_id
from application.errors import RoleNotAllowed
from application.infrastructure.settings import Settings
from domain.errors import InvalidValue
from tests.builders import event_count, given_creator, given_team, valid_terms
from web.cli import contracts as cli_contracts
from web.cli import main


def rows(creator_id: str, count: int, start: int = 0) -> list[dict[str, Any]]:
    return [{"reference": f"SHEET-{n}", "creator_id": creator_id, "title": f"Imported {n}",
             "terms": valid_terms(), "campaign": "spring"} for n in range(start, start + count)]


def test_imported_rows_become_drafts_and_a_second_import_makes_no_more(
        services, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(contracts_module, "IMPORT_BATCH", 2)  # batches, and a partial one
    team = given_team(services)
    creator = given_creator(services, team)

    first = services.contracts.import_drafts(team.legal, rows(creator, 5))
    again = services.contracts.import_drafts(team.legal, rows(creator, 7))

    assert first == {"rows": 5, "imported": 5, "already_imported": 0}
    assert again == {"rows": 7, "imported": 2, "already_imported": 5}
    draft = services.contracts.get_contract(team.legal,
                                            str(imported_id(team.brand_id, "SHEET-3")))
    assert (draft["title"], draft["status"], draft["campaign"]) == \
        ("Imported 3", "draft", "spring")


def test_a_batch_with_a_bad_row_saves_nothing_and_names_every_problem(services) -> None:  # type: ignore[no-untyped-def]
    team, other = given_team(services), given_team(services)
    creator, strangers_creator = given_creator(services, team), given_creator(services, other)
    batch = rows(creator, 6)
    batch[1]["creator_id"] = strangers_creator
    batch[2]["terms"] = valid_terms(fee=-5)
    batch[3]["reference"] = ""
    batch[4] = {**batch[0]}
    batch[5]["surprise"] = True
    before = event_count(services)

    with pytest.raises(InvalidValue) as refused:
        services.contracts.import_drafts(team.legal, batch, first_line=10)

    problems = refused.value.errors
    assert problems["rows[11].creator_id"] == "No creator with that id."
    assert any(key.startswith("rows[12].terms.") for key in problems)
    assert "rows[13].reference" in problems
    assert problems["rows[14].reference"] == "appears twice in the file"
    assert problems["rows[15].surprise"] == "unknown field"
    assert "rows[10].creator_id" not in problems
    assert event_count(services) == before


def test_only_legal_imports(services) -> None:  # type: ignore[no-untyped-def]
    team = given_team(services)
    with pytest.raises(RoleNotAllowed):
        services.contracts.import_drafts(team.ops, rows(given_creator(services, team), 1))


def test_the_command_imports_a_file_and_refuses_one_with_a_bad_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'kolpact.db'}")
    monkeypatch.setenv("KOLPACT_DATABASE_URL", settings.database_url)
    services = build_services(settings)
    try:
        team = given_team(services)
        creator = given_creator(services, team)
        email = services.identity.describe_user(team.admin, team.legal.user_id)["email"]
    finally:
        services.close()
    monkeypatch.setattr(cli_contracts, "CHUNK", 2)  # the file is read in parts
    good, bad, twice = (tmp_path / f"{name}.jsonl" for name in ("good", "bad", "twice"))
    good.write_text("".join(json.dumps(row) + "\n" for row in rows(creator, 3)))
    bad.write_text(json.dumps(rows(creator, 1, start=9)[0]) + "\n{not json\n")
    twice.write_text("".join(json.dumps(row) + "\n"
                             for row in rows(creator, 2, start=20) + rows(creator, 1, start=20)))

    imported = CliRunner().invoke(main, ["contracts", "import", str(good), "--as", email])
    refused = CliRunner().invoke(main, ["contracts", "import", str(bad), "--as", email])

    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.output) == {"rows": 3, "imported": 3, "already_imported": 0}
    assert refused.exit_code == 1 and "Nothing imported" in refused.output
    assert "rows[2]: not JSON" in refused.output and "Traceback" not in refused.output
    again = CliRunner().invoke(main, ["contracts", "import", str(good), "--as", email])
    assert json.loads(again.output)["already_imported"] == 3
    repeated = CliRunner().invoke(main, ["contracts", "import", str(twice), "--as", email])
    assert repeated.exit_code == 1 and "rows[3].reference: appears twice" in repeated.output
