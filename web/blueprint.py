"""Our flask-smorest Blueprint: unknown fields are refused in every location, query included."""

import flask_smorest
from marshmallow import RAISE
from webargs.flaskparser import FlaskParser


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = FlaskParser(unknown=RAISE)
