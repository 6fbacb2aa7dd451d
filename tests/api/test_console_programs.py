"""KOC programs in the console: the list and a program's page (rules, ledger, standings,
distributors); ops move the cohort, enrol a KOC and import a shop's orders, legal
disqualifies; readers see it without the forms; another brand's program is a 404."""

import io
from datetime import UTC, datetime

from tests.api.conftest import Api, World
from tests.api.test_console import signed_in
from tests.api.test_console_campaigns import text_of
from tests.builders import given_team
from tests.console import sent_by

SHARES_STORES = True


def test_ops_run_a_program_from_its_page(api: Api, world: World) -> None:
    program, koc = world.program, world.koc
    api.services.read_models.catch_up()
    ops, path = signed_in(api, "ops"), f"/programs/{program}"

    listed = ops.text("/programs")
    enrol = f"{path}/distributors"
    enrolled = ops.post(enrol, {**sent_by(ops.text(path), enrol), "creator_id": koc,
                                "origin": "internal"})
    code = api.services.distribution.enrol(api.team.ops, program, koc, "internal")[
        "tracking_code"]
    today = datetime.now(UTC).date().isoformat()
    ops.get(path)
    imported = ops.client.post(f"{path}/orders", data={
        "csrf_token": ops.csrf, "file": (io.BytesIO(
            f"订单号,商品编码,实付金额,下单时间,推广码\nC-1,SERUM-30,299.00,{today},{code}\n"
            .encode("gbk")), "orders.csv")}, content_type="multipart/form-data")
    api.services.read_models.catch_up()
    shown = text_of(ops.text(path))

    assert "Glow KOCs" in listed
    assert enrolled.status_code == 303
    assert imported.status_code == 200 and "1 orders recorded" in imported.text
    assert "CN¥59.80" in shown  # 20 % of 299.00, accrued and owed
    assert code in shown


def test_a_bad_file_records_nothing_and_says_why(api: Api, world: World) -> None:
    program = world.program
    ops, path = signed_in(api, "ops"), f"/programs/{world.program}"
    before = api.events()
    ops.get(path)

    refused = ops.client.post(f"{path}/orders", data={
        "csrf_token": ops.csrf, "file": (io.BytesIO(b"order id,sku\nA,B\n"), "orders.csv")},
        content_type="multipart/form-data")

    assert refused.status_code == 422 and "Nothing was recorded" in refused.text
    assert "needs a placed at column" in refused.text and program
    assert api.events() == before


def test_legal_disqualifies_and_readers_see_no_forms(api: Api, world: World) -> None:
    distributor = world.distributor
    api.services.read_models.catch_up()
    legal, path = signed_in(api, "legal"), f"/programs/{world.program}"
    action = f"/programs/distributors/{distributor}/disqualify"

    done = legal.post(action, {**sent_by(legal.text(path), action),
                               "reason": "Sold another brand's serum"})
    auditor_page = signed_in(api, "auditor").text(path)

    assert done.status_code == 303
    assert api.services.distribution.get_distributor(api.team.legal, distributor)[
        "status"] == "disqualified"
    assert "Import the orders" not in auditor_page and "Enrol them" not in auditor_page


def test_another_brands_program_is_not_found(api: Api) -> None:
    theirs = World(api.services, given_team(api.services)).program

    assert signed_in(api, "ops").get(f"/programs/{theirs}").status_code == 404


def test_the_months_statements_link_each_honour_to_its_certificate(api: Api) -> None:
    from application.workers.background import evaluate_programs
    from tests.integration.test_distribution import REWARDING, an_order, given_koc

    services, team = api.services, api.team
    program = str(services.distribution.create_program(team.legal, "Glow", {
        **REWARDING, "levels": [{"key": "star", "name": "Star", "rewards": [
            {"kind": "certificate", "description": "Rising star"}]}]})["id"])
    seller = services.distribution.enrol(team.ops, program, given_koc(services, team),
                                         "internal")
    services.distribution.record_orders(team.ops, program, [
        an_order("M-1", seller["id"], datetime.now(UTC), ("SERUM-30", 29_900))])
    evaluate_programs(services)
    services.read_models.catch_up()
    ops = signed_in(api, "ops")

    shown = ops.text(f"/programs/{program}")
    link = f"/programs/distributors/{seller['id']}/certificates/level:star:0"
    certificate = ops.get(link)

    assert "Statements," in shown and link in shown
    assert certificate.status_code == 200 and "Rising star" in certificate.text
