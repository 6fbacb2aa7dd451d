"""A creator's relationship over HTTP: notes, contacts, follow-ups due, an owner and
handovers (one creator, or all a leaving colleague owns); another brand's ids: 404."""

from datetime import date, timedelta

from tests.api.conftest import Api
from tests.builders import given_creator, given_team

SHARES_STORES = True


def test_ops_keep_notes_and_contacts_and_see_their_follow_ups_due(api: Api, clock) -> None:  # type: ignore[no-untyped-def]
    mine, later = given_creator(api.services, api.team), given_creator(api.services, api.team)
    for creator_id in (mine, later):
        api.call("POST", f"/creators/{creator_id}/owner", role="ops",
                 json={"owner_id": api.team.ops.user_id})
    today = date.today()

    noted = api.call("POST", f"/creators/{mine}/notes", role="ops",
                     json={"text": "Shoots only on weekends"})
    logged = api.call("POST", f"/creators/{mine}/contacts", role="ops", json={
        "channel": "wechat", "summary": "Keen on a spring live stream",
        "next_follow_up": today.isoformat()})
    api.call("POST", f"/creators/{later}/contacts", role="ops", json={
        "channel": "email", "summary": "Sent the brief",
        "next_follow_up": (today + timedelta(days=7)).isoformat()})
    api.services.read_models.catch_up()
    due = api.call("GET", "/creators/follow-ups", role="ops")
    next_week = api.call("GET", "/creators/follow-ups", role="ops", query_string={
        "due_by": (today + timedelta(days=7)).isoformat()})
    others = api.call("GET", "/creators/follow-ups", role="legal")

    assert noted.status_code == logged.status_code == 200
    assert logged.json["contacts"][0]["summary"] == "Keen on a spring live stream"
    assert logged.json["next_follow_up"] == today.isoformat()
    assert [c["creator_id"] for c in due.json["items"]] == [mine]
    assert [c["creator_id"] for c in next_week.json["items"]] == [mine, later]
    assert others.json["items"] == []  # legal owns none of them


def test_a_leaving_colleagues_creators_all_move_with_the_reason(api: Api) -> None:
    owned = [given_creator(api.services, api.team) for _ in range(3)]
    for creator_id in owned:
        api.services.creators.assign_owner(api.team.ops, creator_id, api.team.ops.user_id)
    api.services.read_models.catch_up()

    unexplained = api.call("POST", "/creators/hand-over", role="admin", json={
        "from_user_id": api.team.ops.user_id, "to_user_id": api.team.legal.user_id})
    moved = api.call("POST", "/creators/hand-over", role="admin", json={
        "from_user_id": api.team.ops.user_id, "to_user_id": api.team.legal.user_id,
        "reason": "Mia leaves the team"})

    assert unexplained.status_code == 422
    assert moved.status_code == 200 and sorted(moved.json["creator_ids"]) == sorted(owned)
    for creator_id in owned:
        assert api.call("GET", f"/creators/{creator_id}").json["owner_id"] == \
            api.team.legal.user_id


def test_bad_relationship_input_says_what_is_wrong_and_writes_nothing(api: Api) -> None:
    creator_id = given_creator(api.services, api.team)
    before = api.events()

    answers = [
        api.call("POST", f"/creators/{creator_id}/notes", role="ops", json={"text": ""}),
        api.call("POST", f"/creators/{creator_id}/contacts", role="ops",
                 json={"channel": "fax", "summary": "x"}),
        api.call("POST", f"/creators/{creator_id}/contacts", role="ops",
                 json={"channel": "email", "summary": "x", "next_follow_up": "soon"}),
        api.call("POST", f"/creators/{creator_id}/owner", role="ops",
                 json={"owner_id": api.team.finance.user_id}),
        api.call("POST", f"/creators/{creator_id}/notes", role="finance", json={"text": "x"}),
    ]

    assert [a.status_code for a in answers] == [422, 422, 422, 404, 403]
    assert all(a.content_type == "application/problem+json" for a in answers)
    assert api.events() == before


def test_another_brands_creators_and_people_are_not_found(api: Api) -> None:
    other = given_team(api.services)
    theirs, mine = given_creator(api.services, other), given_creator(api.services, api.team)
    before = api.events()

    answers = [
        api.call("POST", f"/creators/{theirs}/notes", role="ops", json={"text": "x"}),
        api.call("POST", f"/creators/{theirs}/contacts", role="ops",
                 json={"channel": "email", "summary": "x"}),
        api.call("POST", f"/creators/{theirs}/owner", role="ops",
                 json={"owner_id": api.team.ops.user_id}),
        api.call("POST", f"/creators/{mine}/owner", role="ops",
                 json={"owner_id": other.ops.user_id}),
        api.call("GET", "/creators/follow-ups", role="ops",
                 query_string={"owner_id": other.ops.user_id}),
        api.call("POST", "/creators/hand-over", role="ops", json={
            "from_user_id": other.ops.user_id, "to_user_id": api.team.ops.user_id,
            "reason": "x"}),
        api.call("POST", "/creators/hand-over", role="ops", json={
            "from_user_id": api.team.ops.user_id, "to_user_id": other.ops.user_id,
            "reason": "x"}),
    ]

    assert [a.status_code for a in answers] == [404] * len(answers)
    assert api.events() == before


def test_the_directory_keeps_each_creators_cooperation_record_and_filters_by_it(
        api: Api) -> None:
    from tests.builders import given_active_contract, given_published

    punctual = given_active_contract(api.services, api.team)
    given_published(api.services, api.team, punctual)
    never = given_creator(api.services, api.team)
    api.services.read_models.catch_up()
    creator_id = api.services.contracts.get_contract(api.team.legal, punctual)["creator_id"]

    worked = api.call("GET", "/creators", query_string={"worked_with": "true"})
    on_time = api.call("GET", "/creators", query_string={"min_on_time_pct": 90})
    latest = api.call("GET", "/creators", query_string={"sort": "-last_worked_with",
                                                        "limit": 1})
    everyone = {c["creator_id"]: c for c in api.call("GET", "/creators").json["items"]}

    assert [c["creator_id"] for c in worked.json["items"]] == [creator_id]
    assert [c["creator_id"] for c in on_time.json["items"]] == [creator_id]
    assert [c["creator_id"] for c in latest.json["items"]] == [creator_id]
    assert latest.json["next_cursor"] is None  # those never worked with are not in it
    record = everyone[creator_id]["cooperation"]
    assert (record["contracts"], record["published"], record["on_time"], record["late"]) == \
        (1, 1, 1, 0)
    assert everyone[never]["cooperation"]["contracts"] == 0


def test_creators_are_found_by_what_they_charge_for_a_format(api: Api) -> None:
    def priced(low: int, high: int, currency: str = "CNY") -> str:
        return str(api.services.creators.register_creator(api.team.ops, {
            "display_name": f"Creator {low}", "kind": "KOC", "handles": [],
            "price_ranges": [{"format": "short_video", "currency": currency,
                              "min_amount": low, "max_amount": high}]})["id"])

    cheap, dear, dollars = priced(100_000, 300_000), priced(900_000, 1_500_000), priced(
        100_000, 200_000, "USD")
    api.services.read_models.catch_up()

    found = api.call("GET", "/creators", query_string={
        "price_format": "short_video", "price_currency": "CNY", "max_price": 500_000})
    upper = api.call("GET", "/creators", query_string={"price_currency": "CNY",
                                                        "min_price": 1_000_000})
    live = api.call("GET", "/creators", query_string={"price_format": "live_stream"})

    assert [c["creator_id"] for c in found.json["items"]] == [cheap]
    assert [c["creator_id"] for c in upper.json["items"]] == [dear]
    assert live.json["items"] == [] and dollars not in {c["creator_id"] for c in
                                                         found.json["items"]}


def test_a_missed_target_shows_in_the_cooperation_record(api: Api, clock) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from application.rights.make_goods import rule_id
    from tests.builders import REPOST_RIGHT, VIEWS_RULE, given_active_contract, given_published
    from tests.builders import valid_terms as terms

    since = datetime.now(UTC)
    contract_id = given_active_contract(api.services, api.team, terms(
        usage_rights=[REPOST_RIGHT], make_goods=[VIEWS_RULE]))
    video = given_published(api.services, api.team, contract_id)
    api.services.run_policies()
    api.services.deliverables.record_metrics(api.team.ops, video, {
        "source": "douyin", "measured_at": api.services.deliverables.clock.now(),
        "counts": {"views": 1_000}})
    clock.advance(days=8)
    api.services.make_goods.evaluate_due([str(rule_id(contract_id, "views"))])
    api.services.run_policies()
    api.services.read_models.catch_up()
    creator_id = api.services.contracts.get_contract(api.team.legal, contract_id)["creator_id"]

    recent = api.call("GET", "/creators", query_string={"worked_with_since": since.isoformat()})
    later = api.call("GET", "/creators", query_string={
        "worked_with_since": "2099-01-01T00:00:00+00:00"})

    (found,) = recent.json["items"]
    assert found["creator_id"] == creator_id
    assert found["cooperation"]["make_goods_breached"] == 1
    assert later.json["items"] == []


def test_a_creators_cooperation_record_has_contracts_money_and_costs(api: Api) -> None:
    from tests.builders import given_active_contract, given_published

    contract_id = given_active_contract(api.services, api.team)
    video = given_published(api.services, api.team, contract_id)
    api.services.deliverables.record_metrics(api.team.ops, video, {
        "source": "douyin", "measured_at": api.services.deliverables.clock.now(),
        "counts": {"engaged_views": 4_000}})
    api.services.run_policies()
    api.services.read_models.catch_up()
    contract = api.services.contracts.get_contract(api.team.legal, contract_id)
    fee = contract["terms"].fee

    record = api.call("GET", f"/creators/{contract['creator_id']}/cooperation",
                      role="auditor").json
    theirs = given_creator(api.services, given_team(api.services))
    hidden = api.call("GET", f"/creators/{theirs}/cooperation", role="auditor")

    assert (record["contracts"], record["published"], record["on_time_pct"]) == (1, 1, 100)
    assert [c["contract_id"] for c in record["contract_list"]] == [contract_id]
    assert record["money"][fee.currency]["committed"] == fee.amount
    (lens,) = record["cost_lens"]
    assert (lens["currency"], lens["engaged_views"]) == (fee.currency, 4_000)
    assert lens["cost_per_engaged_view"] is not None
    assert hidden.status_code == 404
