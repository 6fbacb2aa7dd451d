"""Stores for tests: in memory, a SQLite file, and a PostgreSQL database of the suite's own.

PostgreSQL comes from KOLPACT_TEST_POSTGRES_URL (default: the local server's
`postgres` database). The suite creates its own database there, gives every
test a fresh schema in it (dropped when the test ends), and drops the database at
the end. A module whose tests each work in a brand of their own sets SHARES_STORES:
its tests then share one store per kind (brands cannot see each other's records,
which is itself what kolpact promises), each on its own clock.
"""

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

import psycopg
import pytest
from psycopg import sql

from application.bootstrap import Services, build_services
from application.infrastructure.settings import Settings
from tests.clock import FakeClock

DEFAULT_TEST_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# Personal data is encrypted at rest; commands the tests start inherit this key.
TEST_CIPHER_KEY = "a2VlcC10aGlzLWtleS1zZWNyZXQtaW4tcmVhbC1saWY="
os.environ.setdefault("KOLPACT_CIPHER_KEY", TEST_CIPHER_KEY)
# Audit exports are signed with this one (a test key: it signs nothing real).
TEST_SIGNING_KEY = "0ZvqoLKCoorhswUq12sERgnCVx3jOuAE3QiPLGGQCeU="
os.environ.setdefault("KOLPACT_SIGNING_KEY", TEST_SIGNING_KEY)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    admin_url = os.environ.get("KOLPACT_TEST_POSTGRES_URL", DEFAULT_TEST_POSTGRES_URL)
    name = f"kolpact_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield urlparse(admin_url)._replace(path=f"/{name}").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def store_url(kind: str, tmp_path, request) -> str:  # type: ignore[no-untyped-def]
    if kind == "memory":
        return "memory://"
    if kind == "sqlite":
        return f"sqlite:///{tmp_path}/kolpact.db"
    database = request.getfixturevalue("postgres_database")
    return f"{database}?schema=t_{uuid.uuid4().hex[:12]}"


def drop_store(settings: Settings) -> None:
    """A test's PostgreSQL schema goes with it (hundreds left behind slow the server)."""
    if settings.backend != "postgres":
        return
    database = settings.database_url.split("?")[0]
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
            sql.Identifier(settings.postgres_schema())))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def open_services(kind: str, tmp_path, request, clock: FakeClock,  # type: ignore[no-untyped-def]
                  **overrides: Any) -> Iterator[Services]:
    # Small pools: many tests' stores share one PostgreSQL server's connection limit.
    settings = Settings(**{"database_url": store_url(kind, tmp_path, request), "pool_size": 2,
                           "max_overflow": 4, "cipher_key": Settings.from_environ().cipher_key,
                           "signing_key": Settings.from_environ().signing_key, **overrides})
    services = build_services(settings, clock)
    yield services
    services.close()
    drop_store(settings)


class SharedClock:
    """The clock of a store shared by a module's tests: each test's own FakeClock."""

    def __init__(self) -> None:
        self.current = FakeClock()

    def now(self) -> datetime:
        return self.current.now()

    def advance(self, **delta: float) -> None:
        self.current.advance(**delta)


Shared = tuple[Services, SharedClock]


@pytest.fixture(scope="module")
def shared_store(request, tmp_path_factory) -> Iterator[Callable[[str], Shared]]:  # type: ignore[no-untyped-def]
    """The module's store of a kind, opened when a test first asks for it."""
    opened: dict[str, tuple[Iterator[Services], Shared]] = {}

    def store(kind: str) -> Shared:
        if kind not in opened:
            clock = SharedClock()
            running = open_services(kind, tmp_path_factory.mktemp(kind), request, clock)  # type: ignore[arg-type]
            shared = next(running)
            shared.shared = True  # type: ignore[attr-defined]  # the API tests' one app
            opened[kind] = (running, (shared, clock))
        return opened[kind][1]

    yield store
    for running, _ in opened.values():
        next(running, None)


def services_for(kind: str, request, tmp_path, clock: FakeClock) -> Iterator[Services]:  # type: ignore[no-untyped-def]
    """A fresh store for the test; or, in a module that sets SHARES_STORES (its tests each
    work in a brand of their own), the module's store of that kind, on the test's clock
    and with no payment rail until the test gives one."""
    if not getattr(request.module, "SHARES_STORES", False):
        yield from open_services(kind, tmp_path, request, clock)
        return
    shared, shared_clock = request.getfixturevalue("shared_store")(kind)
    shared_clock.current = clock
    shared.payouts.gateway, secret = None, shared.webhooks.secret
    yield shared
    shared.webhooks.secret = secret


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def services(request, tmp_path, clock) -> Iterator[Services]:  # type: ignore[no-untyped-def]
    """Every application scenario runs on all three stores."""
    yield from services_for(request.param, request, tmp_path, clock)


@pytest.fixture(params=["sqlite", "postgres"])
def durable_services(request, tmp_path, clock) -> Iterator[Services]:  # type: ignore[no-untyped-def]
    """For behaviour that needs a real database (API, idempotency records, concurrency)."""
    yield from services_for(request.param, request, tmp_path, clock)
