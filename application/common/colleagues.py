"""Who may be given something to answer for: a colleague of the brand, active, in one of
the roles it needs. Anyone else is simply not found (nothing is said of other brands'
people)."""

from typing import Any

from eventsourcing.application import AggregateNotFoundError

from application.common.kolpact_app import as_uuid
from application.common.links import Aggregates
from application.errors import NotFound
from domain.identity import Role, User

OWNERS = (Role.OPS, Role.LEGAL)  # who may own a campaign or a creator relationship


class NoSuchColleague(NotFound):
    """Not a colleague who may be given it: not found, as any other brand's record."""


def colleague(users: Aggregates, brand_id: str, user_id: str, what: str,
              roles: tuple[Role, ...] = OWNERS) -> str:
    """The user's id, if they are an active colleague in the brand with one of `roles`."""
    try:
        user: Any = users.get(as_uuid(user_id, "colleague"))
    except (NotFound, AggregateNotFoundError):
        user = None
    if not isinstance(user, User) or brand_id not in user.brand_ids or not user.active:
        raise NoSuchColleague("No colleague with that id in this brand.")
    if not set(user.roles) & set(roles):
        raise NoSuchColleague(f"No colleague with that id in this brand who may own {what} "
                       f"({' or '.join(roles)}).")
    return str(user.id)
