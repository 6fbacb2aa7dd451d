"""Metrics over HTTP: snapshots appended, CSV imports all-or-nothing, summaries by scope."""

import io
from datetime import UTC, datetime, timedelta

from domain.tracking import tracking_code
from tests.api.conftest import Api, World
from tests.builders import event_count, given_team

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)


NOW = datetime.now(UTC).replace(microsecond=0)


def at(hours_ago: int) -> str:
    return (NOW - timedelta(hours=hours_ago)).isoformat()


def csv_import(api: Api, text: str, role: str = "ops", source: str | None = "douyin export",
               **kwargs):  # type: ignore[no-untyped-def]
    query = f"?source={source}" if source else ""
    return api.call("POST", f"/metrics/imports{query}", role=role, data=text.encode(),
                    headers={"Content-Type": "text/csv", **kwargs.pop("headers", {})}, **kwargs)


def test_snapshots_are_appended_and_never_overwritten(api: Api, world: World) -> None:
    path = f"/deliverables/{world.published}/metrics"
    first = {"source": "manual", "measured_at": at(5), "counts": {"views": 1000, "likes": 10}}
    second = {"source": "manual", "measured_at": at(1), "counts": {"views": 1500},
              "revenue": {"amount": 9900, "currency": "CNY"}}

    recorded = [api.call("POST", path, role="ops", json=body).status_code
                for body in (first, second, first)]

    listed = api.call("GET", path, role="auditor").json["snapshots"]
    assert recorded == [200, 200, 200]
    assert [s["counts"] for s in listed] == [{"views": 1000, "likes": 10}, {"views": 1500}]
    assert listed[1]["revenue"] == {"amount": 9900, "currency": "CNY"}


def test_a_bad_snapshot_is_refused_and_nothing_is_stored(api: Api, world: World) -> None:
    world.make("published", "deliverable")
    path = f"/deliverables/{world.published}/metrics"
    before = event_count(api.services)
    bad = [{"source": "manual", "measured_at": at(0), "counts": {"impressions": 5}},
           {"source": "manual", "measured_at": at(0), "counts": {"views": -5}},
           {"source": "manual", "measured_at": "2026-01-01T00:00:00", "counts": {"views": 5}},
           {"source": "manual", "measured_at": (NOW + timedelta(days=2)).isoformat(),
            "counts": {"views": 5}},
           {"source": "manual", "measured_at": at(0), "counts": {}},
           {"measured_at": at(0), "counts": {"views": 5}}]

    statuses = {api.call("POST", path, role="ops", json=body).status_code for body in bad}
    unpublished = api.call("POST", f"/deliverables/{world.deliverable}/metrics", role="ops",
                           json={"source": "m", "measured_at": at(0), "counts": {"views": 1}})

    assert statuses <= {400, 422} and unpublished.status_code == 409
    assert event_count(api.services) == before


def test_a_platform_export_is_imported_whole(api: Api, world: World) -> None:
    code = tracking_code(world.published)
    api.services.read_models.catch_up()
    text = ("作品,deliverable,日期,播放量,点赞数,成交金额,币种\n"
            f"晨间护肤,{world.published},{at(30)},1.2万,800,1234.50,CNY\n"
            f"晨间护肤,{code},{at(2)},\"15,000\",900,,\n")

    imported = csv_import(api, text)
    again = csv_import(api, text)

    assert imported.status_code == 201, imported.json
    assert imported.json == {"rows": 2, "recorded": 2, "duplicates": 0,
                             "deliverable_ids": [world.published]}
    assert again.json["recorded"] == 0 and again.json["duplicates"] == 2
    snapshots = api.call("GET", f"/deliverables/{world.published}/metrics").json["snapshots"]
    assert [s["counts"]["views"] for s in snapshots] == [12000, 15000]


def test_one_bad_row_refuses_the_whole_file_with_every_rows_problem(api: Api,
                                                                    world: World) -> None:
    world.make("published", "deliverable")
    before = event_count(api.services)
    text = ("deliverable,date,views,likes\n"
            f"{world.published},{at(3)},100,5\n"
            f"{world.deliverable},{at(3)},100,5\n"
            f"{world.published},not a date,lots,5\n"
            f"00000000-0000-0000-0000-000000000000,{at(3)},1,1\n")

    refused = csv_import(api, text)

    assert refused.status_code == 422
    assert refused.mimetype == "application/problem+json"
    assert set(refused.json["errors"]) == {"rows[3].deliverable", "rows[4].measured_at",
                                           "rows[4].views", "rows[5].deliverable"}
    assert event_count(api.services) == before


def test_imports_take_multipart_uploads_and_refuse_other_bodies(api: Api, world: World) -> None:
    text = f"deliverable,date,source,views\n{world.published},{at(1)},douyin,10\n"

    uploaded = api.call("POST", "/metrics/imports", role="ops",
                        data={"file": (io.BytesIO(text.encode("gb18030")), "export.csv")},
                        content_type="multipart/form-data")
    as_json = api.call("POST", "/metrics/imports", role="ops", json={"csv": text})
    no_file = api.call("POST", "/metrics/imports", role="ops", data={},
                       content_type="multipart/form-data")

    assert uploaded.status_code == 201, uploaded.json
    assert (as_json.status_code, no_file.status_code) == (415, 422)


def test_only_ops_imports_and_other_brands_deliverables_are_not_found(api: Api,
                                                                      world: World) -> None:
    text = f"deliverable,date,views\n{world.published},{at(1)},10\n"
    other = given_team(api.services)
    before = event_count(api.services)

    by_finance = csv_import(api, text, role="finance")
    by_other_brand = api.call("POST", "/metrics/imports?source=x", role=None,
                              data=text.encode(), headers={
                                  "Content-Type": "text/csv",
                                  "Authorization": f"Bearer {other.tokens['ops']}"})

    assert by_finance.status_code == 403
    assert by_other_brand.status_code == 422
    assert by_other_brand.json["errors"] == {"rows[2].deliverable": "No deliverable with that id."}
    assert event_count(api.services) == before


def test_the_summary_adds_up_the_latest_figures_per_deliverable_contract_and_campaign(
        api: Api, world: World) -> None:
    published = world.published
    contract_id = api.call("GET", f"/deliverables/{published}").json["contract_id"]
    path = f"/deliverables/{published}/metrics"
    api.call("POST", path, role="ops", json={
        "source": "douyin", "measured_at": at(5), "counts": {"views": 100, "likes": 5},
        "revenue": {"amount": 1000, "currency": "CNY"}})
    api.call("POST", path, role="ops", json={
        "source": "douyin", "measured_at": at(1), "counts": {"views": 300}})
    api.call("POST", path, role="ops", json={  # imported late: older than what is known
        "source": "manual", "measured_at": at(9), "counts": {"views": 50, "orders": 2}})
    api.services.read_models.catch_up()

    by_deliverable = api.call("GET", f"/metrics/summary?deliverable_id={published}")
    by_contract = api.call("GET", f"/metrics/summary?contract_id={contract_id}",
                           role="finance")
    campaign = api.services.contracts.get_contract(api.team.legal, contract_id)["campaign"]
    by_campaign = api.call("GET", f"/metrics/summary?campaign={campaign}") if campaign \
        else by_contract

    for summary in (by_deliverable.json, by_contract.json, by_campaign.json):
        assert summary["totals"] == {"likes": 5, "orders": 2, "views": 300}
        assert summary["revenue"] == [{"amount": 1000, "currency": "CNY"}]
    assert by_contract.json["deliverables"] == 1
    assert by_contract.json["by_deliverable"][0]["deliverable_id"] == published


def test_the_summary_needs_exactly_one_scope_within_ones_brands(api: Api, world: World) -> None:
    none = api.call("GET", "/metrics/summary")
    two = api.call("GET", f"/metrics/summary?deliverable_id={world.deliverable}"
                          f"&campaign=x")
    unknown = api.call("GET", "/metrics/summary?deliverable_id="
                              "00000000-0000-0000-0000-000000000000")
    other = given_team(api.services)
    other_brand = api.call("GET", f"/metrics/summary?deliverable_id={world.deliverable}",
                           role=None, headers={"Authorization": f"Bearer {other.tokens['ops']}"})

    assert (none.status_code, two.status_code, unknown.status_code, other_brand.status_code) \
        == (422, 422, 404, 404)


def test_a_retried_import_with_its_idempotency_key_answers_the_same_and_acts_once(
        api: Api, world: World) -> None:
    text = f"deliverable,date,views\n{world.published},{at(2)},10\n"

    first = csv_import(api, text, headers={"Idempotency-Key": "import-1"})
    before = event_count(api.services)
    retried = csv_import(api, text, headers={"Idempotency-Key": "import-1"})
    other_file = csv_import(api, text.replace(",10", ",11"),
                            headers={"Idempotency-Key": "import-1"})

    assert first.status_code == retried.status_code == 201
    assert retried.json == first.json and retried.headers["Idempotent-Replayed"] == "true"
    assert other_file.status_code == 422
    assert event_count(api.services) == before


def test_the_cost_lens_divides_cost_by_results_and_refuses_bad_questions(
        api: Api, world: World) -> None:
    published = world.published
    contract_id = api.call("GET", f"/deliverables/{published}").json["contract_id"]
    api.call("POST", f"/deliverables/{published}/metrics", role="ops", json={
        "source": "douyin", "measured_at": at(1),
        "counts": {"engaged_views": 25_000, "follows": 400, "orders": 0}})
    api.services.read_models.catch_up()

    by_contract = api.call("GET", "/metrics/cost-lens", role="finance", query_string={
        "by": "contract", "contract_id": contract_id})
    by_deliverable = api.call("GET", "/metrics/cost-lens", query_string={
        "by": "deliverable", "contract_id": contract_id})
    bad = [api.call("GET", "/metrics/cost-lens", query_string=query) for query in (
        {"by": "brand"}, {"creator_id": "nobody"}, {"currency": "cny"}, {"campaign": ""})]

    (row,) = by_contract.json["rows"]
    assert row["contract_id"] == contract_id and row["cost"] == 100_000
    assert row["cost_per_engaged_view"] == "0.0400" and row["cost_per_follower"] == "2.5000"
    assert row["cost_per_order"] is None
    (deliverable,) = by_deliverable.json["rows"]
    assert deliverable["deliverable_id"] == published and deliverable["cost"] == 100_000
    assert [(r.status_code, list(r.json["errors"])) for r in bad] == [
        (422, ["by"]), (422, ["creator_id"]), (422, ["currency"]), (422, ["campaign"])]
