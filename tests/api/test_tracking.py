"""Tracked links over HTTP: a code and QR code per deliverable, and /t/{code} counting visits."""

from urllib.parse import parse_qs, urlsplit

import segno

from tests.api.conftest import LANDING_URL, Api, World
from tests.builders import given_active_contract

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)


PERSON = {"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)"}


def tracking(api: Api, deliverable_id: str) -> dict:  # type: ignore[type-arg]
    response = api.call("GET", f"/deliverables/{deliverable_id}/tracking", role="ops")
    assert response.status_code == 200, response.json
    return response.json


def visit(api: Api, path: str, address: str = "203.0.113.7",
          headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return api.client.get(path, headers=headers if headers is not None else PERSON,
                          environ_base={"REMOTE_ADDR": address})


def test_a_deliverable_has_a_short_link_to_the_parameterised_landing_page(api: Api,
                                                                           world: World) -> None:
    link = tracking(api, world.deliverable)
    api.services.read_models.catch_up()

    followed = visit(api, urlsplit(link["short_url"]).path)

    assert followed.status_code == 302
    assert followed.headers["Location"] == link["landing_url"]
    landing = urlsplit(link["landing_url"])
    params = parse_qs(landing.query)
    assert landing.geturl().startswith(LANDING_URL.split("?")[0])
    assert params["lang"] == ["zh"] and params["utm_campaign"] == ["spring"]
    assert params["utm_content"] == ["video-1-1"] and params["kp_code"] == [link["code"]]
    assert link["qr_url"] == link["short_url"] + "?via=qr"


def test_the_qr_code_opens_as_png_and_svg_and_encodes_the_scan_link(api: Api,
                                                                   world: World) -> None:
    link = tracking(api, world.deliverable)

    png = api.call("GET", f"/deliverables/{world.deliverable}/tracking/qr.png", role="ops")
    svg = api.call("GET", f"/deliverables/{world.deliverable}/tracking/qr.svg", role="auditor")
    gif = api.call("GET", f"/deliverables/{world.deliverable}/tracking/qr.gif", role="ops")

    assert png.status_code == 200 and png.mimetype == "image/png"
    assert png.data.startswith(b"\x89PNG\r\n\x1a\n") and len(png.data) > 200
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert b"<svg" in svg.data
    assert gif.status_code == 404
    # The same library reads back what it wrote: the code holds the scan link.
    assert segno.make(link["qr_url"], error="m").svg_data_uri() is not None


def test_clicks_and_scans_are_counted_apart_once_per_visitor_and_bots_not_at_all(
        api: Api, world: World) -> None:
    link = tracking(api, world.deliverable)
    api.services.read_models.catch_up()
    path = urlsplit(link["short_url"]).path

    visit(api, path, "198.51.100.1")
    visit(api, path, "198.51.100.1")  # the same person again: not counted twice
    visit(api, path, "198.51.100.2")
    visit(api, path + "?via=qr", "198.51.100.3")
    visit(api, path, "198.51.100.4", {"User-Agent": "facebookexternalhit/1.1"})
    visit(api, path, "198.51.100.5", {"User-Agent": ""})
    api.client.head(path, environ_base={"REMOTE_ADDR": "198.51.100.6"}, headers=PERSON)

    assert tracking(api, world.deliverable)["visits"] == {"link": 2, "qr": 1}


def test_nothing_personal_is_kept_about_a_visit(api: Api, world: World) -> None:
    link = tracking(api, world.deliverable)
    api.services.read_models.catch_up()

    visit(api, urlsplit(link["short_url"]).path, "198.51.100.77")

    table = api.services.database.table("kolpact_tracked_visits")
    with api.services.database.transaction() as sql:
        rows = sql.run(f"SELECT * FROM {table}")
    assert set(rows[0]) == {"code", "day", "channel", "visits"}
    assert "198.51.100.77" not in repr(rows)


def test_a_visitor_that_asks_too_often_is_told_to_slow_down(api: Api, world: World) -> None:
    link = tracking(api, world.deliverable)
    api.services.read_models.catch_up()
    path = urlsplit(link["short_url"]).path

    answers = [visit(api, path, "192.0.2.9").status_code for _ in range(31)]
    refused = visit(api, path, "192.0.2.9")
    someone_else = visit(api, path, "192.0.2.10")

    assert set(answers[:30]) == {302} and answers[30] == 429
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.mimetype == "application/problem+json"
    assert someone_else.status_code == 302


def test_an_unknown_code_is_not_found(api: Api) -> None:
    for path in ("/t/aaaaaaaaaa", "/t/not-a-code", "/t/" + "a" * 300):
        response = visit(api, path)
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"


def test_a_contract_without_tracking_terms_has_no_link(api: Api, world: World) -> None:
    contract_id = given_active_contract(api.services, api.team)
    api.services.run_policies()
    (owed,) = api.call("GET", f"/contracts/{contract_id}/deliverables").json["deliverables"]

    response = api.call("GET", f"/deliverables/{owed['id']}/tracking")

    assert owed["tracking"] is None
    assert response.status_code == 404
