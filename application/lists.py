"""Lists for people to work from, read from read models, within the caller's brands.

A caller that just wrote can pass the write's log position: the list then
waits (briefly) until its read model has applied that write, or says that
its answer may be stale.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from application.actor import READERS, Actor, requires
from application.clock import Clock
from application.named_records import NamedRecords
from application.positions import LogPosition
from domain.errors import InvalidValue
from projections import queries
from projections.pages import MAX_LIMIT, Page
from projections.registry import ReadModels

WAIT_SECONDS = 2.0
# Requests waiting for their write at once; beyond this, a list answers stale at once
# rather than hold another server thread (which /health and every other call need).
MAX_WAITING = 4
Query = Callable[..., Page]


@dataclass(frozen=True)
class Listing:
    page: Page
    positions: dict[str, int]  # application -> last event the read model applied
    stale: bool  # the write the caller asked for is not in this answer yet


class Lists:
    def __init__(self, read_models: ReadModels, clock: Clock, named: NamedRecords) -> None:
        self.read_models, self.clock, self.named = read_models, clock, named
        self.waiting = threading.BoundedSemaphore(MAX_WAITING)

    def contracts(self, actor: Actor, **request: Any) -> Listing:
        return self._list(actor, "contracts_overview", queries.contracts, **request)

    def creators(self, actor: Actor, **request: Any) -> Listing:
        return self._list(actor, "creators_directory", queries.creators, **request)

    def deliverables(self, actor: Actor, **request: Any) -> Listing:
        request["filters"] |= {"today": self.clock.now().date(),
                               "roles": {role.value for role in actor.roles}}
        return self._list(actor, "deliverables_board", queries.deliverables, **request)

    def shipments(self, actor: Actor, **request: Any) -> Listing:
        request["filters"]["today"] = self.clock.now().date()
        return self._list(actor, "shipments_tracker", queries.shipments, **request)

    def payouts(self, actor: Actor, **request: Any) -> Listing:
        request["filters"]["me"] = actor.user_id
        return self._list(actor, "payouts_ledger", queries.payouts, **request)

    def make_goods(self, actor: Actor, **request: Any) -> Listing:
        request["filters"]["now"] = self.clock.now()
        return self._list(actor, "make_goods_board", queries.make_goods, **request)

    @requires(*READERS, action="read payouts")
    def payout_totals(self, actor: Actor, filters: dict[str, Any]) -> dict[str, Any]:
        brand_ids = self._brands(actor, filters.pop("brand_id", None))
        self.named.ensure_visible(actor, filters)
        return queries.payout_totals(self.read_models["payouts_ledger"].view, brand_ids,
                                     filters)

    def usage_rights(self, actor: Actor, **request: Any) -> Listing:
        request["filters"]["today"] = self.clock.now().date()
        return self._list(actor, "rights_calendar", queries.usage_rights, **request)

    def activity(self, actor: Actor, **request: Any) -> Listing:
        return self._list(actor, "activity_feed", queries.activity, **request)

    def _list(self, actor: Actor, model_name: str, query: Query, *, filters: dict[str, Any],
              sort: str, cursor: str | None = None, limit: int = 50,
              after: LogPosition | None = None) -> Listing:
        actor.require(*READERS, action="read lists")
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidValue({"limit": f"must be 1-{MAX_LIMIT}"})
        brand_ids = self._brands(actor, filters.pop("brand_id", None))
        self.named.ensure_visible(actor, filters)
        model = self.read_models[model_name]
        stale = after is not None and not self._caught_up(model_name, after)
        page = query(model.view, brand_ids, filters, sort, cursor, limit)
        positions = {app: model.view.max_tracking_id(app) or 0 for app in model.upstream}
        return Listing(page, positions, stale)

    def _brands(self, actor: Actor, brand_id: str | None) -> list[str]:
        if brand_id is None:
            return sorted(actor.brand_ids)
        actor.ensure_brand(brand_id, "brand")
        return [brand_id]

    def _caught_up(self, model_name: str, after: LogPosition) -> bool:
        model = self.read_models[model_name]
        if after.application not in model.upstream:
            return True  # that write does not show in this list
        if model.view.has_tracking_id(after.application, after.notification_id):
            return True
        if not self.waiting.acquire(blocking=False):
            return False  # enough requests are waiting already
        try:
            model.view.wait(after.application, after.notification_id, timeout=WAIT_SECONDS)
        except TimeoutError:
            return False
        finally:
            self.waiting.release()
        return True
