"""Tracked links: a deliverable's link and QR code (API), and /t/{code}, where people land.

/t/{code} is public: it redirects to the brand's landing page and counts the
visit (see application.content.tracked_links for what is, and is not, kept). A QR code
points at /t/{code}?via=qr, so scans and clicks are counted apart.
"""

import io
from typing import Any

import segno
from flask import Blueprint as FlaskBlueprint
from flask import Response, redirect, request

from application.content.tracked_links import Channel, TooManyVisits
from application.errors import NotFound
from application.infrastructure.settings import ConfigurationError
from web.auth import current_actor
from web.blueprint import Blueprint
from web.errors import problem
from web.schemas.deliverables import TrackedLinkSchema
from web.services import services

blp = Blueprint("tracking", __name__, url_prefix="/api/v1/deliverables",
                description="Tracked links and QR codes of deliverables.")
public = FlaskBlueprint("visits", __name__)
QR_FORMATS = {"png": "image/png", "svg": "image/svg+xml"}


def short_links(code: str) -> dict[str, str]:
    base = (services().settings.public_url or request.host_url).rstrip("/")
    return {"short_url": f"{base}/t/{code}", "qr_url": f"{base}/t/{code}?via=qr"}


def tracking_of(deliverable_id: str) -> dict[str, Any]:
    view = services().deliverables.get_deliverable(current_actor(), deliverable_id)
    if view["tracking"] is None:
        raise NotFound("This deliverable's contract sets up no tracking (terms.tracking).")
    return {"deliverable_id": view["id"], **view["tracking"],
            **short_links(view["tracking"]["code"])}


@blp.route("/<deliverable_id>/tracking")
@blp.response(200, TrackedLinkSchema)
def get_tracking(deliverable_id: str) -> Any:
    """The deliverable's tracking code, short link, QR link and counted visits"""
    link = tracking_of(deliverable_id)
    tracked = services().tracked_links
    if tracked is None:
        raise ConfigurationError("Tracked links need a SQLite or PostgreSQL store.")
    visits = tracked.visits([link["deliverable_id"]]).get(link["deliverable_id"], {})
    return {**link, "visits": {c.value: visits.get(c.value, 0) for c in Channel}}


@blp.route("/<deliverable_id>/tracking/qr.<image_format>")
@blp.response(200, description="The QR code as PNG or SVG; it encodes the qr_url.")
def qr_code(deliverable_id: str, image_format: str) -> Any:
    """The QR code for the creator to show (PNG or SVG)"""
    if image_format not in QR_FORMATS:
        raise NotFound("QR codes come as qr.png or qr.svg.")
    qr = segno.make(tracking_of(deliverable_id)["qr_url"], error="m")
    out = io.BytesIO()
    qr.save(out, kind=image_format, scale=8, border=4)
    return Response(out.getvalue(), mimetype=QR_FORMATS[image_format],
                    headers={"Cache-Control": "private, max-age=3600"})


@public.route("/t/<code>")
def visit(code: str) -> Any:
    tracked = services().tracked_links
    if tracked is None:
        raise ConfigurationError("Tracked links need a SQLite or PostgreSQL store.")
    channel = Channel.QR if request.args.get("via") == "qr" else Channel.LINK
    address = request.remote_addr or ""
    try:
        if request.method == "HEAD":  # link checkers: answer, but count nothing
            destination = tracked.resolve(code)
        else:
            destination = tracked.follow(code, channel, address,
                                         request.user_agent.string).link
    except TooManyVisits as error:
        response = problem(429, "too-many-visits", "Too many visits", str(error))
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    redirected = redirect(destination, code=302)
    redirected.headers["Cache-Control"] = "no-store"  # every visit comes back here
    redirected.headers["Referrer-Policy"] = "no-referrer"
    return redirected
