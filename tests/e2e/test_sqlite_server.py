"""`make run`'s store, SQLite, with the server following the logs: other commands (demo
seeds) write beside it without "database is locked", and routine lock waits are not
logged as errors."""

import os
import subprocess
import uuid
from pathlib import Path

from tests.e2e.test_server import KOLPACT, free_port, wait_until_healthy


def test_demo_seeds_succeed_while_the_server_follows_the_logs(tmp_path: Path) -> None:
    env = {**os.environ, "KOLPACT_DATABASE_URL": f"sqlite:///{tmp_path / 'kolpact.db'}"}
    subprocess.run([KOLPACT, "init-db"], env=env, check=True, capture_output=True)
    port, log = free_port(), tmp_path / f"serve-{uuid.uuid4().hex[:6]}.log"
    with log.open("wb") as output:
        server = subprocess.Popen([KOLPACT, "serve", "--with-projections", "--port",
                                   str(port)], env=env, stdout=output, stderr=output)
        try:
            wait_until_healthy(f"http://127.0.0.1:{port}/api/v1", server)
            seeds = [subprocess.run([KOLPACT, "demo", "seed", "--json"], env=env,
                                    capture_output=True, text=True) for _ in range(3)]
        finally:
            server.terminate()
            server.wait(timeout=10)

    assert [seed.returncode for seed in seeds] == [0, 0, 0], [s.stderr for s in seeds]
    logged = log.read_text()
    assert "Traceback" not in logged and "database is locked" not in logged
