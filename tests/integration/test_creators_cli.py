"""`kolpact creators import FILE` and `kolpact creators export`: the same import and
export as the API, for files of any size, on the server."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from application.bootstrap import build_services
from application.infrastructure.settings import Settings
from tests.builders import events_in, given_team
from web.cli import main

HEADER = "name,kind,platform,handle,followers\n"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Settings, str]:
    """A SQLite store with a brand: the settings and its ops user's email."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'kolpact.db'}")
    monkeypatch.setenv("KOLPACT_DATABASE_URL", settings.database_url)
    services = build_services(settings)
    try:
        team = given_team(services)
        email = services.identity.describe_user(team.admin, team.ops.user_id)["email"]
    finally:
        services.close()
    return settings, email


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["creators", *args])


def test_a_file_larger_than_the_api_takes_is_checked_then_imported(store, tmp_path: Path  # type: ignore[no-untyped-def]
                                                                   ) -> None:
    settings, email = store
    sheet = tmp_path / "creators.csv"
    sheet.write_text("name,kind,platform,handle,followers,categories\n" + "".join(
        f"小红书达人 {n},KOC,douyin,koc_{n},{n},\"beauty, skincare, lifestyle, travel, food, "
        f"fashion, home, pets, fitness\"\n" for n in range(10_000)), encoding="gb18030")
    assert sheet.stat().st_size > settings.max_request_bytes
    before = events_in(settings)

    checked = run("import", str(sheet), "--as", email, "--dry-run")
    unchanged = events_in(settings)
    imported = run("import", str(sheet), "--as", email)

    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.output)["create"] == 10_000 and unchanged == before
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.output)["written"] is True
    assert events_in(settings) == before + 20_000  # each registered, and owned by the importer


def test_a_bad_row_imports_nothing_and_the_error_file_says_why(store, tmp_path: Path  # type: ignore[no-untyped-def]
                                                               ) -> None:
    settings, email = store
    sheet, errors = tmp_path / "creators.csv", tmp_path / "problems.csv"
    sheet.write_text(HEADER + "Mia,KOL,douyin,mia,1\nBad,KOL,douyin,bad,many\n")
    before = events_in(settings)

    refused = run("import", str(sheet), "--as", email, "--errors-to", str(errors))
    valid = run("import", str(sheet), "--as", email, "--valid-rows-only")

    assert refused.exit_code == 1 and "Nothing imported" in refused.output
    assert "rows[3].followers: 'many' is not a count" in refused.output
    assert "bad" in errors.read_text(encoding="utf-8-sig").splitlines()[1]
    assert valid.exit_code == 0 and json.loads(valid.output)["refused"] == 1
    assert events_in(settings) == before + 2


def test_the_export_writes_the_filtered_creators(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, email = store
    sheet, out = tmp_path / "creators.csv", tmp_path / "kocs.xlsx"
    sheet.write_text(HEADER + "Mia,KOL,douyin,mia,1\nLin,KOC,weibo,lin,2\n")
    run("import", str(sheet), "--as", email)

    exported = run("export", "--as", email, "--kind", "KOC", "--format", "xlsx", "-o", str(out))

    assert exported.exit_code == 0, exported.output
    from openpyxl import load_workbook
    names = [row[0] for row in load_workbook(out).active.iter_rows(values_only=True)]
    assert names == ["name", "Lin"]
