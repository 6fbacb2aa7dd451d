"""Creators in and out of spreadsheets: an import page (check first, then import every
row or the valid ones, with the refused rows as a file to fix) and the directory's
list, as filtered, downloaded as CSV or XLSX."""

import base64
from typing import Any

from flask import request
from werkzeug.wrappers.response import Response

from application.common.spreadsheets import MEDIA_TYPES
from application.errors import ConcurrentChange
from domain.errors import InvalidValue
from web.console import blp, current_actor, page, require
from web.console.creators import directory_filters
from web.creators import imports, spreadsheet

SHOWN_ROWS = 200  # of a report: refused rows first, then the others up to this many


@blp.get("/creators/import")
def creators_import_form() -> Response:
    require("creator_imports.check")
    return page("creators_import.html", report=None, problems={}, rows="all")


@blp.post("/creators/import")
def creators_import() -> Response:
    """Checks the file; and, asked to import, writes it if it may (every row good, or
    only the good rows wanted). A refused file is reported as a check would."""
    actor, rows = current_actor(), request.form.get("rows", "all")
    importing = request.form.get("action") == "import"
    upload = request.files.get("file")
    raw = upload.read() if upload is not None and upload.filename else b""
    try:
        if not raw:
            raise InvalidValue({"file": "choose a CSV or XLSX file"})
        report = imports().check(actor, raw)
        written = importing and (report["refused"] == 0 or rows == "valid")
        if written:
            report = imports().import_sheet(actor, raw, valid_rows_only=rows == "valid")
    except (InvalidValue, ConcurrentChange) as error:
        return page("creators_import.html", 422, report=None, rows=rows,
                    problems=getattr(error, "errors", None) or {"file": str(error)})
    return page("creators_import.html", 200 if written or not importing else 422,
                report=report, shown=_shown(report["items"]), importing=importing,
                error_file=_error_file(actor, raw) if report["refused"] else None,
                problems={}, rows=rows)


def _shown(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    refused = [item for item in items if item["problems"]]
    return (refused + [item for item in items if not item["problems"]])[:SHOWN_ROWS]


def _error_file(actor: Any, raw: bytes) -> dict[str, str]:
    """The refused rows as a link the browser saves (no copy of the file stays here)."""
    format, content = imports().error_file(actor, raw)
    kind = MEDIA_TYPES[format].split(";")[0]
    return {"href": f"data:{kind};base64,{base64.b64encode(content).decode()}",
            "name": f"creators-problems.{format}"}


@blp.get("/creators/export")
def creators_export() -> Response:
    format = request.args.get("format") if request.args.get("format") in MEDIA_TYPES else "csv"
    content = imports().export(current_actor(), directory_filters(), "display_name",
                               format or "csv")
    return spreadsheet(content, format or "csv", "creators")
