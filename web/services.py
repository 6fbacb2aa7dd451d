"""Access to the applications built by the app factory."""

from flask import current_app

from application.bootstrap import Services


def services() -> Services:
    built: Services = current_app.extensions["kolpact"]
    return built
