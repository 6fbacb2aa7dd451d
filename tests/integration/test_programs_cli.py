"""`kolpact programs import-orders PROGRAM_ID FILE`: a shop's XLSX export from the
command line, each order once; a bad file imports nothing and lists each row."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from application.bootstrap import build_services
from application.infrastructure.settings import Settings
from tests.builders import creator_profile, events_in, given_team
from web.cli import main

RULES = {"currency": "CNY", "commissions": [{"sku": "SERUM-30", "rate_bp": 2000}]}


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Settings, str, str, str]:
    """A SQLite store with a program and a distributor: settings, program, code, email."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'kolpact.db'}")
    monkeypatch.setenv("KOLPACT_DATABASE_URL", settings.database_url)
    services = build_services(settings)
    try:
        team = given_team(services)
        program = services.distribution.create_program(team.legal, "Glow", RULES)["id"]
        koc = services.creators.register_creator(team.ops, {**creator_profile(), "kind": "KOC"})
        code = services.distribution.enrol(team.ops, program, koc["id"], "internal")[
            "tracking_code"]
        email = services.identity.describe_user(team.admin, team.ops.user_id)["email"]
    finally:
        services.close()
    return settings, str(program), code, email


def workbook(path: Path, *rows: list) -> Path:  # type: ignore[type-arg]
    book = Workbook()
    book.active.append(["Order ID", "SKU", "Quantity", "Amount", "Order time", "Code"])
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_a_workbook_of_orders_is_imported_once(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, program, code, email = store
    sheet = workbook(tmp_path / "orders.xlsx", ["W-1", "SERUM-30", 1, 299, datetime.now(UTC).
                                                replace(tzinfo=None), code])

    first = CliRunner().invoke(main, ["programs", "import-orders", program, str(sheet),
                                      "--as", email])
    again = CliRunner().invoke(main, ["programs", "import-orders", program, str(sheet),
                                      "--as", email])

    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["recorded"] == 1
    assert json.loads(again.output)["already_recorded"] == 1


def test_a_bad_row_imports_nothing(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings, program, code, email = store
    sheet = workbook(tmp_path / "orders.xlsx",
                     ["W-2", "SERUM-30", 1, 299, datetime.now(UTC).date().isoformat(), code],
                     ["W-3", "NOPE", 1, 10, datetime.now(UTC).date().isoformat(), code])
    before = events_in(settings)

    refused = CliRunner().invoke(main, ["programs", "import-orders", program, str(sheet),
                                        "--as", email])

    assert refused.exit_code == 1 and "Nothing imported" in refused.output
    assert "rows[3].sku" in refused.output
    assert events_in(settings) == before
