"""Creators from a spreadsheet, on the stores with a directory: a dry run that writes
nothing, an import of every row or none (or of the valid rows), deduplicated by
platform handle, an error file to fix, and the directory exported back."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from application.common.spreadsheets import read_sheet
from application.errors import RoleNotAllowed
from domain.errors import InvalidValue
from domain.values import to_primitive
from tests.builders import event_count, given_team

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)

HEADER = "name,kind,platform,handle,followers,engagement rate,categories,prices,wechat\n"


def sheet(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


def directory(services, team, **filters) -> list[dict]:  # type: ignore[no-untyped-def]
    services.read_models.catch_up()
    return services.lists.creators(team.ops, filters=filters, sort="display_name",
                                   limit=200).page.items


def test_a_dry_run_says_what_each_row_would_do_and_writes_nothing(durable_services) -> None:
    services = durable_services
    team = given_team(services)
    services.creator_imports.import_sheet(team.ops, sheet("Lin,KOC,xiaohongshu,lin.mei,8000,,,,"))
    before = event_count(services)

    report = services.creator_imports.check(team.ops, sheet(
        "Lin Xiaomei,KOC,小红书,@Lin.Mei,1.2万,4.5%,beauty、skincare,,",
        "Mia Chen,KOL,douyin,mia,120000,3.1,beauty,short_video CNY 8000-12000,mia_wx",
        ",,douyin,nobody,,,,,",
        "Bad,KOX,myspace,bad,lots,,,,"))

    assert event_count(services) == before
    assert (report["create"], report["update"], report["refused"], report["written"]) == (
        1, 1, 2, False)
    update, create, unnamed, bad = report["items"]
    assert (update["action"], update["line"]) == ("update", 2) and update["creator_id"]
    assert create["action"] == "create"
    assert unnamed["problems"] == {"name": "a new creator needs one",
                                   "kind": "a new creator needs one"}
    assert set(bad["problems"]) == {"kind", "platform", "followers"}


def test_an_import_writes_every_row_or_none(durable_services) -> None:
    services = durable_services
    team = given_team(services)
    before = event_count(services)

    with pytest.raises(InvalidValue) as refused:
        services.creator_imports.import_sheet(team.ops, sheet(
            "Mia Chen,KOL,douyin,mia,120000,3.1,beauty,,", "Bad,KOL,douyin,bad,-5,,,,"))

    assert event_count(services) == before
    assert refused.value.errors == {"rows[3].followers": "'-5' is not a whole count, zero or more"}


def test_an_import_of_the_valid_rows_leaves_the_others_for_the_error_file(
        durable_services) -> None:
    services = durable_services
    team = given_team(services)
    upload = sheet("Mia Chen,KOL,douyin,mia,1.2万,3.1%,beauty; skincare,"
                   "short_video CNY 8000-12000; live_stream CNY 20000,mia_wx",
                   "Bad,KOL,douyin,bad,-5,,,,", "Again,KOL,douyin,MIA,,,,,")

    report = services.creator_imports.import_sheet(team.ops, upload, valid_rows_only=True)
    fmt, errors = services.creator_imports.error_file(team.ops, upload)

    assert (report["create"], report["refused"], report["written"]) == (1, 2, True)
    (mia,) = directory(services, team)
    assert (mia["display_name"], mia["kind"], mia["owner_id"]) == ("Mia Chen", "KOL",
                                                                   team.ops.user_id)
    assert mia["handles"] == [{"platform": "douyin", "handle": "mia", "followers": 12000,
                               "engagement_rate_bp": 310}]
    assert mia["category_list"] == ["beauty", "skincare"]
    assert [(p["format"], p["min_amount"], p["max_amount"]) for p in mia["price_ranges"]] == [
        ("short_video", 800000, 1200000), ("live_stream", 2000000, 2000000)]
    shown = services.creators.get_creator(team.ops, mia["creator_id"])
    assert shown["contact"].wechat_id == "mia_wx"
    error_rows = read_sheet(errors, 10).rows
    assert fmt == "csv" and [row.cells[3] for row in error_rows] == ["bad", "MIA"]
    assert error_rows[1].cells[-1] == "handle: repeats the handle of line 2"


def test_an_update_changes_only_what_the_row_gives(durable_services) -> None:
    services = durable_services
    team = given_team(services)
    services.creator_imports.import_sheet(team.ops, sheet(
        "Mia Chen,KOL,douyin,mia,120000,3.1,beauty,short_video CNY 8000 ; post CNY 3000,"
        "mia_wx"))
    creator_id = directory(services, team)[0]["creator_id"]
    services.creators.update_profile(team.ops, creator_id, {"handles": [
        {"platform": "douyin", "handle": "mia", "followers": 120000},
        {"platform": "weibo", "handle": "mia_wb", "followers": 5000}]})

    report = services.creator_imports.import_sheet(team.ops, sheet(
        ",,douyin,Mia,130000,,,post CNY 3500,", ",,weibo,mia_wb,,,,,"))

    assert [item["action"] for item in report["items"]] == ["update", "unchanged"]
    profile = to_primitive(services.creators.creator_for(team.ops, creator_id).profile)
    assert [(h["handle"], h["followers"]) for h in profile["handles"]] == [
        ("mia", 130000), ("mia_wb", 5000)]
    assert {(p["format"], p["min_amount"]) for p in profile["price_ranges"]} == {
        ("short_video", 800000), ("post", 350000)}
    assert profile["display_name"] == "Mia Chen" and profile["categories"] == ["beauty"]
    assert profile["contact"]["wechat_id"] == "mia_wx"


def test_another_brands_handles_are_not_matched_or_touched(durable_services) -> None:
    services = durable_services
    team, other = given_team(services), given_team(services)
    services.creator_imports.import_sheet(other.ops, sheet("Mia Chen,KOL,douyin,mia,,,,,"))
    theirs = directory(services, other)[0]

    report = services.creator_imports.import_sheet(team.ops, sheet("Mia,KOL,douyin,mia,9,,,,"))

    assert report["items"][0]["action"] == "create"
    assert report["items"][0]["creator_id"] != theirs["creator_id"]
    assert directory(services, other)[0]["display_name"] == "Mia Chen"


def test_a_handle_given_up_and_imported_again_makes_a_new_creator(durable_services) -> None:
    services = durable_services
    team = given_team(services)
    services.creator_imports.import_sheet(team.ops, sheet("Mia,KOL,douyin,mia,,,,,"))
    first = directory(services, team)[0]["creator_id"]
    services.creators.update_profile(team.ops, first, {"handles": [
        {"platform": "douyin", "handle": "mia_new"}]})

    report = services.creator_imports.import_sheet(team.ops, sheet("Mia,KOL,douyin,mia,,,,,"))

    assert report["items"][0]["action"] == "create"
    assert len(directory(services, team)) == 2


def test_bad_files_are_refused_whole(durable_services) -> None:
    services = durable_services
    team = given_team(services)

    with pytest.raises(InvalidValue) as missing:
        services.creator_imports.check(team.ops, b"name,kind,followers\nMia,KOL,1\n")
    with pytest.raises(InvalidValue, match="UTF-8"):
        services.creator_imports.check(team.ops, b"\xff\xfe\x00 not text \x81\x00")
    with pytest.raises(InvalidValue, match="XLSX"):
        services.creator_imports.check(team.ops, b"PK\x03\x04 not really a workbook")
    with pytest.raises(InvalidValue, match="no rows"):
        services.creator_imports.check(team.ops, HEADER.encode())

    assert missing.value.errors == {"file.platform": "needs a platform column",
                                    "file.handle": "needs a handle column"}


def test_chinese_headers_in_gbk_or_utf8_with_a_bom(durable_services) -> None:
    services = durable_services
    team = given_team(services)
    text = "达人昵称,类型,平台,账号,粉丝数,互动率\n林小美,KOC,小红书,linxm,3.2万,5.1%\n"

    for raw in (text.encode("gbk"), text.encode("utf-8-sig")):
        report = services.creator_imports.check(team.ops, raw)
        assert report["items"][0]["action"] == "create", report

    services.creator_imports.import_sheet(team.ops, text.encode("gbk"))
    (lin,) = directory(services, team)
    assert (lin["display_name"], lin["handles"][0]["platform"], lin["total_followers"],
            lin["best_engagement_bp"]) == ("林小美", "xiaohongshu", 32000, 510)


def test_a_workbook_imports_and_the_export_reads_back(durable_services) -> None:
    services = durable_services
    team = given_team(services)
    book = Workbook()
    book.active.append(["Name", "Kind", "Platform", "Handle", "Followers", "Engagement rate"])
    book.active.append(["Mia Chen", "KOL", "douyin", "mia", 120000, 0.031])
    book.active["F2"].number_format = "0.0%"
    book.active.append(["=HYPERLINK(\"x\")", "KOC", "weibo", "eq", 10, "2%"])
    book.active["A3"].data_type = "s"  # a name that looks like a formula, typed as text
    upload = io.BytesIO()
    book.save(upload)

    services.creator_imports.import_sheet(team.ops, upload.getvalue())
    exported = services.creator_imports.export(team.ops, {}, format="xlsx")
    again = services.creator_imports.check(team.ops, exported)
    as_csv = services.creator_imports.export(team.ops, {"kind": "KOC"})

    rows = list(load_workbook(io.BytesIO(exported)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("name", "kind", "platform", "handle")
    assert {row[0] for row in rows[1:]} == {"Mia Chen", "=HYPERLINK(\"x\")"}
    mia = next(row for row in rows if row[0] == "Mia Chen")
    assert (mia[4], mia[5], mia[8]) == (120000, "3.1%", "active")
    assert [item["action"] for item in again["items"]] == ["unchanged", "unchanged"]
    first_cell = next(csv.reader(as_csv.decode("utf-8-sig").splitlines()[1:]))[0]
    assert first_cell == "'=HYPERLINK(\"x\")"  # a spreadsheet shows it, never runs it


def test_only_ops_import_and_every_reader_exports(durable_services) -> None:
    services = durable_services
    team = given_team(services)

    for role in ("legal", "finance", "auditor", "admin"):
        with pytest.raises(RoleNotAllowed):
            services.creator_imports.check(getattr(team, role), sheet("Mia,KOL,douyin,m,,,,,"))
    for role in ("legal", "finance", "auditor"):
        assert services.creator_imports.export(getattr(team, role), {})
