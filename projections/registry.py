"""The read models over one store: their views, followers, catch-up, rebuild and status."""

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from uuid import uuid4

from eventsourcing.application import Application
from eventsourcing.persistence import InfrastructureFactory, Tracking
from eventsourcing.utils import Environment

from application.infrastructure.settings import ConfigurationError, Settings
from projections.activity_feed import ActivityFeed
from projections.campaigns_overview import CampaignsOverview
from projections.catch_up import catch_up
from projections.contracts_overview import ContractsOverview
from projections.cost_lens import CostLens
from projections.creators_directory import CreatorsDirectory
from projections.deliverables_board import DeliverablesBoard
from projections.distribution_ledger import DistributionLedger
from projections.follower import Follower
from projections.make_goods_board import MakeGoodsBoard
from projections.metrics_summary import MetricsSummary
from projections.payouts_ledger import PayoutsLedger
from projections.processor import Processor
from projections.read_model import ReadModel
from projections.rebuild import rebuild
from projections.rights_calendar import RightsCalendar
from projections.schemas import rebuild_if_reshaped
from projections.set_aside import SetAside
from projections.shipments_tracker import ShipmentsTracker
from projections.tracked_links import TrackedLinks
from projections.view import PostgresView, ReadModelView, ScratchView, SQLiteView

READ_MODELS: tuple[type[ReadModel], ...] = (ContractsOverview, CreatorsDirectory, ActivityFeed,
                                            DeliverablesBoard, ShipmentsTracker, TrackedLinks,
                                            MetricsSummary, PayoutsLedger, RightsCalendar,
                                            CostLens, MakeGoodsBoard, CampaignsOverview,
                                            DistributionLedger)


class ReadModels:
    def __init__(self, settings: Settings, applications: Mapping[str, Application],
                 set_aside: SetAside, policies: Iterable[Processor] = ()) -> None:
        if settings.backend == "memory":
            raise ConfigurationError("Read models need a SQLite or PostgreSQL store.")
        self.settings, self.applications, self.set_aside = settings, applications, set_aside
        self.policies = list(policies)  # followed alongside the read models
        self.factories: list[InfrastructureFactory[Any]] = []
        self.models = {cls.name: cls(self.view(cls.name)) for cls in READ_MODELS}
        self.reshaped = [name for name, model in self.models.items()
                         if rebuild_if_reshaped(model)]
        self.followers: list[Follower] = []

    def view(self, name: str) -> ReadModelView:
        factory = self._factory(name)
        self.factories.append(factory)
        return self._view_of(factory)

    @contextmanager
    def temporary_view(self, name: str) -> Iterator[ReadModelView]:
        """A view with connections of its own, closed afterwards (a rebuild's shadow)."""
        factory = self._factory(name)
        try:
            yield self._view_of(factory)
        finally:
            factory.close()

    @contextmanager
    def scratch_view(self, name: str) -> Iterator[ReadModelView]:
        """A view in a SQLite database in memory, of this process alone, gone afterwards."""
        factory = InfrastructureFactory.construct(Environment(name, {
            "PERSISTENCE_MODULE": "application.infrastructure.sqlite_store:SQLiteFactory",
            "SQLITE_DBNAME": f"file:{name}-{uuid4().hex}?mode=memory&cache=shared"}))
        try:
            yield self._view_of(factory, ScratchView)
        finally:
            factory.close()

    def _factory(self, name: str) -> InfrastructureFactory[Any]:
        env = Environment(name, self.settings.persistence_env())  # the process's shared pool
        return InfrastructureFactory.construct(env)

    def _view_of(self, factory: InfrastructureFactory[Any],
                 view_class: type[ReadModelView] | None = None) -> ReadModelView:
        if view_class is None:
            view_class = SQLiteView if self.settings.backend == "sqlite" else PostgresView
        view: ReadModelView = factory.tracking_recorder(view_class)
        return view

    def __getitem__(self, name: str) -> ReadModel:
        return self.models[name]

    def upstream(self, model: Processor) -> list[Application]:
        return [self.applications[name] for name in model.upstream]

    def processors(self) -> list[Processor]:
        return [*self.policies, *self.models.values()]

    def start(self) -> None:
        """Follows every application the read models and policies need, until stop()."""
        self.followers = [
            Follower([p for p in self.processors() if name in p.upstream], app,
                     self.set_aside).start()
            for name, app in self.applications.items()
            if any(name in p.upstream for p in self.processors())]

    def stop(self) -> None:
        for follower in self.followers:  # all at once: each may be mid-event
            follower.ask_to_stop()
        for follower in self.followers:
            follower.join()
        self.followers = []

    def catch_up(self, names: Iterable[str] | None = None) -> int:
        """Applies every event not applied yet, in batches; returns how many were new.
        Policies go first: their new events are what the read models then show."""
        chosen = [p for p in self.processors() if names is None or p.name in names]
        return sum(catch_up(p, self.upstream(p), set_aside=self.set_aside) for p in chosen)

    def rebuild(self, name: str) -> int:
        """Rebuilds one read model from the start of the log; see projections.rebuild."""
        return rebuild(self, self.models[name])

    def status(self) -> list[dict[str, Any]]:
        rows = []
        set_aside = Counter((row["processor"], row["application"])
                            for row in self.set_aside.rows())
        for processor in self.processors():
            for app in self.upstream(processor):
                position = processor.position(app.name) or 0
                head = app.recorder.max_notification_id() or 0
                rows.append({"read_model": processor.name, "application": app.name,
                             "position": position, "head": head, "lag": head - position,
                             "set_aside": set_aside[(processor.name, app.name)]})
        return rows

    def retry(self, processor_name: str | None = None) -> dict[str, int]:
        """Applies the events set aside (for one processor, or all) once more; those that
        still fail stay set aside. Returns how many were applied and how many remain."""
        applied = 0
        for row in self.set_aside.rows():
            if processor_name not in (None, row["processor"]):
                continue
            processor, (event, tracking) = self._set_aside_event(row)
            self.set_aside.remove(row["processor"], row["application"], row["position"])
            applied += self.set_aside.process(processor, [(event, tracking)])
        left = [r for r in self.set_aside.rows() if processor_name in (None, r["processor"])]
        return {"applied": applied, "still_set_aside": len(left)}

    def skip(self, processor_name: str, application: str, position: int) -> bool:
        """Gives up on one event set aside: tracked as processed, nothing written."""
        for row in self.set_aside.rows():
            if (row["processor"], row["application"], row["position"]) == (
                    processor_name, application, position):
                processor, (_, tracking) = self._set_aside_event(row)
                processor.skip(tracking)
                self.set_aside.remove(processor_name, application, position)
                return True
        return False

    def _set_aside_event(self, row: dict[str, Any]) -> tuple[Any, tuple[Any, Tracking]]:
        processor = next(p for p in self.processors() if p.name == row["processor"])
        app = self.applications[row["application"]]
        (notification,) = app.recorder.select_notifications(start=row["position"], limit=1)
        return processor, (app.mapper.to_domain_event(notification),
                           Tracking(app.name, notification.id))

    def close(self) -> None:
        self.stop()
        for factory in self.factories:
            factory.close()
