"""The read models over one store: their views, followers, catch-up, rebuild and status."""

from collections.abc import Iterable, Mapping
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment

from application.settings import ConfigurationError, Settings
from projections.activity_feed import ActivityFeed
from projections.catch_up import catch_up
from projections.contracts_overview import ContractsOverview
from projections.creators_directory import CreatorsDirectory
from projections.follower import Follower
from projections.read_model import ReadModel
from projections.rebuild import rebuild
from projections.view import PostgresView, ReadModelView, SQLiteView

READ_MODELS: tuple[type[ReadModel], ...] = (ContractsOverview, CreatorsDirectory, ActivityFeed)


class ReadModels:
    def __init__(self, settings: Settings, applications: Mapping[str, Application]) -> None:
        if settings.backend == "memory":
            raise ConfigurationError("Read models need a SQLite or PostgreSQL store.")
        self.settings, self.applications = settings, applications
        self.factories: list[InfrastructureFactory[Any]] = []
        self.models = {cls.name: cls(self.view(cls.name)) for cls in READ_MODELS}
        self.followers: list[Follower] = []

    def view(self, name: str) -> ReadModelView:
        env = Environment(name, {**self.settings.persistence_env(), "POSTGRES_POOL_SIZE": "1",
                                 "POSTGRES_MAX_OVERFLOW": str(self.settings.pool_size)})
        factory: InfrastructureFactory[Any] = InfrastructureFactory.construct(env)
        self.factories.append(factory)
        view_class = SQLiteView if self.settings.backend == "sqlite" else PostgresView
        view: ReadModelView = factory.tracking_recorder(view_class)
        return view

    def __getitem__(self, name: str) -> ReadModel:
        return self.models[name]

    def upstream(self, model: ReadModel) -> list[Application]:
        return [self.applications[name] for name in model.upstream]

    def start(self) -> None:
        """Follows every application each read model needs, until stop()."""
        self.followers = [Follower(model, app).start() for model in self.models.values()
                          for app in self.upstream(model)]

    def stop(self) -> None:
        for follower in self.followers:
            follower.stop()
        self.followers = []

    def catch_up(self, names: Iterable[str] | None = None) -> int:
        """Applies every event not applied yet, in batches; returns how many were new."""
        return sum(catch_up(self.models[name], self.upstream(self.models[name]))
                   for name in (names or self.models))

    def rebuild(self, name: str) -> int:
        """Rebuilds one read model from the start of the log; see projections.rebuild."""
        return rebuild(self, self.models[name])

    def status(self) -> list[dict[str, Any]]:
        rows = []
        for model in self.models.values():
            for app in self.upstream(model):
                position = model.view.max_tracking_id(app.name) or 0
                head = app.recorder.max_notification_id() or 0
                rows.append({"read_model": model.name, "application": app.name,
                             "position": position, "head": head, "lag": head - position})
        return rows

    def close(self) -> None:
        self.stop()
        for factory in self.factories:
            factory.close()
