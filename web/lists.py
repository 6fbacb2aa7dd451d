"""Read-your-writes over HTTP: writes say their log position, lists say how fresh they are."""

from collections.abc import Callable
from typing import Any

from flask import Flask, Response

from application.common.positions import LogPosition, last_write
from application.infrastructure.settings import ConfigurationError
from application.reading.lists import Listing
from web.auth import current_actor
from web.positions import PositionSeal
from web.services import services

PAGING = ("cursor", "limit", "sort")


def listed(which: Callable[..., Listing], query: dict[str, Any]) -> Any:
    paging = {name: query.pop(name) for name in PAGING}
    after = query.pop("after_position")
    filters = {k: (str(v) if k.endswith("_id") and v is not None else v)
               for k, v in query.items()}
    seal = position_seal()
    listing = which(current_actor(), filters=filters, **paging,
                    after=None if after is None else seal.open(after, "after_position"))
    headers = {"X-Read-Model-Position": ",".join(seal.seal(LogPosition(app, n)) for app, n
                                                 in listing.positions.items())}
    if listing.stale:
        headers["X-Read-Model-Stale"] = "true"
    return {"items": listing.page.items, "next_cursor": listing.page.next_cursor}, 200, headers


def lists() -> Any:
    available = services().lists
    if available is None:
        raise ConfigurationError("Lists need a SQLite or PostgreSQL store.")
    return available


def forget_last_write() -> None:
    last_write.set(None)  # threads serve many requests: start each with a clean slate


def tell_log_position(response: Response) -> Response:
    """Every write says where it landed (sealed: web.positions); pass it to a list as
    after_position."""
    position = last_write.get()
    if position is not None:
        response.headers["X-Log-Position"] = position_seal().seal(position)
    return response


def position_seal() -> PositionSeal:
    return PositionSeal(services().settings.cipher_key)


def register(app: Flask) -> None:
    app.before_request(forget_last_write)
    app.after_request(tell_log_position)
