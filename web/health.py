"""/api/v1/health: is the service up and can it reach its store?"""

import logging
from typing import Any

from eventsourcing.persistence import PersistenceError
from flask.views import MethodView
from marshmallow import Schema, fields

from web.blueprint import Blueprint
from web.services import services

log = logging.getLogger(__name__)
blp = Blueprint("health", __name__, url_prefix="/api/v1/health",
                description="Liveness and database reachability; needs no token.")


class HealthSchema(Schema):
    status = fields.String()
    database = fields.String()
    events_set_aside = fields.Integer(metadata={
        "description": "Events a read model or policy could not apply (see `kolpact "
                       "projections status`); the rest keeps flowing."})


@blp.route("")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=HealthSchema)
    def get(self) -> Any:
        """Check the service and its database"""
        try:
            services().check_database()
        except (PersistenceError, OSError) as error:
            log.warning("health check: database unreachable: %s", error)
            return {"status": "unavailable", "database": "unreachable"}, 503
        read_models = services().read_models
        set_aside = len(read_models.set_aside.rows()) if read_models is not None else 0
        return {"status": "degraded" if set_aside else "ok", "database": "ok",
                "events_set_aside": set_aside}
