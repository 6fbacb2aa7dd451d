"""Usage rights over HTTP: the check, its bad input, revocation, the calendar."""

from datetime import date, timedelta

from tests.api.conftest import Api, World
from tests.builders import event_count

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)


def test_the_check_answers_with_the_right_or_why_not(api: Api, world: World) -> None:
    path = f"/usage-rights/check?deliverable_id={world.deliverable}&territory=CN"
    later = (date.today() + timedelta(days=200)).isoformat()

    allowed = api.call("GET", f"{path}&channel=paid_ads", role="auditor")
    expired = api.call("GET", f"{path}&channel=paid_ads&date={later}", role="auditor")
    elsewhere = api.call("GET", f"/usage-rights/check?deliverable_id={world.deliverable}"
                                "&territory=us&channel=paid_ads", role="ops")

    assert allowed.json["allowed"] is True and allowed.json["right_key"] == "repost"
    assert expired.json["allowed"] is False and expired.json["why"].startswith("expired on")
    assert elsewhere.json["why"] == "not granted in US"


def test_bad_questions_get_clear_errors(api: Api, world: World) -> None:
    base = "/usage-rights/check?territory=CN&channel=paid_ads"

    unknown_channel = api.call("GET", f"/usage-rights/check?deliverable_id={world.deliverable}"
                                      "&territory=CN&channel=billboards")
    bad_date = api.call("GET", f"{base}&deliverable_id={world.deliverable}&date=someday")
    bad_territory = api.call("GET", f"/usage-rights/check?deliverable_id={world.deliverable}"
                                    "&territory=Mars&channel=paid_ads")
    no_deliverable = api.call("GET", base)
    unknown = api.call("GET", f"{base}&deliverable_id=00000000-0000-0000-0000-000000000000")

    assert [r.status_code for r in (unknown_channel, bad_date, bad_territory, no_deliverable)] \
        == [422] * 4
    assert set(unknown_channel.json["errors"]) == {"channel"}
    assert unknown.status_code == 404
    assert unknown.mimetype == "application/problem+json"


def test_revoking_needs_a_reason_and_then_the_check_refuses(api: Api, world: World) -> None:
    world.make("right")
    before = event_count(api.services)

    no_reason = api.call("POST", f"/usage-rights/{world.right}/revoke", json={})
    revoked = api.call("POST", f"/usage-rights/{world.right}/revoke",
                       json={"reason": "Creator withdrew consent"})
    check = api.call("GET", f"/usage-rights/check?deliverable_id={world.deliverable}"
                            "&territory=CN&channel=paid_ads")

    assert no_reason.status_code == 422
    assert revoked.json["status"] == "revoked" and revoked.json["revoked"]["reason"]
    assert check.json["why"].startswith("revoked on")
    assert event_count(api.services) == before + 1


def test_the_calendar_refuses_bad_filters_and_stores_nothing(api: Api, world: World) -> None:
    before = event_count(api.services)

    answers = [api.call("GET", "/usage-rights", query_string=query) for query in (
        {"expiring_within": "-1"}, {"expiring_within": "soon"}, {"status": "lapsed"},
        {"channel": "billboards"}, {"creator_id": "mia"}, {"sort": "fee"},
        {"limit": "0"}, {"brand_id": "00000000-0000-0000-0000-000000000000"})]

    assert [a.status_code for a in answers[:7]] == [422] * 7
    assert [list(a.json["errors"]) for a in answers[:7]] == [
        ["expiring_within"], ["expiring_within"], ["status"], ["channel"], ["creator_id"],
        ["sort"], ["limit"]]
    assert answers[7].status_code in (403, 404)  # not the caller's brand
    assert all(a.mimetype == "application/problem+json" for a in answers)
    assert event_count(api.services) == before


def test_the_make_goods_board_lists_rules_and_waiving_needs_legal_and_a_reason(
        api: Api, world: World) -> None:
    world.make("rule")
    api.services.read_models.catch_up()
    before = event_count(api.services)

    armed = api.call("GET", "/make-goods", role="auditor", query_string={"status": "armed"})
    bad = [api.call("GET", "/make-goods", query_string=query) for query in (
        {"status": "broken"}, {"remedy": "apology"}, {"window_closed": "maybe"},
        {"sort": "threshold"})]
    no_reason = api.call("POST", f"/make-goods/{world.rule}/waive", json={})
    blank_reason = api.call("POST", f"/make-goods/{world.rule}/waive", json={"reason": "  "})
    by_ops = api.call("POST", f"/make-goods/{world.rule}/waive", role="ops",
                      json={"reason": "Campaign cancelled"})
    unknown = api.call("POST", "/make-goods/00000000-0000-0000-0000-000000000000/waive",
                       json={"reason": "Campaign cancelled"})
    stored_nothing = event_count(api.services) == before
    waived = api.call("POST", f"/make-goods/{world.rule}/waive",
                      json={"reason": "Platform outage during the window"})
    twice = api.call("POST", f"/make-goods/{world.rule}/waive",
                     json={"reason": "Platform outage during the window"})
    api.services.read_models.catch_up()
    (row,) = api.call("GET", "/make-goods", query_string={"status": "waived"}).json["items"]

    assert world.rule in [r["rule_id"] for r in armed.json["items"]]
    assert [b.status_code for b in bad] == [422] * 4
    assert [list(b.json["errors"]) for b in bad] == [["status"], ["remedy"], ["window_closed"],
                                                     ["sort"]]
    assert (no_reason.status_code, blank_reason.status_code, by_ops.status_code,
            unknown.status_code) == (422, 422, 403, 404)
    assert stored_nothing
    assert waived.status_code == 200 and waived.json["status"] == "waived"
    assert twice.status_code == 409
    assert row["rule_id"] == world.rule and row["waive_reason"].startswith("Platform")
