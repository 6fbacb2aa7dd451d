"""Who an id is, for people reading a trail: users by name and role, creators, brands."""

from collections.abc import Mapping
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from application.common.actor import SYSTEM_USER
from application.common.links import Aggregates
from application.common.wording import UUID_TEXT
from domain.creator import Creator
from domain.identity import Brand, User


class Stored(Protocol):
    @property
    def repository(self) -> Aggregates: ...


class People:
    """Who an id is, for a report: a user's name and roles (or the system acting on its
    own), a creator's display name, a brand's name; looked up once each."""

    def __init__(self, applications: Mapping[str, "Stored"]) -> None:
        """`applications`: "identity" and "creators" at least, by name."""
        self.apps = applications
        self.known: dict[str, tuple[str | None, list[str]]] = {
            SYSTEM_USER: ("kolpact (automatic)", ["system"])}

    def of(self, actor: str | None) -> list[str]:
        return self._who(actor)[1]

    def name_of(self, actor: str | None) -> str | None:
        return self._who(actor)[0]

    def attributed(self, entry: dict[str, Any]) -> dict[str, Any]:
        """A history entry with its actor's name and roles, as trails show who acted."""
        return {**entry, "actor_roles": self.of(entry["actor"]),
                "actor_name": self.name_of(entry["actor"])}

    def named(self, text: str) -> str:
        """The text with every id of a user, creator or brand replaced by who it is."""
        return UUID_TEXT.sub(lambda found: self.called(found.group(0)) or found.group(0), text)

    def called(self, record_id: str | None) -> str | None:
        """'Lee (legal)', a creator's or a brand's name; None for any other id."""
        name, roles = self._who(record_id)
        return f"{name} ({', '.join(roles)})" if name and roles else name

    def _who(self, record_id: str | None) -> tuple[str | None, list[str]]:
        if record_id is None:
            return None, []
        if record_id not in self.known:
            self.known[record_id] = self._look_up(record_id)
        return self.known[record_id]

    def _look_up(self, record_id: str) -> tuple[str | None, list[str]]:
        for name in ("identity", "creators"):
            try:
                found: Any = self.apps[name].repository.get(UUID(record_id))
            except (ValueError, AggregateNotFoundError):
                continue
            if isinstance(found, User):
                return found.name, [str(r) for r in found.roles]
            if isinstance(found, Brand):
                return found.name, []
            if isinstance(found, Creator):
                return found.profile.display_name, []
        return None, []
