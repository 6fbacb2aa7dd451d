"""`kolpact payouts …`: pay approved payouts, and reconcile them with Stripe."""

import json
import os

import click

from application.payments.reconciliation import report
from application.workers.payouts import PayoutWorker, reconcile
from application.workers.rounds import Rounds
from web.cli.store import opened
from web.observability import configure_logging
from web.stop_signals import hold_stop_signals, wait_for_stop_signal


@click.group()
def payouts() -> None:
    """Milestone payouts: pay approved ones, reconcile with Stripe."""


@payouts.command("process")
@click.option("--once", is_flag=True, help="One round, then exit (cron, tests).")
@click.option("--interval", type=float, default=2.0, show_default=True,
              help="Seconds between rounds.")
def payouts_process(once: bool, interval: float) -> None:
    """Pay approved payouts exactly once, until stopped (Ctrl-C or SIGTERM)."""
    if not once:
        hold_stop_signals()
    configure_logging(os.environ.get("KOLPACT_LOG_LEVEL", "INFO"))
    with opened() as services:
        worker = PayoutWorker(services)
        if once:
            click.echo(json.dumps(vars(worker.run_once())))
            return
        rounds = Rounds("payouts", interval, worker.run_once).start()
        stopped_by = wait_for_stop_signal()
        click.echo(f"{stopped_by.name}: stopping after this round", err=True)
        rounds.stop()


@payouts.command("reconcile")
def payouts_reconcile() -> None:
    """Compare Stripe's transfers with the payouts; report and record the mismatches.
    Exits 1 if there are any."""
    with opened() as services:
        found = reconcile(services)
        click.echo(report(found))
        if found:
            raise SystemExit(1)


COMMANDS = (payouts,)
