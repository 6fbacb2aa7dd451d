"""How long loading a contract takes as its history grows, with and without snapshots.

Run from the project folder: .venv/bin/python -m bench.contract_load [DATABASE_URL] [EVENTS]
(default: a temporary SQLite file, 1,024 events: the most since a snapshot).
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


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    events = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
    services = build_services(Settings(database_url=url))
    team = given_team(services)
    contract_id = given_draft(services, team)
    started = time.perf_counter()
    for i in range(events - 1):
        services.contracts.revise_terms(team.legal, contract_id, valid_terms(fee=100_002 + 2 * i))
    elapsed = time.perf_counter() - started
    app, uuid = services.contracts, UUID(contract_id)

    with_snapshots = median_ms(lambda: app.repository.get(uuid))
    from_events = median_ms(lambda: replay(app.events.get(uuid)))

    print(f"store: {services.settings.backend}; {events} events on one contract")
    print(f"writes (load + revise + save): {events / elapsed:,.0f} commands/s")
    interval = app.snapshotting_intervals[Contract]
    print(f"load with snapshots (every {interval}, {events % interval} events since the last): "
          f"{with_snapshots:.2f} ms (median)")
    print(f"load by replaying every event:   {from_events:.2f} ms (median)")
    services.close()


if __name__ == "__main__":
    main()
