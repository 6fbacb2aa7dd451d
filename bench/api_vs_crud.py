"""kolpact's contract endpoints side by side with a plain CRUD app doing the same work.

Run from the project folder (needs wrk: `make bench-tools`):
  .venv/bin/python -m bench.api_vs_crud [--seconds 10] [--workers 2] [--connections 8]
      [--postgres postgresql://postgres@127.0.0.1:5432/postgres] [--seed 500]

It makes a database of its own (dropped at the end), serves kolpact and bench/crud_app.py
each with gunicorn (sync workers), drives each with wrk (-t2), and prints, per operation,
req/s, p50, p99 and the ratio kolpact/CRUD; then it serves each once more through a
counting proxy (bench/round_trips.py) and prints database round trips per request.
Not part of the test suite.
"""

import argparse
import contextlib
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import psycopg

from bench.crud_app import DDL
from bench.round_trips import RoundTripProxy

BIN = Path(sys.executable).parent
TERMS = {
    "fee": {"amount": 100_000, "currency": "CNY"},
    "deliverables": [{"key": "video-1", "kind": "short_video", "platform": "douyin",
                      "due_date": "2027-06-30", "spec": {"video_length_seconds": 60}}],
    "milestones": [
        {"key": "signing", "label": "On signature", "amount": 50_000, "trigger": "on_signature"},
        {"key": "accepted", "label": "Video accepted", "amount": 50_000,
         "trigger": "on_deliverable_accepted", "deliverable_key": "video-1"}],
    "required_disclosures": ["#ad"],
}


@dataclass
class Target:
    """One app as wrk sees it."""
    name: str
    base: str  # http://127.0.0.1:PORT/prefix
    token: str
    creator_id: str
    contract_id: str


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    failed: int


# --- the database, seeded through each app's own write path --------------------------------

@contextlib.contextmanager
def scratch_database(server: str) -> Iterator[str]:
    name = f"bench_api_{os.getpid()}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    url = urlparse(server)
    try:
        yield url._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def kolpact_env(database: str) -> dict[str, str]:
    from application.infrastructure.settings import new_cipher_key
    return {**os.environ, "KOLPACT_DATABASE_URL": f"{database}?schema=public",
            "KOLPACT_CIPHER_KEY": new_cipher_key(), "KOLPACT_LOG_LEVEL": "WARNING"}


def initialised(database: str) -> dict[str, str]:
    """kolpact's environment for the database, its store created (`kolpact init-db`)."""
    env = kolpact_env(database)
    subprocess.run([str(BIN / "kolpact"), "init-db"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return env


def seed_kolpact(env: dict[str, str], contracts: int) -> tuple[str, str, str]:
    """A brand with a legal user, a creator and some drafts; returns token, creator, draft."""
    from application.bootstrap import build_services
    from application.common.actor import system_actor
    from application.infrastructure.settings import Settings
    from tests.builders import creator_profile

    services = build_services(Settings.from_environ(env))
    try:
        system = system_actor()
        brand = services.identity.register_brand(system, "Bench brand")
        user = services.identity.register_user(system, "legal@bench.test", "Lee", ["legal", "ops"],
                                               [brand])
        token = services.identity.issue_token(system, user, "bench")[1]
        legal = services.identity.authenticate(token)
        creator = services.creators.register_creator(legal, creator_profile())["id"]
        draft = ""
        for n in range(contracts):
            draft = services.contracts.draft_contract(legal, str(creator), f"Draft {n}",
                                                      TERMS)["id"]
        return token, str(creator), str(draft)
    finally:
        services.close()


def seed_crud(database: str, contracts: int) -> tuple[str, str, str]:
    token, brand, creator = f"crud-{uuid.uuid4().hex}", uuid.uuid4(), uuid.uuid4()
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute(DDL)
        conn.execute("INSERT INTO crud_tokens VALUES (%s, %s)", (token, brand))
        ids = [uuid.uuid4() for _ in range(contracts)]
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO crud_contracts (id, brand_id, creator_id, title, status, terms,"
                " version) VALUES (%s, %s, %s, %s, 'draft', %s, 1)",
                [(i, brand, creator, f"Draft {n}", json.dumps(TERMS)) for n, i in enumerate(ids)])
    return token, str(creator), str(ids[-1])


# --- serving --------------------------------------------------------------------------------

@contextlib.contextmanager
def served(app: str, port: int, workers: int, env: dict[str, str], health: str
           ) -> Iterator[None]:
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", app], env=env)
    try:
        wait_until_up(port, health)
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


@contextlib.contextmanager
def background(args: list[str], env: dict[str, str]) -> Iterator[None]:
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL)
    try:
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def wait_until_up(port: int, path: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            status, _ = call(port, "GET", path)
            if status < 500:
                return
        time.sleep(0.2)
    raise SystemExit(f"nothing answered on port {port} within {seconds:.0f} s")


def call(port: int, method: str, path: str, token: str = "", body: object = None,
         headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        sent = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                **(headers or {})}
        conn.request(method, path, None if body is None else json.dumps(body), sent)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# --- the operations, as wrk scripts -----------------------------------------------------------

def operations(target: Target) -> dict[str, str]:
    """Each operation's wrk script: method, path, headers, body."""
    body = json.dumps({"creator_id": target.creator_id, "title": "Spring launch",
                       "terms": TERMS})
    auth = f'wrk.headers["Authorization"] = "Bearer {target.token}"\n'
    post = (f'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
            f'wrk.body = {lua_string(body)}\n')
    path = urlparse(target.base).path
    keyed = ('local thread_id = 0\nlocal n = 0\n'
             'function setup(thread) thread_id = thread_id + 1; thread:set("tid", thread_id) end\n'
             'function request()\n  n = n + 1\n'
             '  wrk.headers["Idempotency-Key"] = "bench-" .. tid .. "-" .. n .. "-" .. os.time()\n'
             f'  return wrk.format(nil, "{path}/contracts")\nend\n')
    return {
        "create draft contract": auth + post + f'wrk.path = "{path}/contracts"\n',
        "same with Idempotency-Key": auth + post + keyed,
        "get contract by id": auth + f'wrk.path = "{path}/contracts/{target.contract_id}"\n',
        "list contracts (limit 50)": auth + f'wrk.path = "{path}/contracts?limit=50"\n',
    }


def lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def wrk(target: Target, script: str, seconds: int, connections: int, threads: int = 2) -> Run:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    out = subprocess.run(["wrk", f"-t{min(threads, connections)}", f"-c{connections}",
                          f"-d{seconds}s", "--latency", "-s", f.name, target.base],
                         capture_output=True, text=True, check=True).stdout
    os.unlink(f.name)
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Run(rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
               p50_ms=latency(out, "50%"), p99_ms=latency(out, "99%"),
               failed=int(failed.group(1)) if failed else 0)


def latency(out: str, percentile: str) -> float:
    value, unit = re.search(rf"^\s+{percentile}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


# --- round trips, on the wire -------------------------------------------------------------------

ROUND_TRIP_REQUESTS = 30


def round_trips(target: Target, port: int, proxy: RoundTripProxy) -> dict[str, float]:
    """Sequential requests, one at a time, each operation after a warm-up of its own."""
    path = urlparse(target.base).path
    body = {"creator_id": target.creator_id, "title": "Counted", "terms": TERMS}
    requests = {
        "create draft contract": lambda n: ("POST", f"{path}/contracts", body, {}),
        "same with Idempotency-Key": lambda n: ("POST", f"{path}/contracts", body,
                                                {"Idempotency-Key": f"count-{n}-{uuid.uuid4()}"}),
        "get contract by id": lambda n: ("GET", f"{path}/contracts/{target.contract_id}", None,
                                         {}),
        "list contracts (limit 50)": lambda n: ("GET", f"{path}/contracts?limit=50", None, {}),
    }
    counted = {}
    for name, make in requests.items():
        for n in range(5):
            method, url, sent, headers = make(n)
            call(port, method, url, target.token, sent, headers)
        time.sleep(0.3)
        proxy.take()
        for n in range(ROUND_TRIP_REQUESTS):
            method, url, sent, headers = make(n)
            status, answer = call(port, method, url, target.token, sent, headers)
            if status >= 300:
                raise SystemExit(f"{target.name} {name}: {status} {answer[:300]!r}")
        counted[name] = proxy.take() / ROUND_TRIP_REQUESTS
    return counted


# --- the run ------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seed", type=int, default=500, help="contracts in each store first")
    args = parser.parse_args()

    with scratch_database(args.postgres) as database:
        env = initialised(database)
        token, creator, draft = seed_kolpact(env, args.seed)
        kolpact = Target("kolpact", "http://127.0.0.1:18401/api/v1", token, creator, draft)
        token, creator, draft = seed_crud(database, args.seed)
        crud = Target("CRUD", "http://127.0.0.1:18402", token, creator, draft)
        crud_env = {**os.environ, "BENCH_CRUD_DSN": database}

        results: dict[str, dict[str, Run]] = {}
        with background([str(BIN / "kolpact"), "projections", "run"], env), \
                served("web:create_app()", 18401, args.workers, env, "/api/v1/health"), \
                served("bench.crud_app:create_app()", 18402, args.workers, crud_env,
                       "/contracts"):
            for target in (kolpact, crud):
                for name, script in operations(target).items():
                    results.setdefault(name, {})[target.name] = wrk(
                        target, script, args.seconds, args.connections)

        proxy = RoundTripProxy(urlparse(database).port or 5432)
        counted_db = urlparse(database)._replace(netloc=f"postgres@127.0.0.1:{proxy.port}").geturl()
        counts = {}
        with served("web:create_app()", 18403, 1, kolpact_env(counted_db) | {
                "KOLPACT_CIPHER_KEY": env["KOLPACT_CIPHER_KEY"]}, "/api/v1/health"):
            counts["kolpact"] = round_trips(kolpact, 18403, proxy)
        with served("bench.crud_app:create_app()", 18404, 1,
                    {**crud_env, "BENCH_CRUD_DSN": counted_db}, "/contracts"):
            counts["CRUD"] = round_trips(crud, 18404, proxy)

    report(results, counts, args)


def report(results: dict[str, dict[str, Run]], counts: dict[str, dict[str, float]],
           args: argparse.Namespace) -> None:
    print(f"\nPostgreSQL; gunicorn {args.workers} sync workers each; wrk -t2 "
          f"-c{args.connections} {args.seconds} s; {args.seed} contracts seeded; "
          f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores\n")
    print("| operation | kolpact req/s | p50 | p99 | CRUD req/s | p50 | p99 "
          "| ratio req/s | ratio p99 | round trips kolpact / CRUD |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, by_app in results.items():
        k, c = by_app["kolpact"], by_app["CRUD"]
        failed = "" if not (k.failed or c.failed) else f" (non-2xx: {k.failed} / {c.failed})"
        print(f"| {name}{failed} | {k.rps:,.0f} | {k.p50_ms:.1f} ms | {k.p99_ms:.1f} ms "
              f"| {c.rps:,.0f} | {c.p50_ms:.1f} ms | {c.p99_ms:.1f} ms "
              f"| {k.rps / c.rps:.2f} | {k.p99_ms / c.p99_ms:.2f} "
              f"| {counts['kolpact'][name]:.1f} / {counts['CRUD'][name]:.1f} |")


if __name__ == "__main__":
    main()
