"""`kolpact serve`: the API.

On PostgreSQL, gunicorn: a master process and `--workers` worker processes, each
serving one request at a time with connections of its own (at most
KOLPACT_DB_POOL_SIZE + KOLPACT_DB_MAX_OVERFLOW each). On SQLite and in memory,
waitress: one process, `--threads` threads (a SQLite file takes one writer at a time).

`--with-projections` also keeps the read models current and does the background work.
On waitress that happens in the API process; under gunicorn it is two helper processes
(`kolpact projections run --rounds`, and `kolpact payouts process` when a Stripe key is
set), because the master forks its workers and must not have threads of its own.
"""

import os
import subprocess
import sys
from dataclasses import dataclass, fields
from typing import Any

import click
from gunicorn.app.base import BaseApplication

from application.bootstrap import Applications, Services
from application.infrastructure.postgres_store import connection_slots
from application.infrastructure.settings import Settings
from application.workers.background import run_beside_api
from web.observability import configure_logging

HELPER_STOP_SECONDS = 15


@click.command()
@click.option("--host", default=lambda: os.environ.get("KOLPACT_HOST", "127.0.0.1"))
@click.option("--port", type=int, default=lambda: int(os.environ.get("KOLPACT_PORT", "8000")))
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="API processes on PostgreSQL [default: KOLPACT_WORKERS, or two per CPU]")
@click.option("--threads", type=click.IntRange(min=1), default=8, show_default=True,
              help="threads of the one API process on SQLite and in memory")
@click.option("--with-projections", is_flag=True,
              help="Also keep the read models current and do the background work.")
def serve(host: str, port: int, workers: int | None, threads: int,
          with_projections: bool) -> None:
    """Serve the API (gunicorn on PostgreSQL, waitress otherwise)."""
    configure_logging(os.environ.get("KOLPACT_LOG_LEVEL", "INFO"))
    settings = Settings.from_environ()
    base = f"http://{host}:{port}/api/v1"
    if settings.backend != "postgres":
        click.echo(f"Console:     http://{host}:{port}/\nkolpact API: {base}\n"
                   f"API docs:    {base}/docs", err=True)
        serve_in_threads(host, port, threads, with_projections)
        return
    budget = Budget(settings, workers or settings.worker_count, with_projections)
    budget.check()
    click.echo(f"Console:     http://{host}:{port}/\n"
               f"kolpact API: {base} ({budget.workers} processes)\nAPI docs:    {base}/docs\n"
               f"{budget}", err=True)
    helpers = start_helpers(settings) if with_projections else []
    try:
        ApiProcesses(host, port, budget.workers).run()
    finally:
        stop_helpers(helpers)


def serve_in_threads(host: str, port: int, threads: int, with_projections: bool) -> None:
    import waitress

    from web import create_app

    app = create_app()
    services: Services = app.extensions["kolpact"]
    background = run_beside_api(services) if with_projections else None
    try:
        waitress.serve(app, host=host, port=port, threads=threads, ident="kolpact")
    finally:
        if background is not None:
            background.stop(wait=False)
        services.close()


@dataclass(frozen=True)
class Budget:
    """The PostgreSQL connections this command may hold, against what the server allows."""
    settings: Settings
    workers: int
    with_projections: bool

    @property
    def per_process(self) -> int:
        return self.settings.connections_per_process

    @property
    def helpers(self) -> int:
        """The runner follows at most one log per application; the payout worker none."""
        if not self.with_projections:
            return 0
        runner = self.per_process + len(fields(Applications))
        return runner + (self.per_process if self.settings.stripe_api_key else 0)

    @property
    def most(self) -> int:
        return self.workers * self.per_process + self.helpers

    def check(self) -> None:
        slots = connection_slots(self.settings)
        if self.most > slots:
            raise click.ClickException(
                f"{self} is more than the {slots} the server allows (max_connections less "
                "superuser_reserved_connections): lower --workers, KOLPACT_DB_POOL_SIZE or "
                "KOLPACT_DB_MAX_OVERFLOW, or raise the server's max_connections.")

    def __str__(self) -> str:
        text = (f"PostgreSQL connections: at most {self.most} ({self.workers} processes × "
                f"{self.per_process}")
        return text + (f", + {self.helpers} for the helpers)" if self.helpers else ")")


class ApiProcesses(BaseApplication):  # type: ignore[misc]  # gunicorn has no type hints
    """gunicorn, configured here rather than from its command line; every worker builds
    its own app (and connections) after the fork."""

    def __init__(self, host: str, port: int, workers: int) -> None:
        self.options = {"bind": f"{host}:{port}", "workers": workers, "worker_class": "sync",
                        "timeout": 60, "graceful_timeout": 20, "proc_name": "kolpact",
                        "worker_exit": close_services,
                        # one per user by default: a second server would take it over
                        "control_socket_disable": True}
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.options.items():
            self.cfg.set(name, value)

    def load(self) -> Any:
        from web import create_app

        return create_app()


def close_services(server: Any, worker: Any) -> None:
    app = getattr(worker, "wsgi", None)
    if app is not None:
        app.extensions["kolpact"].close()


def start_helpers(settings: Settings) -> list[subprocess.Popen[bytes]]:
    commands = [["projections", "run", "--rounds"]]
    if settings.stripe_api_key:
        commands.append(["payouts", "process"])
    return [subprocess.Popen([sys.executable, "-m", "web.cli", *command])
            for command in commands]


def stop_helpers(helpers: list[subprocess.Popen[bytes]]) -> None:
    for helper in helpers:
        helper.terminate()
    for helper in helpers:
        try:
            helper.wait(HELPER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            helper.kill()


COMMANDS = (serve,)
