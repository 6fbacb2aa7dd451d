"""The user on whose behalf a use case runs, and what their roles let them do."""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from application.errors import NotFound, RoleNotAllowed
from domain.errors import InvalidValue
from domain.identity import Role, User

F = TypeVar("F", bound=Callable[..., Any])
SYSTEM_USER = "system"
READERS = (Role.LEGAL, Role.OPS, Role.FINANCE, Role.AUDITOR, Role.ADMIN)


@dataclass(frozen=True)
class Actor:
    user_id: str
    roles: frozenset[Role]
    brand_ids: frozenset[str]
    name: str = ""
    all_brands: bool = False  # operators of the installation, acting from the command line

    def require(self, *allowed: Role, action: str) -> None:
        if not self.roles.intersection(allowed):
            raise RoleNotAllowed(
                f"Your roles ({', '.join(sorted(self.roles)) or 'none'}) may not {action}; "
                f"this needs {' or '.join(allowed)}.")

    def ensure_brand(self, brand_id: str, what: str) -> None:
        """Other brands' records are answered as not found, so their existence stays private."""
        if not self.all_brands and brand_id not in self.brand_ids:
            raise NotFound(f"No {what} with that id.")

    def home_brand(self, brand_id: str | None) -> str:
        """The brand a new record belongs to: the one named, or the user's only brand."""
        if brand_id is not None:
            self.ensure_brand(brand_id, "brand")
            return brand_id
        if len(self.brand_ids) != 1:
            raise InvalidValue({"brand_id": "is required: you belong to several brands"})
        return next(iter(self.brand_ids))


def actor_of(user: User) -> Actor:
    return Actor(user_id=str(user.id), roles=frozenset(user.roles),
                 brand_ids=frozenset(user.brand_ids), name=user.name)


def system_actor() -> Actor:
    """Set-up tasks run from the command line by an operator of the installation."""
    return Actor(user_id=SYSTEM_USER, roles=frozenset(Role), brand_ids=frozenset(),
                 name="system", all_brands=True)


def requires(*allowed: Role, action: str) -> Callable[[F], F]:
    """A use case that only these roles may run: checked before anything else, and
    declared on the method (`roles`, `action`) so that the web layer can check it before
    it even reads the request (a role that may not call an endpoint gets 403 whatever
    the body)."""

    def declare(use_case: F) -> F:
        @functools.wraps(use_case)
        def checked(self: Any, actor: Actor, *args: Any, **kwargs: Any) -> Any:
            actor.require(*allowed, action=action)
            return use_case(self, actor, *args, **kwargs)

        checked.roles, checked.action = allowed, action  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return declare
