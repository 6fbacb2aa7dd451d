"""Keeps read models and policies current with one application's log, in a thread.

One follower per application: it subscribes once (the library's
ApplicationSubscription: LISTEN/NOTIFY on PostgreSQL, polling on SQLite),
decodes each event once, and hands it to every processor that has not
processed it yet. (The library's ProjectionRunner would build an application,
a view and a subscription per read model; each subscription holds a
connection of the application's pool for as long as it runs.) An event a
processor cannot apply is set aside (projections.set_aside) and the others go
on; after an error that may pass, it waits and resumes from the processors'
tracking positions.
"""

import logging
from collections.abc import Sequence
from threading import Event, Thread

from eventsourcing.application import Application
from eventsourcing.projection import ApplicationSubscription

from projections.processor import Processor
from projections.set_aside import SetAside

log = logging.getLogger(__name__)
RETRY_SECONDS = 1.0


class Follower:
    def __init__(self, processors: Sequence[Processor], app: Application,
                 set_aside: SetAside) -> None:
        self.processors, self.app, self.set_aside = list(processors), app, set_aside
        self.stopping = Event()
        self.subscription: ApplicationSubscription | None = None
        self.thread = Thread(target=self._run, daemon=True, name=f"follow-{app.name}")

    def start(self) -> "Follower":
        self.thread.start()
        return self

    def ask_to_stop(self) -> None:
        self.stopping.set()
        if self.subscription is not None:
            self.subscription.stop()

    def join(self) -> None:
        self.thread.join(timeout=10)

    def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                self._follow()
            except Exception:
                log.exception("stopped following %s; resuming", self.app.name)
                self.stopping.wait(RETRY_SECONDS)

    def _follow(self) -> None:
        positions = {p.name: p.position(self.app.name) or 0 for p in self.processors}
        self.subscription = ApplicationSubscription(self.app, gt=min(positions.values()))
        with self.subscription:
            if self.stopping.is_set():
                return
            for domain_event, tracking in self.subscription:
                for processor in self.processors:
                    if tracking.notification_id > positions[processor.name]:
                        self.set_aside.process(processor, [(domain_event, tracking)])
                        positions[processor.name] = tracking.notification_id
