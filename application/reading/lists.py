"""Lists for people to work from, read from read models, within the caller's brands.

A caller that just wrote can pass the write's log position: the list then
waits (briefly) until its read model has applied that write, or says that
its answer may be stale.
"""

import threading
from dataclasses import dataclass
from typing import Any

from application.common.actor import READERS, Actor, requires
from application.common.clock import Clock
from application.common.positions import LogPosition
from application.ports.read_models import MAX_LIMIT, Freshness, ListQuery, Page, ReadModelQueries
from application.reading.named_records import NamedRecords
from domain.errors import InvalidValue

WAIT_SECONDS = 2.0
# Requests waiting for their write at once; beyond this, a list answers stale at once
# rather than hold another server thread (which /health and every other call need).
MAX_WAITING = 4


@dataclass(frozen=True)
class Listing:
    page: Page
    positions: dict[str, int]  # application -> last event the read model applied
    stale: bool  # the write the caller asked for is not in this answer yet


class Lists:
    def __init__(self, queries: ReadModelQueries, freshness: Freshness, clock: Clock,
                 named: NamedRecords) -> None:
        self.queries, self.freshness = queries, freshness
        self.clock, self.named = clock, named
        self.waiting = threading.BoundedSemaphore(MAX_WAITING)

    def contracts(self, actor: Actor, **request: Any) -> Listing:
        return self._list(actor, "contracts_overview", self.queries.contracts, **request)

    def campaigns(self, actor: Actor, **request: Any) -> Listing:
        return self._list(actor, "campaigns_overview", self.queries.campaigns, **request)

    def creators(self, actor: Actor, **request: Any) -> Listing:
        return self._list(actor, "creators_directory", self.queries.creators, **request)

    def folders(self, actor: Actor, **request: Any) -> Listing:
        return self._list(actor, "creators_directory", self.queries.folders, **request)

    def deliverables(self, actor: Actor, **request: Any) -> Listing:
        request["filters"] |= {"today": self.clock.now().date(),
                               "roles": {role.value for role in actor.roles}}
        return self._list(actor, "deliverables_board", self.queries.deliverables, **request)

    def shipments(self, actor: Actor, **request: Any) -> Listing:
        request["filters"]["today"] = self.clock.now().date()
        return self._list(actor, "shipments_tracker", self.queries.shipments, **request)

    def payouts(self, actor: Actor, **request: Any) -> Listing:
        request["filters"]["me"] = actor.user_id
        return self._list(actor, "payouts_ledger", self.queries.payouts, **request)

    def make_goods(self, actor: Actor, **request: Any) -> Listing:
        request["filters"]["now"] = self.clock.now()
        return self._list(actor, "make_goods_board", self.queries.make_goods, **request)

    @requires(*READERS, action="read payouts")
    def payout_totals(self, actor: Actor, filters: dict[str, Any]) -> dict[str, Any]:
        brand_ids = self._brands(actor, filters.pop("brand_id", None))
        self.named.ensure_visible(actor, filters)
        return self.queries.payout_totals(brand_ids, filters)

    def usage_rights(self, actor: Actor, **request: Any) -> Listing:
        request["filters"]["today"] = self.clock.now().date()
        return self._list(actor, "rights_calendar", self.queries.usage_rights, **request)

    def programs(self, actor: Actor, **request: Any) -> Listing:
        return self._list(actor, "distribution_ledger", self.queries.programs, **request)

    def distributors(self, actor: Actor, **request: Any) -> Listing:
        return self._list(actor, "distribution_ledger", self.queries.distributors, **request)

    def activity(self, actor: Actor, **request: Any) -> Listing:
        return self._list(actor, "activity_feed", self.queries.activity, **request)

    def _list(self, actor: Actor, model_name: str, query: ListQuery, *, filters: dict[str, Any],
              sort: str, cursor: str | None = None, limit: int = 50,
              after: LogPosition | None = None) -> Listing:
        actor.require(*READERS, action="read lists")
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidValue({"limit": f"must be 1-{MAX_LIMIT}"})
        brand_ids = self._brands(actor, filters.pop("brand_id", None))
        self.named.ensure_visible(actor, filters)
        stale = after is not None and not self._caught_up(model_name, after)
        page = query(brand_ids, filters, sort, cursor, limit)
        return Listing(page, self.freshness.positions(model_name), stale)

    def _brands(self, actor: Actor, brand_id: str | None) -> list[str]:
        if brand_id is None:
            return sorted(actor.brand_ids)
        actor.ensure_brand(brand_id, "brand")
        return [brand_id]

    def _caught_up(self, model_name: str, after: LogPosition) -> bool:
        if after.application not in self.freshness.upstream(model_name):
            return True  # that write does not show in this list
        if self.freshness.has_applied(model_name, after.application, after.notification_id):
            return True
        if not self.waiting.acquire(blocking=False):
            return False  # enough requests are waiting already
        try:
            self.freshness.wait(model_name, after.application, after.notification_id,
                                WAIT_SECONDS)
        except TimeoutError:
            return False
        finally:
            self.waiting.release()
        return True
