"""The one place that turns errors into application/problem+json (RFC 9457) responses."""

import logging
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, MapperDeserialisationError, OperationalError
from flask import Flask, Response, json
from werkzeug.exceptions import HTTPException

from application import errors as app_errors
from application.audit.audit_bundle import BundleTooLarge
from application.infrastructure import idempotency_store as idempotency
from application.infrastructure.personal_data_vault import PersonalDataErased
from application.infrastructure.postgres_store import ConnectionsExhausted
from application.infrastructure.settings import ConfigurationError
from application.payments import stripe_events as webhooks
from domain import errors as domain_errors

log = logging.getLogger(__name__)

# error class -> (HTTP status, stable problem type)
PROBLEMS: dict[type[Exception], tuple[int, str]] = {
    webhooks.WebhookRefused: (400, "webhook-refused"),
    app_errors.Unauthenticated: (401, "unauthenticated"),
    app_errors.RoleNotAllowed: (403, "role-not-allowed"),
    domain_errors.NotPermitted: (403, "not-permitted"),
    app_errors.NotFound: (404, "not-found"),
    domain_errors.InvalidTransition: (409, "invalid-state"),
    app_errors.ConcurrentChange: (409, "concurrent-change"),
    app_errors.AlreadyExists: (409, "already-exists"),
    app_errors.ChainBroken: (409, "chain-broken"),
    PersonalDataErased: (409, "personal-data-erased"),
    idempotency.RequestInProgress: (409, "request-in-progress"),
    app_errors.StaleVersion: (412, "stale-version"),
    BundleTooLarge: (413, "bundle-too-large"),
    domain_errors.InvalidValue: (422, "invalid-value"),
    idempotency.KeyReused: (422, "idempotency-key-reused"),
    ConfigurationError: (503, "not-configured"),
    # No connection was free in time: every one in use, or the server refusing more.
    ConnectionsExhausted: (503, "database-busy"),
    # The database refused or dropped a connection.
    OperationalError: (503, "database-unavailable"),
    InterfaceError: (503, "database-unavailable"),
    psycopg.OperationalError: (503, "database-unavailable"),
}
# The database's own words (which name hosts) go to the log only.
RETRY_LATER = {
    "database-busy": ("Database busy", "No database connection was free in time; retry "
                                       "in a moment."),
    "database-unavailable": ("Database unavailable", "The database is unreachable just "
                                                     "now; retry in a moment."),
}


def problem(status: int, kind: str, title: str, detail: str,
            errors: dict[str, str] | None = None) -> Response:
    body: dict[str, Any] = {"type": f"urn:kolpact:problem:{kind}", "title": title,
                            "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype="application/problem+json")
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="kolpact"'
    return response


def field_errors(messages: Any, prefix: str = "") -> dict[str, str]:
    """webargs/marshmallow nest messages by location and field; flatten to dotted paths."""
    if isinstance(messages, list):
        return {prefix or "request": "; ".join(str(m) for m in messages)}
    flat: dict[str, str] = {}
    for key, value in messages.items():
        if key in ("json", "query", "headers") and not prefix:
            flat |= field_errors(value)
        elif key == "_schema":  # marshmallow's word for the whole object
            flat |= field_errors(value, prefix)
        else:
            flat |= field_errors(value, f"{prefix}.{key}" if prefix else str(key))
    return flat


def handle_known(error: Exception) -> Response:
    for kind in type(error).__mro__:
        if kind in PROBLEMS:
            status, slug = PROBLEMS[kind]
            if slug in RETRY_LATER:
                return retry_later(slug, error)
            errors = getattr(error, "errors", None)
            return problem(status, slug, _title(slug), str(error), errors)
    return handle_unexpected(error)


def retry_later(slug: str, error: Exception) -> Response:
    """The caller may retry: the connection trouble passes."""
    log.warning("%s: %s", slug, error)
    response = problem(503, slug, *RETRY_LATER[slug])
    response.headers["Retry-After"] = "1"
    return response


def handle_http(error: HTTPException) -> Response:
    status = error.code or 500
    messages = getattr(error, "data", {}).get("messages")
    if messages:
        return problem(status, "invalid-request", "Invalid request",
                       "Some fields are missing or invalid.", field_errors(messages))
    return problem(status, f"http-{status}", error.name, error.description or error.name)


def handle_unexpected(error: Exception) -> Response:
    if isinstance(error, MapperDeserialisationError) and \
            isinstance(error.__cause__, ConfigurationError):
        return handle_known(error.__cause__)  # e.g. personal data without the right key
    log.exception("unexpected error", exc_info=error)
    return problem(500, "internal-error", "Internal error",
                   "Something went wrong on our side; it has been logged.")


def register(app: Flask) -> None:
    for kind in PROBLEMS:
        app.register_error_handler(kind, handle_known)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(Exception, handle_unexpected)


def _title(slug: str) -> str:
    return slug.replace("-", " ").capitalize()
