"""Idempotency-Key on POST: a retried request gets the first answer and acts once."""

import json

from flask import Flask, Response, g, request

from application.infrastructure.idempotency_store import MAX_KEY_LENGTH, Outcome, fingerprint_of
from domain.errors import InvalidValue
from web.services import services

HEADER = "Idempotency-Key"
REPLAYED_HEADERS = ("Content-Type", "Location", "ETag", "X-Log-Position")


def request_key() -> str | None:
    """The caller's key for this request, if any; creates derive their new ids from it."""
    return g.get("idempotency_key")


def claim() -> Response | None:
    key = request.headers.get(HEADER)
    if request.method != "POST" or key is None or "actor" not in g:
        return None
    if not 0 < len(key) <= MAX_KEY_LENGTH:
        raise InvalidValue({HEADER: f"must be 1-{MAX_KEY_LENGTH} characters"})
    outcome = services().idempotency.claim(g.actor.user_id, key, _fingerprint())
    if outcome is not None:
        response = Response(outcome.body, status=outcome.status, headers=outcome.headers)
        response.headers["Idempotent-Replayed"] = "true"
        return response
    g.idempotency_key = key
    return None


def remember(response: Response) -> Response:
    key = g.get("idempotency_key")
    if key is None:
        return response
    store = services().idempotency
    if response.status_code >= 500:
        store.release(g.actor.user_id, key)
    else:
        headers = {h: response.headers[h] for h in REPLAYED_HEADERS if h in response.headers}
        store.remember(g.actor.user_id, key, Outcome(response.status_code, headers,
                                                     _storable_body(response)))
    return response


def _storable_body(response: Response) -> str:
    """The body to replay; secrets a view marked (a new token) are never written down."""
    body = response.get_data(as_text=True)
    redact = g.get("idempotency_redact", ())
    if not redact:
        return body
    return json.dumps({**json.loads(body), **dict.fromkeys(redact)})


def _fingerprint() -> str:
    raw = request.get_data(cache=True)
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        body = raw.hex()  # malformed JSON: still the same request if sent again byte for byte
    return fingerprint_of(request.method, request.full_path, body)


def register(app: Flask) -> None:
    app.before_request(claim)
    app.after_request(remember)
