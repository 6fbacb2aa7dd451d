"""Keeps one read model current with one application's log, in a thread of its own.

The library's ProjectionRunner builds its own application and view for every
read model and application; kolpact follows with the instances it already
has (one connection pool each), using the library's ApplicationSubscription
(LISTEN/NOTIFY on PostgreSQL, polling on SQLite) and tracking recorders.
After an error it waits and resumes from the view's tracking position.
"""

import logging
from threading import Event, Thread

from eventsourcing.application import Application
from eventsourcing.projection import ApplicationSubscription

from projections.read_model import ReadModel

log = logging.getLogger(__name__)
RETRY_SECONDS = 1.0


class Follower:
    def __init__(self, model: ReadModel, app: Application) -> None:
        self.model, self.app = model, app
        self.stopping = Event()
        self.subscription: ApplicationSubscription | None = None
        self.thread = Thread(target=self._run, daemon=True,
                             name=f"follow-{model.name}-{app.name}")

    def start(self) -> "Follower":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self.subscription is not None:
            self.subscription.stop()
        self.thread.join(timeout=10)

    def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                self._follow()
            except Exception:
                log.exception("read model %s stopped following %s; resuming",
                              self.model.name, self.app.name)
                self.stopping.wait(RETRY_SECONDS)

    def _follow(self) -> None:
        position = self.model.view.max_tracking_id(self.app.name)
        self.subscription = ApplicationSubscription(self.app, gt=position)
        with self.subscription:
            if self.stopping.is_set():
                return
            for domain_event, tracking in self.subscription:
                self.model.process_event(domain_event, tracking)
