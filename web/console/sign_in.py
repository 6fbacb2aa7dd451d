"""Signing in (with an API token, or a one-time link), out, and the person's time zone."""

import logging
import sys
from urllib.parse import urlparse

from flask import redirect, request, session, url_for
from werkzeug.wrappers.response import Response

from application.errors import Unauthenticated
from domain.errors import InvalidTransition
from web.console import SESSION_KEY, blp, page
from web.console.formatting import TIME_ZONES
from web.services import services


@blp.get("/")
def start() -> Response:
    return redirect(url_for("console.home" if session.get(SESSION_KEY) else "console.sign_in"))


@blp.get("/sign-in")
def sign_in() -> Response:
    return page("sign_in.html", why=request.args.get("why"), next=_next())


@blp.context_processor
def sign_in_choices() -> dict[str, object]:
    return {"links_by_email": _links_by_email() is not None}


@blp.post("/sign-in")
def sign_in_with_token() -> Response:
    token = request.form.get("token", "").strip()
    if not token:
        return page("sign_in.html", 422, next=_next(),
                    errors={"token": "Paste your API token (it starts with kp_)."})
    try:
        secret = services().identity.sign_in_with_token(token)
    except Unauthenticated:
        return page("sign_in.html", 401, next=_next(),
                    errors={"token": "This token is not valid, or has been revoked."})
    return _signed_in(secret)


LINK_SENT = ("If {email} is the address of a kolpact user, a sign-in link for it has been "
             "sent{where}. It works once, for 15 minutes.")
log = logging.getLogger("kolpact.sign_in")


@blp.post("/sign-in-by-email")
def sign_in_by_email() -> Response:
    """A one-time link for the address typed, delivered as the installation can: here,
    printed where kolpact runs (KOLPACT_SIGN_IN_LINKS=print, as `make run` sets)."""
    if _links_by_email() is None:
        return page("sign_in.html", 404, next=_next(),
                    why="Links by email are off here: ask an admin for a sign-in link.")
    email = request.form.get("email", "").strip()
    if "@" not in email:
        return page("sign_in.html", 422, next=_next(),
                    errors={"email": "Type the email address you work with."})
    asked = services().identity.request_sign_in_link(email)
    if asked is not None:
        user, code = asked
        _print_link(user.email, _link_url(code))
    return page("sign_in.html", next=_next(),
                why=LINK_SENT.format(email=email, where=_links_by_email()))


def _links_by_email() -> str | None:
    """How links asked for by email reach their person, in words; None: they do not."""
    printed = services().settings.sign_in_links == "print"
    return " (on this installation: printed where kolpact runs, such as the terminal of " \
           "make run)" if printed else None


def _link_url(code: str) -> str:
    public = services().settings.public_url
    path = url_for("console.sign_in_link", code=code)
    return public.rstrip("/") + path if public else url_for(
        "console.sign_in_link", code=code, _external=True)


def _print_link(email: str, url: str) -> None:
    print(f"Sign-in link for {email}: {url}", file=sys.stdout, flush=True)
    log.info("Sign-in link asked for by %s, printed on the server's output", email)


@blp.get("/sign-in/<code>")
def sign_in_link(code: str) -> Response:
    # A GET never uses the link: mail scanners and previews open links too.
    return page("sign_in_link.html", code=code)


@blp.post("/sign-in/<code>")
def sign_in_with_link(code: str) -> Response:
    try:
        secret = services().identity.sign_in_with_link(code)
    except (Unauthenticated, InvalidTransition) as error:
        return page("sign_in.html", 401, why=str(error), next=None)
    return _signed_in(secret)


@blp.post("/sign-out")
def sign_out() -> Response:
    secret = session.get(SESSION_KEY)
    if secret:
        services().identity.sign_out(secret)
    session.clear()
    return redirect(url_for("console.sign_in", why="You have signed out."))


@blp.post("/time-zone")
def choose_time_zone() -> Response:
    chosen = request.form.get("time_zone", "")
    if chosen in TIME_ZONES:
        session["time_zone"] = chosen
    return redirect(_next() or url_for("console.home"))


def _signed_in(secret: str) -> Response:
    zone = session.get("time_zone")
    session.clear()  # nothing of an earlier session carries over (its CSRF token neither)
    session[SESSION_KEY], session.permanent = secret, True
    if zone:
        session["time_zone"] = zone
    return redirect(_next() or url_for("console.home"))


def _next() -> str | None:
    """Where to go afterwards: a page of this site only."""
    target = request.values.get("next", "")
    parsed = urlparse(target)
    if not target.startswith("/") or target.startswith("//") or "\\" in target \
            or parsed.netloc or parsed.scheme:
        return None
    return target
