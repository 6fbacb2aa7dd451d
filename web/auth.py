"""Bearer tokens: every API request acts as the token's user."""

from flask import Flask, g, request

from application.actor import Actor
from application.errors import Unauthenticated
from web.services import services

PUBLIC_ENDPOINTS = {"health.Health", "api-docs.openapi_json", "api-docs.openapi_swagger_ui",
                    "docs_assets", "static", "visits.visit",
                    "webhooks.stripe_webhook"}  # Stripe signs its deliveries instead


def current_actor() -> Actor:
    actor: Actor = g.actor
    return actor


def authenticate() -> None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Send your API token as 'Authorization: Bearer <token>'.")
    g.actor = services().identity.authenticate(token.strip())


def register(app: Flask) -> None:
    app.before_request(authenticate)
