"""A spreadsheet of creators imported through the command line's path, next to a plain
CRUD import of the same file, in one run.

Run from the project folder:
  .venv/bin/python -m bench.creator_import [--rows 100000]
      [--postgres postgresql://postgres@127.0.0.1:5432/postgres]

For SQLite (a file of its own) and PostgreSQL (a database of its own, dropped at the
end): the file (ROWS creators, one handle each, with a WeChat id, so each has personal
data sealed under a key of its own) is checked (the dry run), then imported all or
nothing (what `kolpact creators import` runs), then the directory catches up. The
yardstick reads the same file with the csv module and inserts one row per creator into
one table in one transaction. Prints seconds and rows/s, and kolpact's time as a
multiple of the yardstick's. Not part of the test suite.
"""

import argparse
import csv
import io
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

from bench.api_vs_crud import kolpact_env, scratch_database

HEADER = "name,kind,platform,handle,followers,engagement rate,categories,wechat\n"


def sheet(rows: int) -> bytes:
    return (HEADER + "".join(f"达人 {n},KOC,xiaohongshu,koc_{n},{n * 7 % 90_000},4.{n % 10}%,"
                             f"\"beauty, skincare\",wx_{n}\n" for n in range(rows))).encode()


def timed(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def kolpact(env: dict[str, str], raw: bytes) -> dict[str, float]:
    from application.bootstrap import build_services
    from application.common.actor import system_actor
    from application.infrastructure.settings import Settings

    services = build_services(Settings.from_environ(env))
    try:
        system = system_actor()
        brand = services.identity.register_brand(system, "Bench brand")
        user = services.identity.register_user(system, "ops@bench.test", "Ops", ["ops"],
                                               [brand])
        ops = services.identity.authenticate(services.identity.issue_token(system, user,
                                                                           "bench")[1])
        imports, read_models = services.creator_imports, services.read_models
        assert imports is not None and read_models is not None
        return {"check": timed(lambda: imports.check(ops, raw)),
                "import": timed(lambda: imports.import_sheet(ops, raw)),
                "catch up": timed(lambda: read_models.catch_up(["creators_directory"]))}
    finally:
        services.close()


def rows_of(raw: bytes) -> list[tuple[Any, ...]]:
    reader = csv.reader(io.StringIO(raw.decode()))
    next(reader)
    return [(n, name, kind, platform, handle, int(followers), engagement, categories, wechat)
            for n, (name, kind, platform, handle, followers, engagement, categories, wechat)
            in enumerate(reader)]


TABLE = ("CREATE TABLE creators (id BIGINT PRIMARY KEY, name TEXT, kind TEXT, platform TEXT, "
         "handle TEXT, followers BIGINT, engagement TEXT, categories TEXT, wechat TEXT)")
INSERT = "INSERT INTO creators VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"


def crud_sqlite(path: Path, raw: bytes) -> float:
    def load() -> None:
        with sqlite3.connect(path) as conn:
            conn.execute(TABLE)
            conn.executemany(INSERT.replace("%s", "?"), rows_of(raw))
    return timed(load)


def crud_postgres(database: str, raw: bytes) -> float:
    def load() -> None:
        with psycopg.connect(database) as conn:
            conn.execute(TABLE.replace("creators", "crud_creators"))
            with conn.cursor() as cursor:
                cursor.executemany(INSERT.replace("creators", "crud_creators"), rows_of(raw))
    return timed(load)


def report(store: str, rows: int, kolpact_times: dict[str, float], crud: float) -> None:
    for step, seconds in kolpact_times.items():
        print(f"| {store} | kolpact {step} | {seconds:.1f} s | {rows / seconds:,.0f} rows/s | "
              f"{seconds / crud:.1f}× |")
    print(f"| {store} | CRUD import | {crud:.1f} s | {rows / crud:,.0f} rows/s | 1.0× |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    raw = sheet(args.rows)
    print(f"{args.rows:,} rows, {len(raw) / 2**20:.1f} MiB\n")
    print("| store | step | time | rate | × CRUD |\n|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        env = {**kolpact_env("sqlite:///" + str(Path(folder) / "kolpact.db")),
               "KOLPACT_DATABASE_URL": "sqlite:///" + str(Path(folder) / "kolpact.db")}
        report("SQLite", args.rows, kolpact(env, raw), crud_sqlite(Path(folder) / "crud.db",
                                                                   raw))
    with scratch_database(args.postgres) as database:
        report("PostgreSQL", args.rows, kolpact(kolpact_env(database), raw),
               crud_postgres(database, raw))


if __name__ == "__main__":
    main()
