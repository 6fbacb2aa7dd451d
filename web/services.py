"""Access to the applications built by the app factory."""

from typing import Any

from flask import current_app

from application.bootstrap import Services
from application.infrastructure.settings import ConfigurationError


def services() -> Services:
    built: Services = current_app.extensions["kolpact"]
    return built


def reading(name: str, what: str) -> Any:
    """A service that reads read models, which the in-memory store does not keep: there,
    a clear 503 naming what needs them."""
    found = getattr(services(), name)
    if found is None:
        raise ConfigurationError(f"{what} read the read models: they need a SQLite or "
                                 "PostgreSQL store.")
    return found
