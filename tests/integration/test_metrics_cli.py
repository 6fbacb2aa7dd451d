"""`kolpact metrics import FILE`: the same all-or-nothing import, from the command line."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from application.bootstrap import build_services
from application.infrastructure.settings import Settings
from tests.builders import events_in, given_active_contract, given_published, given_team
from web.cli import main

YESTERDAY = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Settings, str, str]:
    """A SQLite store with one published deliverable: the settings, its id, an ops email."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'kolpact.db'}")
    monkeypatch.setenv("KOLPACT_DATABASE_URL", settings.database_url)
    services = build_services(settings)
    try:
        team = given_team(services)
        published = given_published(services, team, given_active_contract(services, team))
        email = services.identity.describe_user(team.admin, team.ops.user_id)["email"]
    finally:
        services.close()
    return settings, published, email


def test_a_good_file_is_imported_and_reported(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, deliverable_id, email = store
    export = tmp_path / "douyin.csv"
    export.write_text(f"交付物ID,日期,播放量,点赞数\n{deliverable_id},{YESTERDAY},1.5万,900\n",
                      encoding="gb18030")

    result = CliRunner().invoke(main, ["metrics", "import", str(export), "--as", email,
                                       "--source", "douyin export"])

    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"rows": 1, "recorded": 1, "duplicates": 0,
                                         "deliverable_ids": [deliverable_id]}


def test_a_file_with_a_bad_row_imports_nothing_and_lists_each_problem(  # type: ignore[no-untyped-def]
        store, tmp_path: Path) -> None:
    settings, deliverable_id, email = store
    before = events_in(settings)
    export = tmp_path / "bad.csv"
    export.write_text("deliverable,date,source,views\n"
                      f"{deliverable_id},{YESTERDAY},douyin,100\n"
                      f"{deliverable_id},someday,douyin,many\n")

    result = CliRunner().invoke(main, ["metrics", "import", str(export), "--as", email])
    unknown_user = CliRunner().invoke(main, ["metrics", "import", str(export),
                                             "--as", "nobody@example.com"])

    assert result.exit_code == 1
    assert "Nothing imported" in result.output
    assert "rows[3].measured_at" in result.output and "rows[3].views" in result.output
    assert unknown_user.exit_code == 1 and "No user with email" in unknown_user.output
    assert events_in(settings) == before
