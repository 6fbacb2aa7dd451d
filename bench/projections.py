"""Read-model figures: rebuild speed, and how far behind the log they fall under a burst.

Run from the project folder:
    .venv/bin/python -m bench.projections [DATABASE_URL] [CONTRACTS]
(default: a temporary SQLite file and 300 contracts, each drafted, sent and signed by
both parties: ~1,500 events plus users and creators). Not part of the test suite.
"""

import statistics
import sys
import tempfile
import threading
import time

from application.bootstrap import build_services
from application.infrastructure.settings import Settings
from tests.builders import given_team
from tests.read_models import Scenario

STEPS = ("new_creator", "draft", "send", "sign", "accept")


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    contracts = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    services = build_services(Settings(database_url=url))
    read_models = services.read_models
    assert read_models is not None
    scenario = Scenario(services, given_team(services))
    for pick in range(contracts):
        for step in STEPS:
            scenario.run(step, pick)
    events = sum(app.recorder.max_notification_id() or 0
                 for app in services.applications().values())
    print(f"store: {services.settings.backend}; {events} events in the log")
    raw = raw_read_rate(services)
    print(f"raw read of every log, in batches of {BATCH}, each event decoded: "
          f"{raw:,.0f} events/s")

    for name in read_models.models:
        started = time.perf_counter()
        applied = read_models.rebuild(name)
        seconds = time.perf_counter() - started
        print(f"rebuild {name}: {applied} events in {seconds:.2f} s "
              f"= {applied / seconds:,.0f} events/s ({applied / seconds / raw:.0%} of the raw "
              "read)")

    read_models.catch_up()  # the policies too: the followers then start at the head
    read_models.start()
    lags = measure_lag_under_burst(scenario, read_models, contracts)
    print(f"burst of {len(lags)} writes from one writer: lag until the contracts list shows "
          f"each draft: median {statistics.median(lags) * 1000:.0f} ms, "
          f"p95 {sorted(lags)[int(len(lags) * 0.95)] * 1000:.0f} ms, "
          f"max {max(lags) * 1000:.0f} ms")
    services.close()


BATCH = 1000


def raw_read_rate(services) -> float:  # type: ignore[no-untyped-def]
    """Events/s reading every log and decoding each event: what no rebuild can beat."""
    started, count = time.perf_counter(), 0
    for app in services.applications().values():
        start = 1
        while batch := app.recorder.select_notifications(start, BATCH):
            for notification in batch:
                app.mapper.to_domain_event(notification)
            count += len(batch)
            start = batch[-1].id + 1
    return count / (time.perf_counter() - started)


def measure_lag_under_burst(scenario: Scenario, read_models, offset: int) -> list[float]:  # type: ignore[no-untyped-def]
    """Drafts contracts as fast as one writer can; a watcher notes when each appears."""
    view = read_models["contracts_overview"].view
    written: dict[str, float] = {}
    seen: dict[str, float] = {}
    done = threading.Event()

    def watch() -> None:
        deadline = time.perf_counter() + 60
        while (not done.is_set() or any(c not in seen for c in written)) \
                and time.perf_counter() < deadline:
            for row in view.read("SELECT contract_id FROM {contracts_overview}"):
                seen.setdefault(row["contract_id"], time.perf_counter())
            time.sleep(0.005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    before = set(scenario.contracts)
    for pick in range(offset, offset + 200):
        scenario.run("draft", pick)
        written[scenario.contracts[-1]] = time.perf_counter()
    done.set()
    watcher.join()
    missing = [c for c in written if c not in seen]
    assert not missing, f"{len(missing)} drafts never showed in the list"
    return [seen[c] - written[c] for c in written if c not in before]


if __name__ == "__main__":
    main()
