"""`make run` prints the console's address first, and a one-time sign-in link for each
demo user that signs that user in."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from application.bootstrap import build_services
from application.demo import seed_demo
from application.infrastructure.settings import Settings
from tests.console import Person
from web import create_app
from web.cli import main


def test_demo_ensure_prints_the_console_and_a_working_link_per_user(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOLPACT_DATABASE_URL", f"sqlite:///{tmp_path / 'kolpact.db'}")
    monkeypatch.setenv("KOLPACT_PORT", "8123")
    assert CliRunner().invoke(main, ["init-db"]).exit_code == 0

    shown = CliRunner().invoke(main, ["demo", "ensure", "--file", str(tmp_path / "demo.json")])

    assert shown.exit_code == 0, shown.output
    assert shown.output.startswith("kolpact console: http://127.0.0.1:8123/")
    links = dict(re.findall(r"^  (\w+) +http://127\.0\.0\.1:8123(/sign-in/\S+)$", shown.output,
                            re.MULTILINE))
    assert {"legal", "ops", "finance", "finance_approver", "auditor"} <= set(links)
    services = build_services(Settings.from_environ())
    try:
        legal = Person(create_app({"KOLPACT_SERVICES": services}))
        legal.get(links["legal"])
        assert legal.post(links["legal"]).headers["Location"].endswith("/home")
        assert "What needs you now" in legal.text("/home")
    finally:
        services.close()


def test_the_demo_has_a_campaign_half_run_with_its_contracts_in_it(tmp_path: Path) -> None:
    services = build_services(Settings(database_url=f"sqlite:///{tmp_path / 'kolpact.db'}",
                                       cipher_key=Settings.from_environ().cipher_key))
    try:
        seeded = seed_demo(services)
        ops = services.identity.authenticate(seeded["tokens"]["ops"])
        campaign = services.campaigns.get_campaign(ops, seeded["campaign"])
        in_it = [services.contracts.get_contract(ops, c)["campaign_id"]
                 for c in seeded["contracts"].values()]

        assert campaign["status"] == "running"
        assert [c.check_in.week for c in campaign["check_ins"]] == [1, 2]
        assert campaign["requirements"][0].creator_id == seeded["creators"][3]
        assert in_it == [seeded["campaign"]] * 3
        lin = services.creators.get_creator(ops, seeded["creators"][0])
        assert lin["owner_id"] == ops.user_id and lin["next_follow_up"] == \
            services.creators.clock.now().date()
        services.read_models.catch_up()  # type: ignore[union-attr]
        folders = services.lists.folders(ops, filters={}, sort="name", limit=10)  # type: ignore[union-attr]
        assert [f["name"] for f in folders.page.items] == ["Skincare KOCs Shanghai",
                                                           "Winter push KOLs"]
    finally:
        services.close()


def test_the_demo_has_a_program_with_a_month_of_orders_the_worker_rewards(
        tmp_path: Path) -> None:
    from application.workers.background import evaluate_programs

    services = build_services(Settings(database_url=f"sqlite:///{tmp_path / 'kolpact.db'}",
                                       cipher_key=Settings.from_environ().cipher_key))
    try:
        seeded = seed_demo(services)
        finance = services.identity.authenticate(seeded["tokens"]["finance"])
        evaluate_programs(services)
        levels = [services.distribution.get_distributor(finance, d)["level"]
                  for d in seeded["distributors"]]
        ledger = services.program_reports.ledger(finance, seeded["program"])  # type: ignore[union-attr]
        program = services.distribution.get_program(finance, seeded["program"])

        assert [level["name"] for level in program["rules"]["levels"]] == [
            "Bronze", "Silver", "Gold"]
        assert levels == ["gold", "silver", "bronze", "bronze"]
        assert ledger["accrued"] > 0 and ledger["reversed"] < 0
    finally:
        services.close()
