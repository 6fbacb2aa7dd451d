"""KOC distribution over HTTP: a program set up by legal, a KOC enrolled by ops, orders
recorded once each (a bad batch is a 422 naming each problem, and nothing is written),
a refund, the ledger and the month's standings."""

from datetime import UTC, datetime

from tests.api.conftest import PROGRAM_RULES, Api, World

SHARES_STORES = True


def order(order_id: str, distributor: str, amount: int = 29_900, sku: str = "SERUM-30"
          ) -> dict:
    return {"order_id": order_id, "placed_at": datetime.now(UTC).isoformat(),
            "currency": "CNY", "distributor": distributor,
            "lines": [{"sku": sku, "quantity": 1, "amount": amount}]}


def test_a_program_runs_from_rules_to_ledger(api: Api, world: World) -> None:
    created = api.call("POST", "/programs", role="legal",
                       json={"name": "Glow KOCs", "rules": PROGRAM_RULES})
    program = created.json["id"]
    enrolled = api.call("POST", f"/programs/{program}/distributors", role="ops",
                        json={"creator_id": world.koc, "origin": "internal"})
    code = enrolled.json["tracking_code"]

    recorded = api.call("POST", f"/programs/{program}/orders", role="ops",
                        json={"orders": [order("S-1", code), order("S-2", code, 10_000)]})
    again = api.call("POST", f"/programs/{program}/orders", role="ops",
                     json={"orders": [order("S-1", code)]})
    refunded = api.call("POST", f"/programs/{program}/orders/S-2/reversal", role="ops",
                        json={"kind": "refund", "reason": "Returned"})
    api.services.read_models.catch_up()
    ledger = api.call("GET", f"/programs/{program}/ledger", role="finance")
    month = datetime.now(UTC).strftime("%Y-%m")
    standings = api.call("GET", f"/programs/{program}/standings", role="auditor",
                         query_string={"month": month})

    assert (created.status_code, enrolled.status_code) == (201, 201)
    assert recorded.json["recorded"] == 2 and again.json["already_recorded"] == 1
    assert refunded.json["commission"] == 0
    assert (ledger.json["accrued"], ledger.json["reversed"], ledger.json["owed"]) == (
        5_980 + 2_000, -2_000, 5_980)
    assert [(row["rank"], row["sales"]) for row in standings.json["rows"]] == [(1, 29_900)]


def test_a_bad_batch_is_a_422_naming_each_problem_and_writes_nothing(api: Api,
                                                                      world: World) -> None:
    program, distributor = world.program, world.distributor
    before = api.events()

    refused = api.call("POST", f"/programs/{program}/orders", role="ops", json={"orders": [
        order("OK-1", distributor), order("BAD-1", distributor, sku="LIPSTICK"),
        order("BAD-2", "koc-aaaaaaaaaa")]})

    assert refused.status_code == 422
    assert set(refused.json["errors"]) == {"orders[1].lines[0].sku", "orders[2].distributor"}
    assert api.events() == before


def test_rules_that_do_not_hold_are_refused_with_their_paths(api: Api) -> None:
    refused = api.call("POST", "/programs", role="legal", json={"name": "Bad", "rules": {
        "currency": "CNY", "commissions": [{"sku": "A", "rate_bp": 12_000}],
        "levels": "not a list"}})
    worse = api.call("POST", "/programs", role="legal", json={"name": "Bad", "rules": {
        "currency": "CNY", "commissions": [{"sku": "A", "rate_bp": 12_000}]}})

    assert refused.status_code == 422 and worse.status_code == 422
    assert "commissions[0].rate_bp" in worse.json["errors"]


def test_another_brands_creator_or_recruiter_is_not_found(api: Api, world: World) -> None:
    from tests.builders import given_team

    theirs = World(api.services, given_team(api.services))
    assert theirs.koc and theirs.distributor and world.program and world.koc  # made first
    before = api.events()

    answers = [api.call("POST", f"/programs/{world.program}/distributors", role="ops",
                        json={"creator_id": theirs.koc, "origin": "external"}).status_code,
               api.call("POST", f"/programs/{world.program}/distributors", role="ops",
                        json={"creator_id": world.koc, "origin": "external",
                              "recruiter_id": theirs.distributor}).status_code,
               api.call("GET", f"/programs/{world.program}/distributors", role="ops",
                        query_string={"recruiter_id": theirs.distributor}).status_code]

    assert answers == [404, 404, 404]
    assert api.events() == before


def upload(api: Api, program: str, raw: bytes, content_type: str = "text/csv"):  # type: ignore[no-untyped-def]
    return api.call("POST", f"/programs/{program}/orders/import", role="ops", data=raw,
                    headers={"Content-Type": content_type})


def test_a_shops_export_in_gbk_imports_each_order_once(api: Api, world: World) -> None:
    code = api.services.distribution.get_distributor(api.team.ops, world.distributor)[
        "tracking_code"]
    today = datetime.now(UTC).date().isoformat()
    sheet = (f"订单号,商品编码,数量,实付金额,下单时间,推广码\n"
             f"D-1,SERUM-30,1,299.00,{today},{code}\nD-1,SERUM-30,2,598.00,{today},{code}\n"
             f"D-2,SERUM-30,1,\"1,299.00\",{today},{code}\n")

    first = upload(api, world.program, sheet.encode("gbk"))
    again = upload(api, world.program, sheet.encode("utf-8-sig"))
    order = api.call("GET", f"/programs/{world.program}/orders/D-1", role="auditor")

    assert first.status_code == 200, first.json
    assert (first.status_code, first.json["recorded"], again.json["already_recorded"]) == (
        200, 2, 2)
    assert [line["commission"] for line in order.json["lines"]] == [5_980, 11_960]


def test_a_bad_file_names_each_row_and_imports_nothing(api: Api, world: World) -> None:
    today = datetime.now(UTC).date().isoformat()
    assert world.program and world.distributor  # made first
    before = api.events()

    missing = upload(api, world.program, b"order id,sku\nA,B\n")
    bad = upload(api, world.program, (
        "order id,sku,amount,placed at,distributor\n"
        f"E-1,SERUM-30,299.00,{today},{world.distributor}\n"
        f"E-2,LIPSTICK,99.00,{today},{world.distributor}\n"
        f"E-3,SERUM-30,lots,{today},{world.distributor}\n"
        f"E-1,SERUM-30,10.00,{today},koc-bbbbbbbbbb\n").encode())
    workbook = upload(api, world.program, b"PK\x03\x04broken", "application/octet-stream")

    assert missing.status_code == 422 and set(missing.json["errors"]) == {
        "file.amount", "file.placed_at", "file.distributor"}
    assert bad.status_code == 422 and set(bad.json["errors"]) == {
        "rows[3].sku", "rows[4].amount", "rows[5].distributor"}
    assert workbook.status_code == 422
    assert api.events() == before


def test_a_program_and_a_distributor_have_their_history_and_their_past(api: Api,
                                                                        world: World) -> None:
    program, distributor = world.program, world.distributor
    created = api.call("GET", f"/programs/{program}", role="auditor").json["updated_at"]
    richer = {**PROGRAM_RULES, "commissions": [{"sku": "SERUM-30", "rate_bp": 2500}]}
    api.call("POST", f"/programs/{program}/rules", role="legal",
             json={"rules": richer, "reason": "Launch month"})
    api.call("POST", f"/programs/distributors/{distributor}/suspend", role="ops",
             json={"reason": "Complaints from the group"})

    trail = api.call("GET", f"/programs/{program}/history", role="auditor").json["events"]
    then = api.call("GET", f"/programs/{program}", role="auditor",
                    query_string={"as_of": created}).json
    mine = api.call("GET", f"/programs/distributors/{distributor}/history",
                    role="auditor").json["events"]
    before = api.call("GET", f"/programs/distributors/{distributor}", role="auditor",
                      query_string={"version": 1}).json

    assert [e["event"] for e in trail] == ["Created", "RulesRevised"]
    assert trail[1]["reason"] == "Launch month" and trail[1]["actor_roles"] == ["legal"]
    assert then["rules"]["commissions"][0]["rate_bp"] == 2000
    assert [e["event"] for e in mine] == ["Enrolled", "Suspended"]
    assert before["status"] == "active"
