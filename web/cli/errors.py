"""Every command's errors as one clear line (and a line per bad field) on stderr, with
exit code 1, never a traceback."""

from typing import Any

import click
from eventsourcing.persistence import MapperDeserialisationError, PersistenceError

from application.errors import ApplicationError
from application.infrastructure.settings import ConfigurationError
from domain.errors import DomainError

EXPECTED = (DomainError, ApplicationError, ConfigurationError, PersistenceError, OSError)


class Failed(click.ClickException):
    def __init__(self, error: BaseException, prefix: str | None) -> None:
        lines = [f"{prefix + ': ' if prefix else ''}{type(error).__name__}: {error}"]
        lines += [f"  {field}: {message}"
                  for field, message in (getattr(error, "errors", None) or {}).items()]
        super().__init__("\n".join(lines))


def on_failure(prefix: str) -> None:
    """What the running command's failure is called, e.g. "Nothing imported"."""
    click.get_current_context().find_root().meta["kolpact.failure"] = prefix


class Commands(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EXPECTED as error:
            raise Failed(error, ctx.meta.get("kolpact.failure")) from error
        except MapperDeserialisationError as error:  # e.g. no key to decrypt personal data
            raise Failed(error.__cause__ or error, ctx.meta.get("kolpact.failure")) from error
