"""Forms that change something: each acts once, then says what happened or what was wrong.

Every form carries a key of its own (`form_key`, new each time its page is drawn): sent
twice (a double click, a reload, a retry after a lost answer), it finds the first
outcome in the store the API's Idempotency-Key uses, and does not act again. A form for
a record carries the version its page showed (`expected_version`): if someone changed
the record meanwhile, nothing is done, and the page says so and shows what changed.
A refusal goes back to the page with each problem next to the field it concerns.
"""

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from flask import flash, g, get_flashed_messages, redirect, request
from werkzeug.wrappers.response import Response

from application.common.colleagues import NoSuchColleague
from application.errors import (
    AlreadyExists,
    ChainBroken,
    ConcurrentChange,
    RoleNotAllowed,
    StaleVersion,
)
from application.identity.accounts import user_id_of
from application.infrastructure.idempotency_store import Outcome, fingerprint_of
from domain.errors import InvalidTransition, InvalidValue, NotPermitted
from web.console import current_actor
from web.services import services

FORM_KEY = "form_key"
HIDDEN = {FORM_KEY, "expected_version", "contract_id"}  # the form's own, not typed
MAX_REFUSAL_BYTES = 2000
REFUSALS = (InvalidValue, InvalidTransition, NotPermitted, RoleNotAllowed, ConcurrentChange,
            StaleVersion, AlreadyExists, ChainBroken, NoSuchColleague)


def refusals() -> list[dict[str, Any]]:
    """The refusal of the form sent (drawn again at once) or flashed to this page (at
    most one: one form is sent at a time)."""
    if "refused" in g:
        return [g.refused]
    return [json.loads(str(text)) for text in get_flashed_messages(category_filter=["refused"])]


def refusal_for(form: str) -> dict[str, Any] | None:
    return next((r for r in refusals() if r.get("form") == form), None)


def done() -> list[str]:
    return [str(m) for m in get_flashed_messages(category_filter=["done"])]


def expected_version() -> int | None:
    text = request.form.get("expected_version", "")
    return int(text) if text.isdigit() else None


def field(name: str) -> str | None:
    """A text field as typed, or None when left empty."""
    value = request.form.get(name, "").strip()
    return value or None


def colleague_field(name: str) -> str:
    """A colleague named by their email, as the user id the use case checks."""
    email = field(name)
    if email is None or "@" not in email:
        raise InvalidValue({name: "give their email address"})
    return user_id_of(email)


def day_field(name: str) -> date:
    """A date field (YYYY-MM-DD, as a date input sends it)."""
    try:
        return date.fromisoformat(request.form.get(name, ""))
    except ValueError as error:
        raise InvalidValue({name: "pick a date"}) from error


def acted(form: str, do: Callable[[], Any], then: str | Callable[[Any], str], message: str,
          record: str | None, back: str | None = None,
          redraw: Callable[[], Response] | None = None) -> Response:
    """Runs the form's use case once; then to `then` (a page, or one made from the use
    case's result), saying `message`. A refusal goes to `back` (by default `then`), where
    the form is (see _forms.html), or, for a form too big to carry back in a cookie,
    `redraw` draws it again at once, as it was sent; `record` is the one the form
    changes, whose newer events a stale form is shown."""
    actor, key = current_actor(), request.form.get(FORM_KEY, "")
    store, scope = services().idempotency, actor.user_id
    sent = {k: v for k, v in request.form.items() if k != "csrf_token"}
    if key:
        earlier = store.claim(scope, f"console:{key}", fingerprint_of("POST", request.path, sent))
        if earlier is not None:
            return redirect(earlier.headers["Location"], 303)
    try:
        result = do()
    except REFUSALS as error:
        if key:
            store.release(scope, f"console:{key}")
        if redraw is not None:
            g.refused = _refusal(form, error, record, sent)
            return redraw()
        flash(json.dumps(_carried(_refusal(form, error, record, sent))),
              "refused")
        return redirect(back or str(then), 303)
    except BaseException:
        if key:
            store.release(scope, f"console:{key}")
        raise
    target = then(result) if callable(then) else then
    if key:
        store.remember(scope, f"console:{key}", Outcome(303, {"Location": target}, ""))
    flash(message, "done")
    return redirect(target, 303)


def _refusal(form: str, error: Exception, record: str | None,
             sent: dict[str, str]) -> dict[str, Any]:
    """The refusal for the page to show."""
    return {"form": form, "detail": str(error), "stale": isinstance(error, StaleVersion),
            "record": record, "since": expected_version(),
            "fields": getattr(error, "errors", None) or {},
            "sent": {k: v for k, v in sent.items() if k not in HIDDEN}}


def _carried(refusal: dict[str, Any]) -> dict[str, Any]:
    """The refusal to carry in the cookie to the next page: what was typed only while the
    cookie stays small (browsers drop a cookie past 4 KB, and the session with it)."""
    if len(json.dumps(refusal)) <= MAX_REFUSAL_BYTES:
        return refusal
    first = dict(list(refusal["fields"].items())[:10])  # the rest come back, fixed these
    return {**refusal, "sent": {}, "fields": first}
