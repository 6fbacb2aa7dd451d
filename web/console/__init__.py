"""The web console: pages for legal, ops, finance and auditors, on the API's use cases.

Server-rendered (Jinja2), plain HTML forms that work without JavaScript, nothing
fetched from outside at run time. A person signs in (web.console.sign_in) and each
page acts as them through the same application layer as the API, with the same
roles and brands: another brand's record is a 404 page here too. Every form
carries a CSRF token, checked before anything else happens.
"""

import hashlib
import hmac
import secrets
import uuid
from datetime import timedelta
from typing import Any

from flask import Blueprint, Flask, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import generate_csrf, validate_csrf
from werkzeug.wrappers.response import Response
from wtforms.validators import ValidationError

from application.common.actor import Actor
from application.errors import NotFound, RoleNotAllowed, Unauthenticated
from application.identity.sign_in import SESSION_HOURS
from application.infrastructure.settings import Settings
from domain.errors import InvalidValue
from domain.payout import Rail
from web.console import formatting
from web.services import services

blp = Blueprint("console", __name__, template_folder="templates", static_folder="static",
                static_url_path="/console/static")

OPEN_PAGES = {"console.start", "console.sign_in", "console.sign_in_with_token",
              "console.sign_in_by_email",
              "console.sign_in_link", "console.sign_in_with_link", "console.static"}
SESSION_KEY = "session"  # the console session's secret, in the signed cookie


def register(app: Flask) -> None:
    from web.console import (  # noqa: F401  (their routes)
        campaigns,
        contracts,
        creator_sheets,
        creators,
        deliverables,
        drafting,
        home,
        payouts,
        programs,
        shipments,
        sign_in,
    )

    settings: Settings = app.extensions["kolpact"].settings
    app.secret_key = cookie_key(settings)
    app.config.update(SESSION_COOKIE_NAME="kolpact_console", SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax",
                      PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
                      WTF_CSRF_TIME_LIMIT=None,  # as long as the session: a form left open
                      # Served over HTTPS (as KOLPACT_PUBLIC_URL says): the cookie never
                      # travels in the clear.
                      SESSION_COOKIE_SECURE=(settings.public_url or "").startswith("https://"))
    app.register_blueprint(blp)
    from web.console.actions import done, refusal_for
    app.jinja_env.globals.update(csrf_token=generate_csrf, new_form_key=new_form_key, may=may,
                                 refusal_for=refusal_for, done=done,
                                 rails=[(r.value, r.value.replace("_", " ")) for r in Rail])
    formatting.register(app)


def cookie_key(settings: Settings) -> bytes:
    """Signs the console's cookies: derived from the installation's cipher key, so every
    API process signs alike; without one (a store in memory), this process's own."""
    if settings.cipher_key is None:
        return secrets.token_bytes(32)
    return hmac.new(settings.cipher_key, b"kolpact console cookies", hashlib.sha256).digest()


def may(use_case: str) -> bool:
    """Whether the person has a role the use case ('payouts.approve') allows (see
    application.common.actor.requires): a page shows only the forms its reader may send."""
    return bool(set(_declared(use_case).roles) & g.actor.roles)


def require(use_case: str) -> None:
    """For a page that is nothing but the use case's form: RoleNotAllowed, as the use
    case itself would say."""
    declared = _declared(use_case)
    current_actor().require(*declared.roles, action=declared.action)


def _declared(use_case: str) -> Any:
    application, method = use_case.split(".")
    return getattr(getattr(services(), application), method)


def new_form_key() -> str:
    return uuid.uuid4().hex


def current_actor() -> Actor:
    actor: Actor = g.actor
    return actor


@blp.before_request
def signed_in_person() -> Response | None:
    if any("\x00" in value for value in [*request.form.values(), *request.args.values()]):
        return page("problem.html", 400, title="This cannot be sent",
                    detail="A field holds a NUL character, which no text may contain.")
    if request.method == "POST":
        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError:
            return page("problem.html", 400, title="This form cannot be sent",
                        detail="It has expired or did not come from this kolpact. Go back, "
                               "reload the page and send it again.")
    if request.endpoint in OPEN_PAGES:
        return None
    secret = session.get(SESSION_KEY)
    if not secret:
        return redirect(url_for("console.sign_in", next=asked()))
    try:
        g.actor = services().identity.session_actor(secret)
    except Unauthenticated as error:
        session.clear()
        return redirect(url_for("console.sign_in", next=asked(), why=str(error)))
    return None


def asked() -> str:
    """The page asked for, to return to after signing in."""
    return request.full_path.rstrip("?")


PAGE_SIZE = 25


def by_status(template: str, listed: Any, statuses: list[str], sort: str) -> Response:
    """A list page filtered by the status the address names; one not among `statuses`
    (a hand-edited address) shows every status rather than an error page."""
    status = request.args.get("status") or None
    status = status if status in statuses else None
    return page(template, found=paged(listed, {"status": status}, sort), chosen=status,
                statuses=statuses)


def paged(listed: Any, filters: dict[str, Any], sort: str) -> Any:
    """A page of one of the lists (application.reading.lists) from the address's cursor;
    a cursor that is not one of ours (a hand-edited address) starts from the first page."""
    try:
        return listed(current_actor(), filters=dict(filters), sort=sort,
                      cursor=request.args.get("cursor") or None, limit=PAGE_SIZE).page
    except InvalidValue:
        return listed(current_actor(), filters=dict(filters), sort=sort, limit=PAGE_SIZE).page


def page(template: str, status: int = 200, **context: Any) -> Response:
    response = Response(render_template(f"console/{template}", **context), status=status,
                        mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"  # a signed-out browser shows none of it
    return response


@blp.errorhandler(NotFound)
def not_found(error: NotFound) -> Response:
    return page("problem.html", 404, title="Not found", detail=str(error))


@blp.errorhandler(InvalidValue)
def invalid(error: InvalidValue) -> Response:
    """Something in the address itself (a form's problems go back to the form)."""
    return page("problem.html", 422, title="This cannot be shown", detail="; ".join(
        f"{field}: {problem}" for field, problem in error.errors.items()) or str(error))


@blp.errorhandler(RoleNotAllowed)
def not_allowed(error: RoleNotAllowed) -> Response:
    return page("problem.html", 403, title="Not for your role", detail=str(error))
