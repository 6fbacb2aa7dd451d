"""What every policy shares: it follows other applications' logs with tracking, and
applies each of their events exactly once, even with rival runners and crashes."""

from typing import Any

from eventsourcing.application import ProcessingEvent
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.projection import EventSourcedProjection

from application.errors import ConcurrentChange

POLICY_ATTEMPTS = 5


class Policy(EventSourcedProjection):
    """Mixed into an application: its `policy` reacts to the `upstream` logs' events."""

    def position(self, application_name: str) -> int | None:
        return self.recorder.max_tracking_id(application_name)

    def process(self, batch: list[tuple[Any, Tracking]]) -> int:
        return sum(self._process_once(domain_event, tracking) for domain_event, tracking in batch)

    def _process_once(self, domain_event: Any, tracking: Tracking) -> bool:
        """Applies one upstream event unless it was applied already (by another runner,
        or before a crash). A record that someone changed meanwhile is reloaded."""
        for _ in range(POLICY_ATTEMPTS):
            try:
                self.process_event(domain_event, tracking)
            except IntegrityError:
                if self.recorder.has_tracking_id(tracking.application_name,
                                                 tracking.notification_id):
                    return False
                continue
            return True
        raise ConcurrentChange(f"Gave up applying {tracking.application_name} event "
                               f"{tracking.notification_id}: its records kept changing.")

    def skip(self, tracking: Tracking) -> None:
        self._record(ProcessingEvent(tracking=tracking))

