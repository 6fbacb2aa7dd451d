"""`kolpact audit …`: verify the chain, seal it, export contract families and check the
bundles offline."""

import json
from pathlib import Path
from typing import Any

import click

from application.audit.audit_bundle import verify_bundle
from application.common.actor import system_actor
from application.infrastructure.settings import Settings
from application.infrastructure.signing import Signer
from web.cli.store import opened


@click.group()
def audit() -> None:
    """The tamper-evident history: verify the chain, seal it, export and check bundles."""


@audit.command("verify")
@click.option("--contract", "contract_id", default=None,
              help="Check one contract family instead of the whole store.")
@click.option("--seal", "seal_files", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A published seal (JSON printed by `audit seal`) to check too; repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def audit_verify(contract_id: str | None, seal_files: tuple[Path, ...], as_json: bool) -> None:
    """Check every event against its link and every seal; exit 1 at the first break."""
    published = [read_json(path) for path in seal_files]
    with opened() as services:
        result = services.audit.verify(system_actor(), contract_id, published)
    if as_json:
        click.echo(json.dumps(result, default=str))
    else:
        scope = f"contract {contract_id}" if contract_id else "the whole store"
        click.echo(f"{'OK' if result['passed'] else 'BROKEN'}: {scope}, "
                   f"{result['events_checked']} events, {result['seals_checked']} seals "
                   f"checked (check {result['id']})")
        for broken in result["breaks"]:
            click.echo(f"  {broken['description']}", err=True)
    if not result["passed"]:
        raise SystemExit(1)


@audit.command("seal")
def audit_seal() -> None:
    """Record every log's head and a root hash; publish the printed JSON elsewhere."""
    with opened() as services:
        click.echo(json.dumps(services.audit.seal(system_actor()), indent=2,
                              default=str))


@audit.command("export")
@click.argument("contract_id")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the zip (default: audit-CONTRACT_ID.zip here).")
def audit_export(contract_id: str, out: Path | None) -> None:
    """Write a contract family's events, hashes and report as one zip."""
    with opened() as services:
        bundle = services.audit.export(system_actor(), contract_id)
    path = out or Path(f"audit-{contract_id}.zip")
    path.write_bytes(bundle.content)
    click.echo(f"{path}: {bundle.events} events, digest {bundle.digest}")


@audit.command("verify-export")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--public-key", "public_keys", multiple=True,
              help="A key you trust to have signed it (from the brand: `kolpact audit "
                   "public-key`); repeatable. Without one, the signature is only checked "
                   "against the key the bundle names.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def audit_verify_export(file: Path, public_keys: tuple[str, ...], as_json: bool) -> None:
    """Check an exported bundle offline: needs no database, only the file."""
    check = verify_bundle(file.read_bytes(), public_keys)
    if as_json:
        click.echo(json.dumps(check.as_dict()))
    else:
        click.echo(f"{'OK' if check.passed else 'BROKEN'}: {file}, {check.events} events, "
                   f"contract {check.manifest.get('contract_id')}, digest {check.digest}, "
                   f"{'signed by ' + check.signed_by if check.signed_by else 'unsigned'}")
        for problem in check.problems:
            click.echo(f"  {problem}", err=True)
    if not check.passed:
        raise SystemExit(1)


@audit.command("public-key")
def audit_public_key() -> None:
    """Print the key exports are signed with (KOLPACT_SIGNING_KEY's public half)."""
    key = Settings.from_environ().signing_key
    if key is None:
        click.echo("No KOLPACT_SIGNING_KEY: exports are not signed.", err=True)
        raise SystemExit(1)
    click.echo(Signer.from_text(key).public_key)


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except ValueError as error:
        raise click.BadParameter(f"{path} is not JSON: {error}") from error


COMMANDS = (audit,)
