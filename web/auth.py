"""Bearer tokens: every API request acts as the token's user."""

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, g, request

from application.common.actor import Actor
from application.errors import Unauthenticated
from web.json_body import check_request
from web.services import services

PUBLIC_ENDPOINTS = {"health.Health", "api-docs.openapi_json", "api-docs.openapi_swagger_ui",
                    "docs_assets", "static", "visits.visit",
                    "webhooks.stripe_webhook"}  # Stripe signs its deliveries instead


V = TypeVar("V", bound=Callable[..., Any])


def allowed(use_case: Callable[[], Any]) -> Callable[[V], V]:
    """Checks the caller's roles against what the use case `requires` (application.common.actor)
    before the request is read: a role that may not call an endpoint gets 403 whatever it
    sends. The use case checks again itself; this only puts the answer first."""

    def decorate(view: V) -> V:
        @functools.wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            method = use_case()
            current_actor().require(*method.roles, action=method.action)
            check_request()  # only now: a role that may not call it learns nothing more
            return view(*args, **kwargs)

        return checked  # type: ignore[return-value]

    return decorate


def current_actor() -> Actor:
    actor: Actor = g.actor
    return actor


def authenticate() -> None:
    if request.endpoint in PUBLIC_ENDPOINTS or request.blueprint == "console":
        return  # the console signs people in with a session of their own (web.console)
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Send your API token as 'Authorization: Bearer <token>'.")
    g.actor = services().identity.authenticate(token.strip())


def register(app: Flask) -> None:
    app.before_request(authenticate)
