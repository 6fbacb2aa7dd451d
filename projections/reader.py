"""The read models as the reading use cases see them (`application.ports.read_models`):
each query bound to the view of the read model that answers it."""

from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime
from typing import Any

from application.ports.read_models import CampaignFigures, Filters, ListQuery, Page
from projections import campaign_figures as figures
from projections import distribution_queries as distribution
from projections import queries
from projections.columns import moment
from projections.registry import ReadModels


class ReadModelReader:
    def __init__(self, read_models: ReadModels) -> None:
        self.read_models = read_models
        self.contracts = self._list(queries.contracts, "contracts_overview")
        self.campaigns = self._list(queries.campaigns, "campaigns_overview")
        self.creators = self._list(queries.creators, "creators_directory")
        self.folders = self._list(queries.folders, "creators_directory")
        self.deliverables = self._list(queries.deliverables, "deliverables_board")
        self.shipments = self._list(queries.shipments, "shipments_tracker")
        self.payouts = self._list(queries.payouts, "payouts_ledger")
        self.make_goods = self._list(queries.make_goods, "make_goods_board")
        self.usage_rights = self._list(queries.usage_rights, "rights_calendar")
        self.activity = self._list(queries.activity, "activity_feed")
        self.programs = self._list(distribution.programs, "distribution_ledger")
        self.distributors = self._list(distribution.distributors, "distribution_ledger")

    def _list(self, query: Callable[..., Page], model_name: str) -> ListQuery:
        # The view is looked up at each call: a rebuild may have replaced it.
        def page(brand_ids: Collection[str], filters: Filters, sort: str, cursor: str | None,
                 limit: int) -> Page:
            return query(self._view(model_name), brand_ids, filters, sort, cursor, limit)
        return page

    def distribution_figures(self, program_id: str, since: datetime | None = None,
                             until: datetime | None = None) -> dict[str, dict[str, int]]:
        return distribution.figures(self._view("distribution_ledger"), program_id,
                                    None if since is None else moment(since),
                                    None if until is None else moment(until))

    def distribution_statements(self, program_id: str, month: str) -> list[dict[str, Any]]:
        return distribution.statements(self._view("distribution_ledger"), program_id, month)

    def distribution_reward_money(self, program_id: str) -> dict[str, int]:
        return distribution.reward_money(self._view("distribution_ledger"), program_id)

    def distribution_recruits(self, program_id: str) -> dict[str, int]:
        return distribution.recruits(self._view("distribution_ledger"), program_id)

    def program_ledger(self, program_id: str) -> dict[str, int]:
        return distribution.program_ledger(self._view("distribution_ledger"), program_id)

    def creator_handles(self, brand_id: str) -> list[tuple[str, list[Any]]]:
        return queries.creator_handles(self._view("creators_directory"), brand_id)

    def payout_totals(self, brand_ids: Collection[str], filters: Filters
                      ) -> dict[str, dict[str, int]]:
        return queries.payout_totals(self._view("payouts_ledger"), brand_ids, filters)

    def metric_figures(self, brand_ids: Collection[str], column: str, value: str
                       ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        return queries.metric_figures(self._view("metrics_summary"), brand_ids, column, value)

    def lens_by_group(self, brand_ids: Collection[str], by: str, filters: Filters
                      ) -> list[dict[str, Any]]:
        return queries.lens_by_group(self._view("cost_lens"), brand_ids, by, filters)

    def lens_by_deliverable(self, brand_ids: Collection[str], filters: Filters, limit: int
                            ) -> list[dict[str, Any]]:
        return queries.lens_by_deliverable(self._view("cost_lens"), brand_ids, filters, limit)

    def lens_by_kind(self, brand_ids: Collection[str], filters: Filters
                     ) -> list[dict[str, Any]]:
        return queries.lens_by_kind(self._view("cost_lens"), brand_ids, filters)

    def campaign_contract_ids(self, brand_ids: Collection[str], campaign_id: str) -> list[str]:
        return [c["contract_id"] for c in figures.campaign_contracts(
            self._view("contracts_overview"), brand_ids, campaign_id)]

    def campaign_figures(self, brand_ids: Collection[str], campaign_id: str,
                         today: date) -> CampaignFigures:
        contracts = figures.campaign_contracts(self._view("contracts_overview"), brand_ids,
                                               campaign_id)
        ids = [c["contract_id"] for c in contracts]
        awaiting, money = figures.payout_figures(self._view("payouts_ledger"), ids)
        return CampaignFigures(
            contracts, figures.deliverable_figures(self._view("deliverables_board"), ids, today),
            figures.late_shipments(self._view("shipments_tracker"), ids, today),
            awaiting, money)

    # Freshness
    def upstream(self, model_name: str) -> Sequence[str]:
        return self.read_models[model_name].upstream

    def positions(self, model_name: str) -> dict[str, int]:
        return self._view(model_name).applied_positions(self.upstream(model_name))

    def has_applied(self, model_name: str, application: str, notification_id: int) -> bool:
        return bool(self._view(model_name).has_tracking_id(application, notification_id))

    def wait(self, model_name: str, application: str, notification_id: int,
             timeout: float) -> None:
        self._view(model_name).wait(application, notification_id, timeout=timeout)

    def _view(self, model_name: str) -> Any:
        return self.read_models[model_name].view
