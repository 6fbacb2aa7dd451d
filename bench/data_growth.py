"""The contracts list as the store grows: its latency with 10,000 events in the store and
with 1,000,000, in one run.

Run from the project folder (needs wrk: `make bench-tools`):
  .venv/bin/python -m bench.data_growth [--events 1000000] [--seconds 10]
      [--postgres postgresql://postgres@127.0.0.1:5432/postgres]

It makes a database of its own (dropped at the end) and loads drafts through the bulk
import path (ContractsApp.import_drafts, 500 drafts a transaction; what `kolpact
contracts import` runs), all in the one brand the list is read for (the worst case),
catches the list's read model up, then serves kolpact with gunicorn (2 sync workers) and
drives the list (limit 50) with wrk -t2 -c8. It prints how long the load and the
catch-up took. Not part of the test suite.
"""

import argparse
import os
import time
import uuid
from typing import Any

from bench.api_vs_crud import (
    TERMS,
    Run,
    Target,
    initialised,
    operations,
    scratch_database,
    seed_kolpact,
    served,
    wrk,
)

FIRST = 10_000
LISTED = "contracts_overview"
ROWS_PER_CALL = 5_000


def events_in(services: Any) -> int:
    return sum(app.recorder.max_notification_id() or 0
               for app in services.applications().values())


def grow(services: Any, token: str, creator: str, events: int) -> tuple[int, float]:
    """Imports drafts until the store holds `events` events; (drafts, seconds)."""
    legal, started, made = services.identity.authenticate(token), time.perf_counter(), 0
    while (missing := events - events_in(services)) > 0:
        rows = [{"reference": uuid.uuid4().hex, "creator_id": creator,
                 "title": f"Imported {made + n}", "terms": TERMS}
                for n in range(min(missing, ROWS_PER_CALL))]
        made += services.contracts.import_drafts(legal, rows)["imported"]
    return made, time.perf_counter() - started


def caught_up(services: Any) -> tuple[int, float]:
    """The list's read model alone: the others (and the policies) play no part in it."""
    started = time.perf_counter()
    applied = services.read_models.catch_up([LISTED])
    return applied, time.perf_counter() - started


def measure(target: Target, env: dict[str, str], seconds: int) -> Run:
    script = operations(target)["list contracts (limit 50)"]
    with served("web:create_app()", 18421, 2, env, "/api/v1/health"):
        wrk(target, script, 5, 8)  # warm up: caches, prepared statements, the pool
        return wrk(target, script, seconds, 8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()

    from application.bootstrap import build_services
    from application.infrastructure.settings import Settings

    with scratch_database(args.postgres) as database:
        env = initialised(database)
        token, creator, draft = seed_kolpact(env, 1)
        target = Target("kolpact", "http://127.0.0.1:18421/api/v1", token, creator, draft)
        services = build_services(Settings.from_environ(env))
        rows = []
        try:
            for size in (FIRST, args.events):
                drafts, loading = grow(services, token, creator, size)
                applied, catching_up = caught_up(services)
                run = measure(target, env, args.seconds)
                rows.append((events_in(services), drafts, loading, applied, catching_up, run))
        finally:
            services.close()
    report(rows, args)


def report(rows: list[tuple[int, int, float, int, float, Run]], args: argparse.Namespace
           ) -> None:
    print(f"\nPostgreSQL; gunicorn 2 sync workers; wrk -t2 -c8 {args.seconds} s; "
          f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores\n")
    print("| events in the store | drafts imported | import | list's read model caught up | "
          "list req/s | p50 | p99 | p99 × at 10k |")
    print("|---|---|---|---|---|---|---|---|")
    first_p99 = rows[0][5].p99_ms
    for events, drafts, loading, applied, catching_up, run in rows:
        print(f"| {events:,} | {drafts:,} | {loading:.0f} s ({drafts / loading:,.0f}/s) | "
              f"{applied:,} events in {catching_up:.0f} s ({applied / catching_up:,.0f}/s) | "
              f"{run.rps:,.0f} | {run.p50_ms:.1f} ms | {run.p99_ms:.1f} ms | "
              f"{run.p99_ms / first_p99:.2f} |")


if __name__ == "__main__":
    main()
