"""Errors the business rules raise; each says what the user can do about it."""

from collections.abc import Mapping
from enum import Enum


class DomainError(Exception):
    """Raised when a command breaks a business rule."""


class InvalidValue(DomainError):
    """Raised when submitted values break a rule; `errors` maps field paths to messages."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{path}: {message}" for path, message in self.errors.items()))


class InvalidTransition(DomainError):
    """Raised when a command is not allowed in the record's current state."""


class NotPermitted(DomainError):
    """Raised when a rule forbids this particular user from doing the command."""


class HasStatus:
    """For aggregates with a `status`: refuse a command the status does not allow."""

    status: Enum

    def _require(self, allowed: bool, action: str, why: str | None = None) -> None:
        if not allowed:
            raise InvalidTransition(
                f"Cannot {action}: the {type(self).__name__.lower()} is {self.status.value}"
                + (f" and {why}." if why else "."))
