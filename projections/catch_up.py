"""Applying, in batches, the events a read model has not applied yet."""

from collections.abc import Callable, Iterable
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import Tracking

from projections.processor import Processor
from projections.set_aside import SetAside

BATCH = 500
Process = Callable[[list[tuple[Any, Tracking]]], int]


def catch_up(model: Processor, applications: Iterable[Application],
             process: Process | None = None, set_aside: SetAside | None = None) -> int:
    """Applies, in batches, every event the model has not applied yet; returns how many.
    With `set_aside`, an event the model cannot apply is set aside and the rest go on."""
    applied = 0
    if process is None:
        process = model.process if set_aside is None else \
            (lambda batch: set_aside.process(model, batch))
    for app in applications:
        position = model.position(app.name) or 0
        while notifications := app.recorder.select_notifications(
                start=position, limit=BATCH, inclusive_of_start=False):
            applied += process(
                [(app.mapper.to_domain_event(n), Tracking(app.name, n.id))
                 for n in notifications])
            position = notifications[-1].id
    return applied
