"""`kolpact make-goods evaluate`: the rules whose measurement window has closed."""

import json

import click

from application.workers.background import evaluate_make_goods, expire_rights
from web.cli.store import opened


@click.group("make-goods")
def make_goods() -> None:
    """Make-good rules: evaluate the ones whose window has closed."""


@make_goods.command("evaluate")
def make_goods_evaluate() -> None:
    """Evaluate every rule whose measurement window has closed (and expire ended rights)."""
    with opened() as services:
        services.run_policies()  # windows opened by publications not yet followed
        click.echo(json.dumps({"make_goods_evaluated": evaluate_make_goods(services),
                               "rights_expired": expire_rights(services)}))
        services.run_policies()  # remedies follow from the breaches just recorded


COMMANDS = (make_goods,)
