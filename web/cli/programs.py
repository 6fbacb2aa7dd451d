"""`kolpact programs import-orders PROGRAM_ID FILE`: a shop's export of attributed
orders, of any size the program takes, on the server."""

import json
from pathlib import Path

import click

from web.cli.errors import on_failure
from web.cli.store import opened


@click.group()
def programs() -> None:
    """KOC distribution programs."""


@programs.command("import-orders")
@click.argument("program_id")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "email", required=True, help="The ops user the import is made as.")
def import_orders(program_id: str, file: Path, email: str) -> None:
    """Import a CSV or XLSX file of orders, a row per order line: each order once; every
    new one, or none (each bad row is listed)."""
    on_failure("Nothing imported")
    with opened() as services:
        result = services.distribution.import_orders(services.identity.acting_as(email),
                                                     program_id, file.read_bytes())
    click.echo(json.dumps(result))


COMMANDS = (programs,)
