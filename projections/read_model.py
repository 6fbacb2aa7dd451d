"""Declaring a read model: its tables, the events it handles, one handler per event type.

    class CreatorsDirectory(ReadModel):
        name = "creators_directory"
        upstream = ("creators",)
        tables = (Table("creators_directory", "creator_id TEXT PRIMARY KEY, ..."),)

        @on(Creator.Registered)
        def registered(self, event, sql, at):
            sql.run("INSERT INTO {creators_directory} ...", (...))

Handlers write with `sql.run`, naming tables in braces; `at` is the event's
position in its application's log. Events a read model has no handler for
still advance its tracking position.
"""

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from application.infrastructure.sql import Statements
from projections.view import ReadModelView, Table

Handler = Callable[[Any, Any, Statements, Tracking], None]


def on(*event_classes: type) -> Callable[[Handler], Handler]:
    def mark(handler: Handler) -> Handler:
        handler.handles = event_classes  # type: ignore[attr-defined]
        return handler

    return mark


class ReadModel(Projection[ReadModelView]):
    upstream: ClassVar[tuple[str, ...]] = ()  # names of the applications it follows
    tables: ClassVar[tuple[Table, ...]] = ()
    handlers: ClassVar[dict[type, Handler]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.handlers = {event_class: handler for handler in vars(cls).values()
                        for event_class in getattr(handler, "handles", ())}

    def __init__(self, view: ReadModelView, suffix: str = "") -> None:
        super().__init__(view)
        view.bind(self.tables, suffix)

    def position(self, application_name: str) -> int | None:
        return self.view.max_tracking_id(application_name)

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.process([(domain_event, tracking)])

    def skip(self, tracking: Tracking) -> None:
        self.view.record([(tracking, None)])

    def process(self, batch: Sequence[tuple[Any, Tracking]]) -> int:
        """Applies events in order, each exactly once; returns how many were new."""
        return self.view.record([(tracking, self._write(event, tracking))
                                 for event, tracking in batch])

    def process_in(self, cursor: Any, batch: Sequence[tuple[Any, Tracking]]) -> int:
        """Like process, within a transaction the caller holds (used by rebuilds)."""
        return self.view.record_in(cursor, [(tracking, self._write(event, tracking))
                                            for event, tracking in batch])

    def _write(self, event: Any, tracking: Tracking) -> Callable[[Statements], None] | None:
        handler = self.handlers.get(type(event))
        if handler is None:
            return None
        return lambda sql: handler(self, event, sql, tracking)
