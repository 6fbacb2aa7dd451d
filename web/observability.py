"""Structured JSON logs: one line per request, every line tagged with the request id."""

import logging
import re
import sys
import time
import uuid

from flask import Flask, Response, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID = "X-Request-Id"
ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
log = logging.getLogger("kolpact.requests")


class RequestContext(logging.Filter):
    """Tags every log line written during a request, whichever logger wrote it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            for key, value in request_context().items():
                setattr(record, key, value)
        return True


def request_context() -> dict[str, str | None]:
    actor = g.get("actor")
    return {"request_id": g.get("request_id"),
            "user_id": actor.user_id if actor is not None else None}


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter("{asctime}{levelname}{name}{message}", style="{",
                                       rename_fields={"asctime": "time", "levelname": "level"}))
    handler.addFilter(RequestContext())
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)


def start_request() -> None:
    given = request.headers.get(REQUEST_ID, "")
    g.request_id = given if ACCEPTABLE_ID.match(given) else uuid.uuid4().hex
    g.started = time.perf_counter()


def finish_request(response: Response) -> Response:
    response.headers[REQUEST_ID] = g.get("request_id", "")
    elapsed_ms = (time.perf_counter() - g.get("started", 0)) * 1000
    log.info("request", extra={**request_context(), "method": request.method,
                               "path": request.path,
                               "status": response.status_code,
                               "duration_ms": round(elapsed_ms, 1)})
    return response


def register(app: Flask) -> None:
    app.before_request(start_request)
    app.after_request(finish_request)
