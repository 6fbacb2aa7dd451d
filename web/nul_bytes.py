"""Refuses NUL characters anywhere in a request, before any use case sees them.

Events would keep them, but PostgreSQL's text columns cannot: a read model
would fail on such an event and stop there. No business text needs them.
Binary uploads (an audit export sent back for checking) are not text: only
what they prove is recorded, never their bytes. Spreadsheets (an XLSX workbook
is a zip) are checked by what reads them, cell by cell.
"""

from flask import request

from domain.errors import InvalidValue
from web.uploads import COMMAND_FOR

BINARY = ("application/zip", "application/octet-stream")


def refuse_nul() -> None:
    as_file = request.mimetype in BINARY or request.endpoint in COMMAND_FOR
    body = b"" if as_file else request.get_data(cache=True)
    found = {"path": "\x00" in request.path,
             "query": b"%00" in request.query_string,
             "body": b"\x00" in body or b"\\u0000" in body}
    refused = {where: "must not contain NUL characters" for where, bad in found.items() if bad}
    if refused:
        raise InvalidValue(refused)

