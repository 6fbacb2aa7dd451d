"""What the lists and reports need from the read models, as use cases see them.

projections/ implements this (`projections.reader.ReadModelReader`) and the
bootstrap hands it to the reading use cases, so they never import projections.
Every query reads rows of the given brands only; filters are already checked.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

MAX_LIMIT = 200  # rows in one page


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None


Filters = dict[str, Any]


class ListQuery(Protocol):
    def __call__(self, brand_ids: Collection[str], filters: Filters, sort: str,
                 cursor: str | None, limit: int) -> Page: ...


@dataclass(frozen=True)
class CampaignFigures:
    """A campaign's board as the read models have it (see projections.campaign_figures)."""

    contracts: list[dict[str, Any]]  # id, creator, title, status, fee, active since
    deliverables: dict[str, dict[str, Any]]  # contract id -> next due, overdue, awaiting
    late_shipments: dict[str, int]  # contract id -> shipments late
    awaiting_approval: dict[str, int]  # contract id -> payouts awaiting approval
    money: dict[str, dict[str, int]]  # currency -> paid, held


class ReadModelQueries(Protocol):
    # Lists: one page of rows after `cursor`, in `sort` order.
    contracts: ListQuery
    campaigns: ListQuery
    creators: ListQuery
    folders: ListQuery
    deliverables: ListQuery
    shipments: ListQuery
    payouts: ListQuery
    make_goods: ListQuery
    usage_rights: ListQuery
    activity: ListQuery
    programs: ListQuery
    distributors: ListQuery

    def distribution_figures(self, program_id: str, since: datetime | None = None,
                             until: datetime | None = None) -> dict[str, dict[str, int]]:
        """Per distributor, from `since` up to `until`: orders, sales, earned, taken_back."""

    def distribution_statements(self, program_id: str, month: str) -> list[dict[str, Any]]:
        """Each distributor's month (YYYY-MM): sales, earned, taken_back, reward money."""

    def distribution_reward_money(self, program_id: str) -> dict[str, int]:
        """Per distributor, the money their rewards carried, all months."""

    def distribution_recruits(self, program_id: str) -> dict[str, int]:
        """Per recruiter, how many they recruited who are still in the program."""

    def program_ledger(self, program_id: str) -> dict[str, int]:
        """The program's sales, commission accrued, reversed and forfeited."""

    def creator_handles(self, brand_id: str) -> list[tuple[str, list[Any]]]:
        """(creator id, platform handles) of every creator of the brand."""

    def payout_totals(self, brand_ids: Collection[str], filters: Filters
                      ) -> dict[str, dict[str, int]]: ...

    def metric_figures(self, brand_ids: Collection[str], column: str, value: str
                       ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]: ...

    def lens_by_group(self, brand_ids: Collection[str], by: str, filters: Filters
                      ) -> list[dict[str, Any]]: ...

    def lens_by_deliverable(self, brand_ids: Collection[str], filters: Filters, limit: int
                            ) -> list[dict[str, Any]]: ...

    def lens_by_kind(self, brand_ids: Collection[str], filters: Filters
                     ) -> list[dict[str, Any]]: ...

    def campaign_contract_ids(self, brand_ids: Collection[str], campaign_id: str
                              ) -> list[str]: ...

    def campaign_figures(self, brand_ids: Collection[str], campaign_id: str,
                         today: date) -> CampaignFigures: ...


class Freshness(Protocol):
    """How far each read model has read its applications' logs."""

    def upstream(self, model_name: str) -> Sequence[str]: ...

    def positions(self, model_name: str) -> dict[str, int]: ...

    def has_applied(self, model_name: str, application: str, notification_id: int) -> bool: ...

    def wait(self, model_name: str, application: str, notification_id: int,
             timeout: float) -> None:
        """Returns once the model applied that event; raises TimeoutError if it did not."""
