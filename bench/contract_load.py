"""How long loading a contract takes as its history grows, with and without snapshots.

Run from the project folder: .venv/bin/python -m bench.contract_load [DATABASE_URL] [EVENTS]
(default: a temporary SQLite file, 10,000 events), next to a contract of 10 events.
Not part of the test suite.
"""

import statistics
import sys
import tempfile
import time
from uuid import UUID

from application.bootstrap import build_services
from application.infrastructure.settings import Settings
from domain.contract import Contract
from tests.builders import given_draft, given_team, valid_terms


def median_ms(load, runs: int = 30) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        load()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def replay(events) -> Contract:  # type: ignore[no-untyped-def]
    contract = None
    for event in events:
        contract = event.mutate(contract)
    return contract  # type: ignore[return-value]


def given_history(services, team, events: int) -> UUID:  # type: ignore[no-untyped-def]
    """A draft whose terms were revised until it has `events` events."""
    contract_id = given_draft(services, team)
    for i in range(events - 1):
        services.contracts.revise_terms(team.legal, contract_id, valid_terms(fee=100_002 + 2 * i))
    return UUID(contract_id)


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    events = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    services = build_services(Settings(database_url=url))
    team = given_team(services)
    app = services.contracts
    interval = app.snapshotting_intervals[Contract]
    # 10 events; `events` (a snapshot at the last one, if a multiple of the interval);
    # and the worst case, interval - 1 events after the last snapshot.
    sizes = (10, events, events + interval - 1 - events % interval)
    started = time.perf_counter()
    contracts = {size: given_history(services, team, size) for size in sizes}
    elapsed = time.perf_counter() - started

    print(f"store: {services.settings.backend}; snapshots every {interval} events; "
          f"writes (load + revise + save): {sum(sizes) / elapsed:,.0f} commands/s")
    loads = {size: median_ms(lambda uuid=uuid: app.repository.get(uuid))
             for size, uuid in contracts.items()}
    for size, ms in loads.items():
        print(f"load a contract of {size:,} events: {ms:.2f} ms (median), "
              f"{ms / loads[10]:.2f}x the one of 10")
    replayed = median_ms(lambda: replay(app.events.get(contracts[events])), runs=5)
    print(f"replaying all {events:,} events without snapshots: {replayed:.2f} ms (median)")
    services.close()


if __name__ == "__main__":
    main()
