"""Errors of the use cases, beside the domain's own (domain.errors)."""


class ApplicationError(Exception):
    """Raised when a use case cannot be carried out as asked."""


class NotFound(ApplicationError):
    """Raised when a record does not exist or belongs to a brand the user cannot see."""


class RoleNotAllowed(ApplicationError):
    """Raised when none of the user's roles may perform the use case."""


class StaleVersion(ApplicationError):
    """Raised when the caller expected another version of the record (If-Match)."""


class ConcurrentChange(ApplicationError):
    """Raised when someone else changed the record while this change was being made."""


class Unauthenticated(ApplicationError):
    """Raised when a token is missing, unknown, revoked, or its user is deactivated."""


class AlreadyExists(ApplicationError):
    """Raised when a record with the same natural key already exists."""


class ChainBroken(ApplicationError):
    """Raised when an action needs an intact hash chain (sealing) and it is broken."""
