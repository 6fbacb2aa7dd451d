"""Write throughput as concurrent clients grow (1, 2, 4, 8), side by side in one run:
kolpact's create-draft endpoint, the CRUD app's, and raw psycopg INSERT + COMMIT on
1 and 4 connections (the ceiling of the database and machine themselves).

Run from the project folder (needs wrk: `make bench-tools`):
  .venv/bin/python -m bench.write_scaling [--seconds 5] [--workers 4]
      [--postgres postgresql://postgres@127.0.0.1:5432/postgres]

Both apps are served by gunicorn with --workers sync workers (enough for the most
clients to be served at once, up to the cores); wrk drives each. Not part of the suite.
"""

import argparse
import os
import threading
import time
import uuid

import psycopg

from bench.api_vs_crud import (
    Run,
    Target,
    initialised,
    operations,
    scratch_database,
    seed_crud,
    seed_kolpact,
    served,
    wrk,
)

CLIENTS = (1, 2, 4, 8)
RAW_CONNECTIONS = (1, 4)
RAW_DDL = "CREATE TABLE IF NOT EXISTS raw_writes (id uuid PRIMARY KEY, body jsonb NOT NULL)"


def raw_inserts(database: str, connections: int, seconds: float) -> float:
    """Rows per second, each its own INSERT and COMMIT, `connections` at once."""
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute(RAW_DDL)
    counts = [0] * connections
    stop = time.monotonic() + seconds

    def insert(slot: int) -> None:
        with psycopg.connect(database) as conn:
            while time.monotonic() < stop:
                conn.execute("INSERT INTO raw_writes VALUES (%s, %s)",
                             (uuid.uuid4(), '{"title": "Spring launch"}'))
                conn.commit()
                counts[slot] += 1

    threads = [threading.Thread(target=insert, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    with scratch_database(args.postgres) as database:
        env = initialised(database)
        kolpact = Target("kolpact", "http://127.0.0.1:18411/api/v1", *seed_kolpact(env, 10))
        crud = Target("CRUD", "http://127.0.0.1:18412", *seed_crud(database, 10))
        crud_env = {**os.environ, "BENCH_CRUD_DSN": database}
        runs: dict[int, dict[str, Run]] = {}
        with served("web:create_app()", 18411, args.workers, env, "/api/v1/health"), \
                served("bench.crud_app:create_app()", 18412, args.workers, crud_env,
                       "/contracts"):
            for target in (kolpact, crud):  # warm up: caches, prepared statements
                wrk(target, operations(target)["create draft contract"], 2, 2)
            for clients in CLIENTS:
                for target in (kolpact, crud):
                    script = operations(target)["create draft contract"]
                    runs.setdefault(clients, {})[target.name] = wrk(
                        target, script, args.seconds, clients, threads=1)
        raw = {n: raw_inserts(database, n, args.seconds) for n in RAW_CONNECTIONS}
    report(runs, raw, args)


def report(runs: dict[int, dict[str, Run]], raw: dict[int, float],
           args: argparse.Namespace) -> None:
    print(f"\nPostgreSQL; gunicorn {args.workers} sync workers each; wrk {args.seconds} s per "
          f"row; {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores\n")
    print("| clients | kolpact creates/s | p99 | CRUD creates/s | p99 | ratio | "
          "kolpact × its 1-client rate |")
    print("|---|---|---|---|---|---|---|")
    alone = runs[CLIENTS[0]]["kolpact"].rps
    for clients, by_app in runs.items():
        k, c = by_app["kolpact"], by_app["CRUD"]
        failed = "" if not (k.failed or c.failed) else f" (non-2xx: {k.failed} / {c.failed})"
        print(f"| {clients}{failed} | {k.rps:,.0f} | {k.p99_ms:.1f} ms | {c.rps:,.0f} | "
              f"{c.p99_ms:.1f} ms | {k.rps / c.rps:.2f} | {k.rps / alone:.2f} |")
    print("\nraw psycopg INSERT + COMMIT: " + ", ".join(
        f"{n} connection{'s' if n > 1 else ''} {rate:,.0f}/s" for n, rate in raw.items()))


if __name__ == "__main__":
    main()
