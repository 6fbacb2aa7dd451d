"""A follower reads every event, even one committed while it was still connecting."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.builders import given_creator, given_team
from tests.conftest import open_services


def test_an_event_committed_before_the_subscription_listens_is_still_read(
        request, tmp_path, clock, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    running = open_services("postgres", tmp_path, request, clock)
    services = next(running)
    try:
        team = given_team(services)
        recorder: Any = services.creators.recorder
        first_pull_done, event_committed = threading.Event(), threading.Event()
        monkeypatch.setattr(recorder.datastore, "get_connection",
                            listening_after(event_committed, recorder.datastore.get_connection))
        select = recorder.select_notifications

        def pulled(*args: Any, **kwargs: Any) -> Any:
            found = select(*args, **kwargs)
            first_pull_done.set()
            return found

        monkeypatch.setattr(recorder, "select_notifications", pulled)
        with recorder.subscribe(gt=recorder.max_notification_id() or 0) as subscription:
            assert first_pull_done.wait(10)
            creator_id = given_creator(services, team)  # its NOTIFY reaches nobody yet
            event_committed.set()
            read: list[Any] = []
            reader = threading.Thread(target=lambda: read.append(next(subscription)))
            reader.start()
            reader.join(timeout=10)
            subscription.stop()
        assert [str(notification.originator_id) for notification in read] == [creator_id]
    finally:
        next(running, None)


def listening_after(event: threading.Event, get_connection: Any) -> Any:
    """The store's connections, the subscription's LISTEN only once the event is set."""
    @contextmanager
    def connection() -> Iterator[Any]:
        if threading.current_thread().name.endswith("(_listen)"):
            event.wait(10)
        with get_connection() as conn:
            yield conn
    return connection
