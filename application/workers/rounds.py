"""Work done in rounds, in a thread of its own, until stopped."""

import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class Rounds:
    """Runs `work` every `interval` seconds; a failed round is logged and the next one
    runs as usual."""

    def __init__(self, name: str, interval: float, work: Callable[[], Any],
                 daemon: bool = False) -> None:
        self.interval, self.work = interval, work
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=name, daemon=daemon)

    def start(self) -> "Rounds":
        self.thread.start()
        return self

    def stop(self, wait: bool = True) -> None:
        """Stops after the round in progress; `wait` for it to end."""
        self.stopped.set()
        if wait:
            self.thread.join()

    def _run(self) -> None:
        while not self.stopped.is_set():
            try:
                done = self.work()
                log.debug("background round", extra={"done": done})
            except Exception:  # one bad round must not end the worker
                log.exception("background round failed")
            self.stopped.wait(self.interval)
