"""Creator spreadsheets in the console: only ops may import (a check writes nothing, an
import of a file with problems writes nothing unless the valid rows are asked for), any
reader downloads the list as filtered, and a file over the limit is a page saying how."""

import io

from tests.api.conftest import Api, World
from tests.api.test_console import signed_in
from tests.builders import event_count, given_team

SHARES_STORES = True

SHEET = "name,kind,platform,handle\nMia Chen,KOL,douyin,mia_console\nBad,KOL,myspace,bad\n"


def upload(person, text: str, **form: str):  # type: ignore[no-untyped-def]
    person.get("/creators/import")
    return person.client.post("/creators/import", data={
        "csrf_token": person.csrf, **form,
        "file": (io.BytesIO(text.encode("gbk")), "creators.csv")},
        content_type="multipart/form-data")


def test_importing_a_file_with_problems_writes_nothing_unless_valid_rows_are_asked(
        api: Api) -> None:
    ops = signed_in(api, "ops")
    before = event_count(api.services)

    checked = upload(ops, SHEET, action="check", rows="all")
    refused = upload(ops, SHEET, action="import", rows="all")
    unchanged = event_count(api.services)
    imported = upload(ops, SHEET, action="import", rows="valid")

    assert checked.status_code == 200 and "Checked: nothing written yet" in checked.text
    assert refused.status_code == 422 and "Nothing imported" in refused.text
    assert unchanged == before
    assert imported.status_code == 200 and "1 added" in imported.text
    assert 'download="creators-problems.csv"' in imported.text
    assert event_count(api.services) > before


def test_a_file_that_cannot_be_read_says_why(api: Api) -> None:
    ops = signed_in(api, "ops")

    missing = upload(ops, "name,kind\nMia,KOL\n", action="check", rows="all")
    no_file = ops.post("/creators/import", {"action": "check"})

    assert missing.status_code == 422 and "needs a platform column" in missing.text
    assert no_file.status_code == 422 and "choose a CSV or XLSX file" in no_file.text


def test_only_ops_are_offered_the_import_and_others_are_refused(api: Api) -> None:
    legal = signed_in(api, "legal")

    listed = legal.text("/creators")
    page = legal.get("/creators/import")
    sent = upload(legal, SHEET, action="import", rows="valid")

    assert "Import a spreadsheet" not in listed and "Download this list" in listed
    assert (page.status_code, sent.status_code) == (403, 403)


def test_the_download_is_the_list_as_filtered(api: Api, world: World) -> None:
    upload(signed_in(api, "ops"), "name,kind,platform,handle\nMia,KOL,douyin,m1\n"
                                  "Lin,KOC,weibo,l1\n", action="import", rows="all")
    auditor = signed_in(api, "auditor")

    kocs = auditor.get("/creators/export?kind=KOC")
    theirs = World(api.services, given_team(api.services))
    other_folder = auditor.get(f"/creators/export?folder_id={theirs.folder}")

    assert kocs.status_code == 200 and "attachment" in kocs.headers["Content-Disposition"]
    assert [line.split(",")[0] for line in kocs.get_data().decode("utf-8-sig").splitlines()
            ] == ["name", "Lin"]
    assert other_folder.status_code == 200  # an unknown folder is no filter, as on the list
    assert b"Lin" in other_folder.get_data()


def test_a_file_over_the_limit_is_a_page_naming_the_command(api: Api) -> None:
    ops = signed_in(api, "ops")
    rows = "".join(f"Creator {n},KOC,douyin,koc{n}\n" for n in range(60_000))

    response = upload(ops, "name,kind,platform,handle\n" + rows, action="check", rows="all")

    assert response.status_code == 413 and response.mimetype == "text/html"
    assert "kolpact creators import FILE --as YOUR_EMAIL" in response.text
