"""The command line's errors: one clear line and exit code 1, never a traceback; a store
that is not there is named, not silently created (except by init-db)."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from web.cli import main


@pytest.fixture
def missing_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "elsewhere" / "kolpact.db"
    monkeypatch.setenv("KOLPACT_DATABASE_URL", f"sqlite:///{path}")
    return path


@pytest.mark.parametrize("command", [["audit", "verify"], ["projections", "status"],
                                     ["users", "create", "--email", "a@b.test", "--name", "A",
                                      "--role", "ops", "--brand", "x"],
                                     ["payouts", "process"], ["audit", "seal"]])
def test_a_missing_store_is_named_and_not_created(missing_store: Path,
                                                  command: list[str]) -> None:
    result = CliRunner().invoke(main, command)

    assert result.exit_code == 1, result.output
    assert str(missing_store) in result.output and "init-db" in result.output
    assert "Traceback" not in result.output and not missing_store.exists()


def test_init_db_creates_it_and_then_errors_are_one_line(missing_store: Path) -> None:
    created = CliRunner().invoke(main, ["init-db"])
    unknown_brand = CliRunner().invoke(main, ["users", "create", "--email", "a@b.test",
                                              "--name", "A", "--role", "ops", "--brand",
                                              "not-a-brand"])

    assert created.exit_code == 0 and missing_store.exists()
    assert unknown_brand.exit_code == 1 and "Traceback" not in unknown_brand.output
    assert len(unknown_brand.output.strip().splitlines()) == 1
    assert "NotFound" in unknown_brand.output


def test_serve_refuses_more_api_processes_than_the_server_has_connections_for(
        postgres_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOLPACT_DATABASE_URL", postgres_database)
    monkeypatch.setenv("KOLPACT_DB_MAX_OVERFLOW", "10000")

    result = CliRunner().invoke(main, ["serve", "--workers", "4"])

    assert result.exit_code == 1, result.output
    assert "at most 40008 (4 processes × 10002)" in result.output
    assert "lower --workers" in result.output and "Traceback" not in result.output
