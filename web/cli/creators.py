"""`kolpact creators import FILE` and `kolpact creators export`: spreadsheets of any
size, on the server (the API takes files up to its request limit)."""

import json
from pathlib import Path
from typing import Any

import click

from application.common.spreadsheets import FORMATS
from application.infrastructure.settings import ConfigurationError
from web.cli.errors import on_failure
from web.cli.store import opened

AS = click.option("--as", "email", required=True,
                  help="The user the import or export is made as (an ops user to import).")
BRAND = click.option("--brand", "brand_id", default=None,
                     help="The brand's id, if the user belongs to several.")


@click.group()
def creators() -> None:
    """Creators: spreadsheet import and export."""


@creators.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@AS
@BRAND
@click.option("--dry-run", is_flag=True, help="Only say what would happen; write nothing.")
@click.option("--valid-rows-only", is_flag=True,
              help="Import the good rows and leave the others (default: all rows or none).")
@click.option("--errors-to", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the refused rows, with their problems, to this file.")
def import_creators(file: Path, email: str, brand_id: str | None, dry_run: bool,
                    valid_rows_only: bool, errors_to: Path | None) -> None:
    """Import a CSV or XLSX file of creators, one row per platform handle. Prints what
    became of each row that was not simply created or updated."""
    on_failure("Nothing imported")
    raw = file.read_bytes()
    with opened() as services:
        imports = services.creator_imports
        if imports is None:
            raise ConfigurationError("Imports need a SQLite or PostgreSQL store.")
        actor = services.identity.acting_as(email)
        if errors_to is not None:
            errors_to.write_bytes(imports.error_file(actor, raw, brand_id)[1])
        report = imports.check(actor, raw, brand_id) if dry_run else \
            imports.import_sheet(actor, raw, valid_rows_only, brand_id)
    click.echo(json.dumps(summary(report), ensure_ascii=False, indent=1))


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """The counts, and the rows refused (every row's fate is too long to print)."""
    refused = [item for item in report["items"] if item["problems"]]
    return {k: v for k, v in report.items() if k != "items"} | {"refused_rows": refused}


@creators.command("export")
@AS
@BRAND
@click.option("--format", "format", type=click.Choice(FORMATS), default="csv")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="The file to write.")
@click.option("--kind", type=click.Choice(["KOL", "KOC"]), default=None)
@click.option("--platform", default=None)
@click.option("--category", default=None)
@click.option("--status", type=click.Choice(["active", "paused", "blocked"]), default=None)
@click.option("--folder", "folder_id", default=None, help="A folder's id.")
def export_creators(email: str, brand_id: str | None, format: str, output: Path,
                    **filters: Any) -> None:
    """Export the creators (all, or those the filters find), one row per handle."""
    on_failure("Nothing exported")
    with opened() as services:
        imports = services.creator_imports
        if imports is None:
            raise ConfigurationError("Exports need a SQLite or PostgreSQL store.")
        given = {k: v for k, v in filters.items() if v is not None}
        if brand_id is not None:
            given["brand_id"] = brand_id
        content = imports.export(services.identity.acting_as(email), given, format=format)
    output.write_bytes(content)
    click.echo(f"Wrote {output}")


COMMANDS = (creators,)
