"""Spreadsheet uploads: the file is the request's body (as text/csv, an XLSX media type
or any bytes) or a form's 'file' field. A file over the request limit is refused with
the command that imports a file of any size on the server."""

from typing import Any

from flask import Flask, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge, UnsupportedMediaType
from werkzeug.wrappers.response import Response

from domain.errors import InvalidValue
from web.errors import problem

# Endpoints that take a spreadsheet -> the command for a file too big to send.
COMMAND_FOR = {
    "creators.import_creators": "kolpact creators import FILE --as YOUR_EMAIL",
    "creators.import_problems": "kolpact creators import FILE --as YOUR_EMAIL --dry-run "
                                "--errors-to ERRORS_FILE",
    "metrics.import_csv": "kolpact metrics import FILE --as YOUR_EMAIL",
    "programs.import_orders": "kolpact programs import-orders PROGRAM_ID FILE --as YOUR_EMAIL",
    "console.creators_import": "kolpact creators import FILE --as YOUR_EMAIL",
    "console.import_orders": "kolpact programs import-orders PROGRAM_ID FILE --as YOUR_EMAIL",
}
NOT_FILES = ("application/json", "application/x-www-form-urlencoded")


def file_body(*media_types: str) -> dict[str, Any]:
    """The OpenAPI request body: the file as one of `media_types`, or a form's field."""
    content: dict[str, Any] = {kind: {"schema": {"type": "string", "format": "binary"}}
                               for kind in media_types}
    content["multipart/form-data"] = {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"}}}}
    return {"content": content}


def uploaded_file() -> bytes:
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise InvalidValue({"file": "choose a file (the form's 'file' field)"})
        return upload.read()
    if request.mimetype in NOT_FILES or request.mimetype.endswith("+json"):
        raise UnsupportedMediaType("Send the file as the body (text/csv, an XLSX workbook), "
                                   "or as multipart/form-data with a 'file' field.")
    raw = request.get_data()
    if not raw:
        raise InvalidValue({"file": "send the file as the body, or as a form's 'file' field"})
    return raw


def too_large(error: RequestEntityTooLarge) -> Response:
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    detail = f"The request is larger than the {limit // 1024} KiB the API accepts."
    command = COMMAND_FOR.get(request.endpoint or "")
    if command:
        detail += (f" Split the file, or import it on the server, where any size goes: "
                   f"`{command}`.")
    if request.blueprint == "console":
        from web.console import page  # a person's browser: the console's own page

        return page("problem.html", 413, title="This file is too large", detail=detail)
    return problem(413, "request-too-large", "Request too large", detail)


def register(app: Flask) -> None:
    app.register_error_handler(RequestEntityTooLarge, too_large)
