"""A request's body is checked before any view reads it: JSON it must be (415
otherwise), and JSON that no use case needs and that would break what comes after is
refused (400): nesting deeper than MAX_DEPTH (the parser would recurse until it fails),
integers too long to convert, NaN and Infinity, lone surrogates (no store can encode
them); and no NUL characters anywhere (web.nul_bytes).

Writes check it once the caller's role is known to be allowed (web.auth.allowed), so a
role that may not call an endpoint learns nothing about what it sent; other requests
check it first thing.
"""

import json
from typing import Any

from flask import Flask, request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from web.nul_bytes import refuse_nul
from web.uploads import COMMAND_FOR

MAX_DEPTH = 32
WRITES = ("POST", "PUT", "PATCH")
UNGUARDED_WRITES = {"webhooks.stripe_webhook"}  # signed by Stripe, no role to check
# Endpoints whose bodies are not checked here: spreadsheet uploads, an audit bundle sent
# back, and Stripe's deliveries (refused unless signed, before anything is read).
OTHER_BODIES = {"audit.check_export", "webhooks.stripe_webhook", *COMMAND_FOR}


def check_request() -> None:
    refuse_nul()
    check_json_body()


def check_unguarded_request() -> None:
    """Before the view, for requests whose view does not check roles first."""
    if request.method not in WRITES or request.endpoint in UNGUARDED_WRITES:
        check_request()


def check_json_body() -> None:
    if request.method not in WRITES or request.endpoint in OTHER_BODIES:
        return
    body = request.get_data(cache=True)
    if not body:
        return
    if request.mimetype != "application/json" and not request.mimetype.endswith("+json"):
        raise UnsupportedMediaType("Send the body as JSON (Content-Type: application/json).")
    try:
        document = json.loads(body, parse_constant=_no_constants)
    except (ValueError, RecursionError) as error:
        raise BadRequest(f"The body is not JSON kolpact reads: {_short(error)}") from None
    problem = _problem(document)
    if problem:
        raise BadRequest(f"The body is not JSON kolpact reads: {problem}")


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _problem(document: Any) -> str | None:
    """Walks the document without recursing (it may be deep)."""
    pending: list[tuple[Any, int]] = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_DEPTH:
            return f"nested deeper than {MAX_DEPTH} levels"
        if isinstance(value, str) and not _encodable(value):
            return "a string holds a lone surrogate (\\ud800-\\udfff), which is not text"
        if isinstance(value, dict):
            if not all(_encodable(key) for key in value):
                return "a key holds a lone surrogate, which is not text"
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _short(error: Exception) -> str:
    return str(error)[:200] if not isinstance(error, RecursionError) else "nested too deep"


def register(app: Flask) -> None:
    app.before_request(check_unguarded_request)
