"""Optimistic concurrency over HTTP: ETag out, If-Match (or expected_version) in."""

import re
from typing import Any

from flask import request
from werkzeug.exceptions import BadRequest

ETAG = re.compile(r'^(?:W/)?"(\d+)"$')


def expected_version(body: dict[str, Any] | None = None) -> int | None:
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return (body or {}).pop("expected_version", None)
    match = ETAG.match(header.strip())
    if match is None:
        raise BadRequest('If-Match must be the ETag of the record, e.g. "3".')
    (body or {}).pop("expected_version", None)
    return int(match.group(1))


def versioned(view: dict[str, Any], status: int = 200,
              headers: dict[str, str] | None = None) -> tuple[dict[str, Any], int, dict[str, str]]:
    """A response for one record, with its version as ETag."""
    return view, status, {"ETag": f'"{view["version"]}"', **(headers or {})}
