"""Creator spreadsheets over HTTP: dry run, import (all or valid rows), error file and
export, for every role and with another brand's ids; a file over the request limit is
a 413 that names the command for it."""

import csv
import io

from openpyxl import load_workbook

from tests.api.conftest import Api, World
from tests.builders import given_team

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)

ALL = ("legal", "ops", "finance", "auditor", "admin")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GOOD = "name,kind,platform,handle,followers\nMia Chen,KOL,douyin,mia,12万\n"
MIXED = GOOD + "Bad,KOL,myspace,bad,1\n"


def upload(api: Api, path: str, text: str | bytes, role: str = "ops", **kwargs):  # type: ignore[no-untyped-def]
    raw = text.encode() if isinstance(text, str) else text
    return api.call("POST", path, role=role, data=raw,
                    headers={"Content-Type": "text/csv", **kwargs.pop("headers", {})}, **kwargs)


def test_a_dry_run_reports_and_an_import_writes(api: Api) -> None:
    before = api.events()

    checked = upload(api, "/creators/imports?dry_run=true", MIXED)
    after_check = api.events()
    refused = upload(api, "/creators/imports", MIXED)
    imported = upload(api, "/creators/imports?rows=valid", MIXED)
    again = upload(api, "/creators/imports?dry_run=true", GOOD)

    assert checked.status_code == 200 and after_check == before
    assert [i["action"] for i in checked.json["items"]] == ["create", "refused"]
    assert refused.status_code == 422 and set(refused.json["errors"]) == {"rows[3].platform"}
    assert imported.status_code == 201 and imported.json["written"] is True
    assert api.events() > before
    assert again.json["items"][0]["action"] == "unchanged"


def test_a_form_upload_and_the_error_file(api: Api) -> None:
    form = {"file": (io.BytesIO(MIXED.encode("gbk")), "creators.csv")}

    errors = api.call("POST", "/creators/imports/problems", role="ops", data=form,
                      content_type="multipart/form-data")
    no_file = api.call("POST", "/creators/imports", role="ops", data={},
                       content_type="multipart/form-data")
    as_json = api.call("POST", "/creators/imports", role="ops", json={"csv": GOOD})

    assert errors.status_code == 200 and errors.mimetype == "text/csv"
    assert "attachment" in errors.headers["Content-Disposition"]
    rows = list(csv.reader(errors.get_data().decode("utf-8-sig").splitlines()))
    assert rows[0][-1] == "problems" and len(rows) == 2 and rows[1][3] == "bad"
    assert (no_file.status_code, as_json.status_code) == (422, 415)


def test_the_export_is_a_file_of_the_filtered_list(api: Api, world: World) -> None:
    upload(api, "/creators/imports", "name,kind,platform,handle\nMia,KOL,douyin,mia\n"
                                     "Lin,KOC,xiaohongshu,lin\n")

    kocs = api.call("GET", "/creators/export?kind=KOC", role="auditor")
    workbook = api.call("GET", "/creators/export?format=xlsx&platform=douyin", role="finance")

    assert kocs.status_code == 200 and kocs.mimetype == "text/csv"
    names = [row[0] for row in csv.reader(kocs.get_data().decode("utf-8-sig").splitlines())]
    assert names == ["name", "Lin"]
    assert workbook.status_code == 200 and workbook.mimetype == XLSX
    sheet = load_workbook(io.BytesIO(workbook.get_data())).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)][1:] == ["Mia"]


def test_only_ops_import_and_the_others_get_403_before_the_file_is_read(api: Api) -> None:
    before = api.events()

    answers = {(role, path): upload(api, path, "not a sheet", role=role).status_code
               for role in ALL if role != "ops"
               for path in ("/creators/imports", "/creators/imports?dry_run=true",
                            "/creators/imports/problems")}
    exports = {role: api.call("GET", "/creators/export", role=role).status_code for role in ALL}

    assert set(answers.values()) == {403}
    assert exports == dict.fromkeys(ALL, 200)
    assert api.events() == before


def test_another_brands_id_is_not_found(api: Api) -> None:
    theirs = World(api.services, given_team(api.services))
    their_brand, their_folder = theirs.brand, theirs.folder

    answers = [upload(api, f"/creators/imports?brand_id={their_brand}", GOOD).status_code,
               upload(api, f"/creators/imports/problems?brand_id={their_brand}",
                      GOOD).status_code,
               api.call("GET", f"/creators/export?brand_id={their_brand}").status_code,
               api.call("GET", f"/creators/export?folder_id={their_folder}").status_code]

    assert answers == [404, 404, 404, 404]


def test_a_file_over_the_request_limit_is_a_413_naming_the_command(api: Api) -> None:
    rows = "".join(f"Creator {n},KOC,douyin,koc{n},{n}\n" for n in range(100_000))
    before = api.events()

    response = upload(api, "/creators/imports", "name,kind,platform,handle,followers\n" + rows)

    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert "kolpact creators import FILE --as" in response.json["detail"]
    assert api.events() == before


def test_a_workbook_is_read_whatever_bytes_it_holds(api: Api) -> None:
    exported = api.call("GET", "/creators/export?format=xlsx", role="ops").get_data()

    checked = upload(api, "/creators/imports?dry_run=true", exported,
                     headers={"Content-Type": XLSX})

    assert checked.status_code == 422  # an empty directory: a header and no rows
    assert checked.json["errors"] == {"file": "has no rows under its header"}
