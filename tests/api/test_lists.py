"""List endpoints: filters, sorting, cursors, brand isolation, read-your-writes."""

import threading

import pytest

from application.common.positions import LogPosition
from tests.api.conftest import Api, World
from tests.builders import given_team
from tests.read_models import Scenario
from web.positions import PositionSeal

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)


def caught_up(api: Api) -> None:
    api.services.read_models.catch_up()  # what `kolpact projections run` does continuously


def ids(response, key: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [item[key] for item in response.json["items"]]


@pytest.mark.parametrize("role", ["legal", "ops", "finance", "auditor", "admin"])
def test_every_role_reads_the_lists(api: Api, world: World, role: str) -> None:
    world.make("draft")
    caught_up(api)

    for path in ("/contracts", "/creators", "/activity"):
        response = api.call("GET", path, role=role)
        assert response.status_code == 200 and response.json["items"], path


def test_lists_show_only_the_callers_brands(api: Api, world: World) -> None:
    other = given_team(api.services)
    Scenario(api.services, other).run("draft", 1)
    world.make("active")
    caught_up(api)

    contracts = api.call("GET", "/contracts")
    creators = api.call("GET", "/creators")
    activity = api.call("GET", "/activity", role="auditor", query_string={"limit": 200})
    foreign = api.call("GET", "/contracts", query_string={"brand_id": other.brand_id})

    assert {c["brand_id"] for c in contracts.json["items"]} == {api.team.brand_id}
    assert {c["brand_id"] for c in creators.json["items"]} == {api.team.brand_id}
    assert {a["brand_id"] for a in activity.json["items"]} <= {api.team.brand_id}
    assert all(a["actor"] not in (other.legal.user_id, other.ops.user_id)
               for a in activity.json["items"])
    assert foreign.status_code == 404


def test_contracts_filter_by_status_creator_campaign_and_date(api: Api, world: World) -> None:
    scenario = Scenario(api.services, api.team)
    for pick in range(4):
        scenario.run("draft", pick)
    scenario.run("send", 1)
    caught_up(api)
    first = api.services.contracts.get_contract(api.team.legal, scenario.contracts[0])

    sent = api.call("GET", "/contracts", query_string={"status": "sent_for_signature"})
    by_creator = api.call("GET", "/contracts", query_string={"creator_id": first["creator_id"]})
    by_campaign = api.call("GET", "/contracts", query_string={"campaign": "Campaign 0"})
    since_first = api.call("GET", "/contracts", query_string={
        "created_from": first["created_at"].isoformat()})

    assert ids(sent, "contract_id") == [scenario.contracts[1]]
    assert scenario.contracts[0] in ids(by_creator, "contract_id")
    assert ids(by_campaign, "contract_id") == [scenario.contracts[3], scenario.contracts[0]]
    assert len(since_first.json["items"]) == 4


def test_contract_rows_carry_fee_dates_creator_and_what_is_owed(api: Api, world: World) -> None:
    contract_id = world.active
    caught_up(api)

    (row,) = [c for c in api.call("GET", "/contracts").json["items"]
              if c["contract_id"] == contract_id]

    assert row["status"] == "active" and row["creator_name"] == "Mia Chen"
    assert row["fee"] == {"amount": 100_000, "currency": "CNY"}
    assert row["sent_at"] and row["active_since"]
    assert row["deliverables_by_state"] == {"pending": 1}
    assert row["next_milestone"]["key"] == "signing"


def test_creators_filter_by_kind_platform_followers_and_name(api: Api, world: World) -> None:
    ops = api.team.ops
    api.services.creators.register_creator(ops, {
        "display_name": "Tiny Koc", "kind": "KOC", "categories": ["Food"],
        "handles": [{"platform": "xiaohongshu", "handle": "tiny", "followers": 900}]})
    world.make("creator")
    caught_up(api)

    def names(**query: object) -> list[str]:
        return ids(api.call("GET", "/creators", query_string=query), "display_name")

    assert names(kind="KOC") == ["Tiny Koc"]
    assert names(platform="xiaohongshu") == ["Tiny Koc"]
    assert names(category="food") == ["Tiny Koc"]
    assert names(min_followers=100_000) == ["Mia Chen"]
    assert names(q="tiny") == ["Tiny Koc"]


def test_sorting_and_cursors(api: Api, world: World) -> None:
    scenario = Scenario(api.services, api.team)
    for pick in (5, 3, 9, 1, 7):
        scenario.run("draft", pick)
    caught_up(api)

    first = api.call("GET", "/contracts", query_string={"sort": "title", "limit": 2})
    second = api.call("GET", "/contracts", query_string={
        "sort": "title", "limit": 2, "cursor": first.json["next_cursor"]})
    wrong_sort = api.call("GET", "/contracts", query_string={
        "sort": "-title", "cursor": first.json["next_cursor"]})

    assert ids(first, "title") == ["Contract 1", "Contract 3"]
    assert ids(second, "title") == ["Contract 5", "Contract 7"]
    assert wrong_sort.status_code == 422
    assert api.call("GET", "/contracts", query_string={"sort": "fee"}).status_code == 422
    assert api.call("GET", "/contracts", query_string={"limit": 0}).status_code == 422
    assert api.call("GET", "/contracts", query_string={"cursor": "bm9wZQ"}).status_code == 422


def test_paging_while_contracts_are_added_neither_skips_nor_repeats(api: Api,
                                                                    world: World) -> None:
    scenario = Scenario(api.services, api.team)
    for pick in range(9):
        scenario.run("draft", pick)
    caught_up(api)
    existing, seen, cursor = set(scenario.contracts), [], None

    while True:
        page = api.call("GET", "/contracts", query_string={"limit": 2, **(
            {"cursor": cursor} if cursor else {})})
        seen += ids(page, "contract_id")
        scenario.run("draft", 100 + len(seen))  # someone keeps drafting meanwhile
        caught_up(api)
        cursor = page.json["next_cursor"]
        if cursor is None:
            break

    assert len(seen) == len(set(seen))
    assert set(seen) >= existing


def test_a_list_waits_for_the_callers_own_write(api: Api, world: World,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # Starting every follower at once on a loaded 2-core CI box can take longer than
    # the 2 s a request normally waits; this test is about waiting, not about how long.
    monkeypatch.setattr("application.reading.lists.WAIT_SECONDS", 30.0)
    world.make("creator")
    caught_up(api)
    api.services.read_models.start()
    try:
        created = api.call("POST", "/contracts", json=world.new_contract_body())
        position = created.headers["X-Log-Position"]

        listed = api.call("GET", "/contracts", query_string={"after_position": position})
    finally:
        api.services.read_models.stop()

    assert ":" not in position  # sealed: the installation's counters stay its own
    assert created.json["id"] in ids(listed, "contract_id"), (listed.status_code,
                                                              dict(listed.headers))
    assert "X-Read-Model-Stale" not in listed.headers
    assert "contracts:" not in listed.headers["X-Read-Model-Position"]  # no counters


def test_a_list_that_cannot_catch_up_in_time_says_it_may_be_stale(
        api: Api, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("application.reading.lists.WAIT_SECONDS", 0.2)  # nothing follows
    world.make("creator")
    caught_up(api)
    created = api.call("POST", "/contracts", json=world.new_contract_body())

    listed = api.call("GET", "/contracts", query_string={
        "after_position": created.headers["X-Log-Position"]})

    assert listed.status_code == 200
    assert listed.headers["X-Read-Model-Stale"] == "true"
    assert created.json["id"] not in ids(listed, "contract_id")


def test_positions_from_other_logs_do_not_hold_a_list_up(api: Api, world: World) -> None:
    elsewhere = sealed(api, LogPosition("identity", 99999))
    listed = api.call("GET", "/contracts", query_string={"after_position": elsewhere})
    malformed = api.call("GET", "/contracts", query_string={"after_position": "soon"})
    counter = api.call("GET", "/contracts", query_string={"after_position": "contracts:5"})
    tampered = api.call("GET", "/contracts", query_string={"after_position": elsewhere[:-2]})

    assert listed.status_code == 200 and "X-Read-Model-Stale" not in listed.headers
    assert (malformed.status_code, counter.status_code, tampered.status_code) == (422,) * 3


def sealed(api: Api, position: LogPosition) -> str:
    """A position as the API hands them out (see web.positions)."""
    return PositionSeal(api.services.settings.cipher_key).seal(position)


def test_the_activity_feed_says_who_did_what_and_why(api: Api, world: World) -> None:
    contract_id = world.draft
    api.call("POST", f"/contracts/{contract_id}/cancel", json={"reason": "Budget cut"})
    caught_up(api)

    feed = api.call("GET", "/activity", role="auditor",
                    query_string={"aggregate_id": contract_id}).json["items"]

    assert [(e["event"], e["reason"]) for e in feed] == [("Cancelled", "Budget cut"),
                                                         ("Drafted", None)]
    assert feed[0]["actor"] == api.team.legal.user_id and feed[0]["aggregate"] == "Contract"


def test_the_activity_feed_lists_one_kind_of_record(api: Api, world: World) -> None:
    api.services.audit.verify(api.team.auditor, world.draft)
    caught_up(api)

    checks = api.call("GET", "/activity", role="auditor",
                      query_string={"aggregate": "ChainCheck"}).json["items"]

    assert checks and {e["aggregate"] for e in checks} == {"ChainCheck"}


def test_lists_keep_answering_during_concurrent_writes(api: Api, world: World) -> None:
    scenario, failures = Scenario(api.services, api.team), []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            status = api.client.get("/api/v1/contracts", headers={
                "Authorization": f"Bearer {api.team.tokens['legal']}"}).status_code
            if status != 200:
                failures.append(status)

    reader = threading.Thread(target=read)
    reader.start()
    for pick in range(10):
        scenario.run("draft", pick)
        caught_up(api)
    stop.set()
    reader.join()

    assert failures == []


def test_a_rebuild_leaves_every_list_response_identical(api: Api, world: World) -> None:
    scenario = Scenario(api.services, api.team)
    for pick in range(6):
        for command in ("new_creator", "draft", "send", "sign", "rename_creator"):
            scenario.run(command, pick)
    caught_up(api)
    queries = [("/contracts", {"limit": 3}), ("/contracts", {"sort": "title"}),
               ("/creators", {"sort": "display_name"}), ("/activity", {"limit": 200})]
    before = [api.call("GET", path, role="auditor", query_string=q).json for path, q in queries]

    for name in api.services.read_models.models:
        api.services.read_models.rebuild(name)

    after = [api.call("GET", path, role="auditor", query_string=q).json for path, q in queries]
    assert after == before


def test_creator_rows_follow_every_change_of_the_creator(api: Api, world: World) -> None:
    creator = world.creator
    api.services.payouts.open_payout_account(api.team.finance, creator, "CN", None,
                                             "https://x.test/r", "https://x.test/ok")
    api.services.creators.erase_personal_data(api.team.legal, creator, "PIPL request")
    caught_up(api)

    (row,) = [item for item in api.call("GET", "/creators", role="ops").json["items"]
              if item["creator_id"] == creator]
    record = api.call("GET", f"/creators/{creator}", role="ops").json
    assert row["version"] == record["version"]
    assert row["has_payout_account"] is True
