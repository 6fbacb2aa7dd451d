"""When someone leaves: every creator relationship they own moves to a colleague, each
with the reason, so the brand's knowledge stays with the brand."""

from typing import Any

from application.common.actor import Actor, requires
from application.common.colleagues import OWNERS, NoSuchColleague, colleague
from application.creators.creators import CreatorsApp
from application.errors import NotFound
from application.ports.read_models import MAX_LIMIT
from application.reading.lists import Lists
from domain.identity import Role


class Handovers:
    def __init__(self, creators: CreatorsApp, lists: Lists) -> None:
        self.creators, self.lists = creators, lists

    @requires(Role.OPS, Role.ADMIN, action="hand creators over")
    def hand_over_all(self, actor: Actor, from_user_id: str, to_user_id: str,
                      reason: str | None) -> dict[str, Any]:
        """Moves each creator the directory says `from_user_id` owns (in the actor's
        brands), each a handover with the reason. The directory follows the log a moment
        behind, so one given to them a moment ago may be missed: run it again."""
        self._colleague(actor, from_user_id, tuple(Role))  # anyone of the brand may leave
        self._colleague(actor, to_user_id, OWNERS)
        owned, cursor = [], None
        while True:
            page = self.lists.creators(actor, filters={"owner_id": from_user_id},
                                       sort="created_at", cursor=cursor,
                                       limit=MAX_LIMIT).page
            owned += [row["creator_id"] for row in page.items]
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        moved = [creator_id for creator_id in owned
                 if self.creators.assign_owner(actor, creator_id, to_user_id, reason)
                 ["owner_id"] == to_user_id]
        return {"moved": len(moved), "creator_ids": moved}

    def _colleague(self, actor: Actor, user_id: str, roles: tuple[Role, ...]) -> None:
        """NotFound unless they are a colleague in one of the actor's brands."""
        for brand_id in sorted(actor.brand_ids):
            try:
                colleague(self.creators.identity.repository, brand_id, user_id,
                          "creator relationships", roles)
                return
            except NotFound:
                continue
        raise NoSuchColleague("No colleague with that id in your brands who may own creator "
                       "relationships." if roles == OWNERS else
                       "No colleague with that id in your brands.")
