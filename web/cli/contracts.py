"""`kolpact contracts import`: drafts from another system, one JSON object a line."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from domain.errors import InvalidValue
from web.cli.errors import on_failure
from web.cli.store import opened

CHUNK = 2000  # rows read, checked and saved at a time: a large file is never held whole


@click.group()
def contracts() -> None:
    """Contracts."""


@contracts.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "email", required=True, help="The legal user the drafts are made by.")
@click.option("--brand", "brand_id", default=None, help="For a user of several brands.")
def import_contracts(file: Path, email: str, brand_id: str | None) -> None:
    """Import drafts: each line {"reference", "creator_id", "title", "terms", "campaign"?}.

    Every line is checked first; a file with any bad line imports nothing and lists each
    problem. A reference imported before is skipped, so an import that was stopped can
    be run again."""
    on_failure("Nothing imported")
    with opened() as services:
        actor, app = services.identity.acting_as(email), services.contracts
        problems: dict[str, str] = {}
        references: set[Any] = set()  # a reference twice in the file, in any two chunks
        for first_line, rows in chunks(file):
            try:
                app.check_import(actor, rows, brand_id, first_line, references)
            except InvalidValue as error:
                problems |= error.errors
        if problems:
            raise InvalidValue(problems)
        on_failure("Import stopped (run it again: rows already imported are skipped)")
        done = {"rows": 0, "imported": 0, "already_imported": 0}
        for first_line, rows in chunks(file):
            for name, count in app.import_drafts(actor, rows, brand_id, first_line).items():
                done[name] += count
    click.echo(json.dumps(done))


def chunks(file: Path) -> Iterator[tuple[int, list[Any]]]:
    """(number of the chunk's first line, its rows), CHUNK lines at a time."""
    rows: list[Any] = []
    first = 1
    with file.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not rows:
                first = number
            rows.append(parsed(line, number))
            if len(rows) == CHUNK:
                yield first, rows
                rows = []
    if rows:
        yield first, rows


def parsed(line: str, number: int) -> Any:
    if not line.strip():
        raise InvalidValue({f"rows[{number}]": "blank line"})
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        raise InvalidValue({f"rows[{number}]": f"not JSON ({error.msg})"}) from error


COMMANDS = (contracts,)
