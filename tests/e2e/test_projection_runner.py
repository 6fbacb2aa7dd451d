"""`kolpact projections run` as a real process, killed mid-run: nothing lost or doubled."""

import json
import os
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from typing import IO

import pytest

from application.bootstrap import Services, build_services
from application.infrastructure.settings import Settings
from tests.builders import given_team
from tests.e2e.test_server import KOLPACT
from tests.read_models import Scenario, contents


@pytest.fixture
def store(postgres_database: str) -> Iterator[tuple[dict[str, str], Services]]:
    url = f"{postgres_database}?schema=runner_{uuid.uuid4().hex[:8]}"
    services = build_services(Settings(database_url=url))
    yield {**os.environ, "KOLPACT_DATABASE_URL": url}, services
    services.close()


def start_runner(env: dict[str, str], log: IO[bytes]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([KOLPACT, "projections", "run"], env=env,
                            stdout=subprocess.DEVNULL, stderr=log)


def status(env: dict[str, str]) -> list[dict[str, int]]:
    done = subprocess.run([KOLPACT, "projections", "status", "--json"], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_a_killed_runner_resumes_where_it_stopped(store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env, services = store
    scenario = Scenario(services, given_team(services))
    log = (tmp_path / "runner.log").open("wb")
    runner = start_runner(env, log)
    writer = threading.Thread(target=lambda: [scenario.run(step, pick) for pick in range(40)
                                              for step in ("new_creator", "draft", "send")])

    writer.start()
    time.sleep(1.0)
    runner.send_signal(signal.SIGKILL)  # no chance to finish a batch or clean up
    runner.wait()
    writer.join()
    runner = start_runner(env, log)
    try:
        deadline = time.monotonic() + 30
        while any(row["lag"] for row in status(env)):
            assert time.monotonic() < deadline, (tmp_path / "runner.log").read_text()[-3000:]
            time.sleep(0.2)
    finally:
        runner.send_signal(signal.SIGTERM)
        runner.wait(timeout=20)
    read_models = services.read_models
    assert read_models is not None
    resumed = contents(read_models)

    for name in read_models.models:
        read_models.rebuild(name)

    assert contents(read_models) == resumed
    assert len(resumed["contracts_overview"]) == len(scenario.contracts) == 40
    assert runner.returncode == 0
