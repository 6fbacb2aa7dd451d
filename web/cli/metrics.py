"""`kolpact metrics import`: a platform's CSV export of content metrics."""

import json
from pathlib import Path

import click

from application.common.spreadsheets import decoded
from web.cli.errors import on_failure
from web.cli.store import opened


@click.group()
def metrics() -> None:
    """Content metrics."""


@metrics.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "email", required=True, help="The ops user the import is recorded as.")
@click.option("--source", default=None,
              help="The source of every row, unless the file has a source column.")
def import_metrics(file: Path, email: str, source: str | None) -> None:
    """Import a platform's CSV export: every row, or none (each bad row is listed)."""
    on_failure("Nothing imported")
    with opened() as services:
        result = services.deliverables.import_metrics(
            services.identity.acting_as(email), decoded(file.read_bytes()), source)
    click.echo(json.dumps(result))


COMMANDS = (metrics,)
