"""The HTTP API: translates requests into use cases and results into JSON."""

import http
from pathlib import Path
from typing import Any

import flask_swagger_ui
from flask import Flask, send_from_directory
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from application.bootstrap import Services, build_services
from application.infrastructure.settings import Settings
from web import (
    activity,
    audit,
    auth,
    campaigns,
    console,
    deliverables,
    errors,
    folders,
    idempotency,
    identity,
    json_body,
    lists,
    make_goods,
    metrics,
    observability,
    payouts,
    programs,
    shipments,
    tracking,
    uploads,
    usage_rights,
    webhooks,
)
from web.contracts import blp as contracts_blp
from web.creators import blp as creators_blp
from web.health import blp as health_blp
from web.schemas.common import ProblemSchema

PROBLEM_JSON = "application/problem+json"

DOCS_ASSETS = "/api/v1/docs-assets/"
# Swagger UI 5 (it reads OpenAPI 3.1), from the package's own copy: no CDN at run time.
SWAGGER_UI_FILES = Path(flask_swagger_ui.__file__).parent / "dist"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Builds the app; config may carry KOLPACT_SERVICES (already built) or KOLPACT_SETTINGS."""
    app = Flask(__name__)
    config = config or {}
    settings: Settings = config.get("KOLPACT_SETTINGS") or Settings.from_environ()
    app.config.update(
        API_TITLE="kolpact", API_VERSION="v1", OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/api/v1", OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs", OPENAPI_SWAGGER_UI_URL=DOCS_ASSETS,
        API_SPEC_OPTIONS={"security": [{"bearerAuth": []}]},
        MAX_CONTENT_LENGTH=settings.max_request_bytes, JSON_SORT_KEYS=False,
    )
    app.config.update(config)
    built: Services = config.get("KOLPACT_SERVICES") or build_services(settings)
    app.extensions["kolpact"] = built
    api = ProblemsApi(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    for blueprint in (health_blp, creators_blp, contracts_blp, identity.brands, identity.users,
                      identity.tokens, activity.blp, deliverables.blp, tracking.blp,
                      shipments.blp, metrics.blp, payouts.blp, usage_rights.blp,
                      make_goods.blp, campaigns.blp, folders.blp, programs.blp, webhooks.blp,
                      audit.blp):
        api.register_blueprint(blueprint)
    app.register_blueprint(tracking.public)
    app.add_url_rule(DOCS_ASSETS + "<path:filename>", "docs_assets", _docs_asset)
    errors.register(app)
    uploads.register(app)  # too big a file: the command that takes any size
    observability.register(app)  # first, so every later step logs with the request id
    auth.register(app)
    json_body.register(app)  # after authentication: strangers learn nothing of the body
    idempotency.register(app)
    lists.register(app)
    console.register(app)
    return app


class ProblemsApi(Api):
    """Documents every error as the application/problem+json body web.errors sends."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not 100 <= status < 200 and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "An error", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)


def _docs_asset(filename: str) -> Any:
    """Swagger UI's files come from a package, so the docs page works offline too."""
    return send_from_directory(SWAGGER_UI_FILES, filename)
