"""`kolpact projections …`: follow the logs, rebuild read models, show positions, and deal
with events set aside."""

import json
import os
import time

import click

from application.bootstrap import Services
from application.workers.background import in_rounds
from projections.registry import ReadModels
from web.cli.store import opened
from web.observability import configure_logging
from web.stop_signals import hold_stop_signals, wait_for_stop_signal


@click.group()
def projections() -> None:
    """Read models: follow the logs, rebuild, show positions."""


@projections.command("run")
@click.option("--rounds", is_flag=True,
              help="Also do the background work: evaluate make-good rules whose window "
                   "closed, expire rights, bring dated payouts due, apply early Stripe "
                   "events (paying is `kolpact payouts process`'s).")
def projections_run(rounds: bool) -> None:
    """Keep every read model current until stopped (Ctrl-C or SIGTERM)."""
    hold_stop_signals()
    configure_logging(os.environ.get("KOLPACT_LOG_LEVEL", "INFO"))
    with opened() as services:
        read_models = _read_models(services)
        caught_up = read_models.catch_up()
        click.echo(f"caught up {caught_up} events; following", err=True)
        read_models.start()
        background = in_rounds(services, pay=False) if rounds else None
        stopped_by = wait_for_stop_signal()
        click.echo(f"{stopped_by.name}: stopping", err=True)
        if background is not None:
            background.stop()
@projections.command("rebuild")
@click.argument("names", nargs=-1)
def projections_rebuild(names: tuple[str, ...]) -> None:
    """Rebuild read models (all, or those NAMED) from the start of the log."""
    with opened() as services:
        read_models = _read_models(services)
        for name in names or tuple(read_models.models):
            if name not in read_models.models:
                raise click.BadParameter(f"no read model {name!r}; there are "
                                         f"{', '.join(read_models.models)}")
            started = time.perf_counter()
            applied = read_models.rebuild(name)
            seconds = time.perf_counter() - started
            click.echo(f"{name}: rebuilt from {applied} events in {seconds:.2f} s "
                       f"({applied / max(seconds, 1e-9):,.0f} events/s)")


@projections.command("status")
@click.option("--json", "as_json", is_flag=True)
def projections_status(as_json: bool) -> None:
    """Position and lag of every read model, per application it follows."""
    with opened() as services:
        rows = _read_models(services).status()
    if as_json:
        click.echo(json.dumps(rows))
        return
    click.echo(f"{'read model':<22}{'application':<13}{'position':>10}{'head':>10}{'lag':>8}"
               f"{'set aside':>11}")
    for row in rows:
        click.echo(f"{row['read_model']:<22}{row['application']:<13}{row['position']:>10}"
                   f"{row['head']:>10}{row['lag']:>8}{row['set_aside']:>11}")
    with opened() as services:
        for aside in _read_models(services).set_aside.rows():
            click.echo(f"set aside: {aside['processor']} {aside['application']}:"
                       f"{aside['position']} ({aside['event']}): {aside['error']}")


@projections.command("retry")
@click.option("--processor", default=None, help="only this read model or policy")
def projections_retry(processor: str | None) -> None:
    """Apply the events set aside once more (after fixing their cause)."""
    with opened() as services:
        done = _read_models(services).retry(processor)
    click.echo(f"applied {done['applied']}; still set aside {done['still_set_aside']}")


@projections.command("skip")
@click.argument("processor")
@click.argument("position")
def projections_skip(processor: str, position: str) -> None:
    """Give up on one event set aside, e.g. `skip creators_directory creators:42`."""
    application, _, number = position.partition(":")
    if not number.isascii() or not number.isdigit():
        raise click.BadParameter("give the position as application:number")
    with opened() as services:
        if not _read_models(services).skip(processor, application, int(number)):
            raise click.ClickException(f"{processor} has no event {position} set aside")
    click.echo(f"skipped {position} for {processor}")


def _read_models(services: Services) -> ReadModels:
    if services.read_models is None:
        raise click.ClickException("Read models need a SQLite or PostgreSQL store.")
    return services.read_models


COMMANDS = (projections,)
