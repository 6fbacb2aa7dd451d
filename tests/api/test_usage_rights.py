"""Usage rights over HTTP: the check, its bad input, revocation, the calendar."""

from datetime import date, timedelta

from tests.api.conftest import Api, World
from tests.builders import event_count


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
