"""What followers and catch-up drive: read models, and policies that record new events."""

from typing import Any, Protocol

from eventsourcing.persistence import Tracking


class Processor(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def upstream(self) -> tuple[str, ...]:
        """Names of the applications whose logs it follows."""

    def position(self, application_name: str) -> int | None:
        """The last event of that application already processed."""

    def process_event(self, domain_event: Any, tracking: Tracking) -> None: ...

    def process(self, batch: list[tuple[Any, Tracking]]) -> int:
        """Processes events in order, each exactly once; returns how many were new."""

    def skip(self, tracking: Tracking) -> None:
        """Records the event as processed without acting on it (an operator gave up)."""
