"""The `kolpact` command line: one module per command group, and one error handler
(web.cli.errors) for every command."""

import click

from web.cli import (
    audit,
    contracts,
    creators,
    demo,
    identity,
    make_goods,
    metrics,
    payouts,
    programs,
    projections,
    serve,
    store,
)
from web.cli.errors import Commands


@click.group(cls=Commands)
def main() -> None:
    """kolpact: influencer contracts, deliverables and payouts, with a full audit trail."""


for group in (store, serve, identity, creators, contracts, projections, payouts, make_goods,
              metrics, programs, audit, demo):
    for command in group.COMMANDS:
        main.add_command(command)
