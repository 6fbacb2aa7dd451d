"""What the hash chain costs: event writes with and without links, and verification speed.

Run from the project folder:
  .venv/bin/python -m bench.audit_chain [DATABASE_URL] [EVENTS]
(default: a temporary SQLite file, 5,000 events). For PostgreSQL pass e.g.
postgresql://postgres@127.0.0.1:5432/postgres?schema=bench_chain (a schema of its own).
Not part of the test suite.
"""

import sys
import tempfile
import time
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from application.audit.chain_reader import StoredChain
from application.bootstrap import build_services
from application.common.actor import system_actor
from application.infrastructure.settings import Settings


class Tick(Aggregate):
    """A small aggregate that only records ticks: the write path, not the domain."""

    @event("Ticked")
    def tick(self, n: int) -> None:
        self.n = n


def saves_per_second(app: Application, count: int) -> float:
    ticker = Tick()
    app.save(ticker)
    started = time.perf_counter()
    for n in range(count):
        ticker.tick(n)
        app.save(ticker)
    return count / (time.perf_counter() - started)


def plain_env(settings: Settings) -> dict[str, Any]:
    """The library's own recorders for the same store: no links."""
    env = dict(settings.persistence_env())
    env["PERSISTENCE_MODULE"] = ("eventsourcing.postgres" if settings.backend == "postgres"
                                 else "eventsourcing.sqlite")
    return env


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    settings = Settings(database_url=url)
    services = build_services(settings)

    class Plain(Application):
        name = "bench_plain"

    class Chained(Application):
        name = "bench_chained"

    plain = Plain(plain_env(settings))
    chained = Chained(settings.persistence_env())
    unlinked = saves_per_second(plain, count)
    linked = saves_per_second(chained, count)
    # The store check covers every application the chain knows, this one included.
    known = services.audit.chain.applications  # type: ignore[union-attr]
    services.audit.chain = StoredChain(services.database, {**known, chained.name: chained})

    started = time.perf_counter()
    result = services.audit.verify(system_actor())
    took = time.perf_counter() - started

    print(f"store: {settings.backend}; {count:,} single-event saves each")
    print(f"saves without links (library recorders): {unlinked:,.0f}/s")
    print(f"saves with links (kolpact recorders):     {linked:,.0f}/s "
          f"({(1 - linked / unlinked) * 100:.0f}% slower)")
    print(f"verify the whole store: {result['events_checked']:,} events in {took:.2f} s "
          f"({result['events_checked'] / took:,.0f} events/s), passed: {result['passed']}")
    plain.close()
    chained.close()
    services.close()


if __name__ == "__main__":
    main()
