"""Checking an answer against the OpenAPI document: the schema the document gives that
operation's answer with this status, not a guess at which keys it should have."""

import re
from typing import Any

import schemathesis

from tests.api.conftest import API, Api


def assert_documented(api: Api, method: str, path: str, response: Any) -> None:
    """`path` as called (ids filled in, a query allowed): the body must be what the
    document says that operation answers with this status (schemathesis checks it)."""
    schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", api.client.application)
    template = _template_of(list(schema.raw_schema["paths"]), path.split("?", 1)[0])
    found = schema.find_operation_by_label(f"{method.upper()} {template}")
    assert found is not None, f"{method} {template} is not in the OpenAPI document"
    found.validate_response(response)


def _template_of(templates: list[str], path: str) -> str:
    """The document's path template that `path` fills in, literal segments first."""
    wanted = f"{API}{path}".rstrip("/").split("/")
    matches = [t for t in templates if _fills(t.split("/"), wanted)]
    assert matches, f"{path} is not in the OpenAPI document"
    return max(matches, key=lambda t: sum(not _is_parameter(p) for p in t.split("/")))


def _fills(parts: list[str], wanted: list[str]) -> bool:
    return len(parts) == len(wanted) and all(
        part == segment or _is_parameter(part) for part, segment in zip(parts, wanted,
                                                                         strict=True))


def _is_parameter(part: str) -> bool:
    return re.fullmatch(r"\{\w+\}", part) is not None
