"""The `kolpact` command line: serve, set up the store, manage users and tokens, demo data."""

import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import click
from eventsourcing.persistence import MapperDeserialisationError, PersistenceError

from application.audit.audit_bundle import verify_bundle
from application.background import BackgroundWorker, evaluate_make_goods, every, expire_rights
from application.bootstrap import Services, build_services
from application.common.actor import system_actor
from application.content.metrics_csv import decoded
from application.demo import demo_still_present, seed_demo
from application.errors import ApplicationError
from application.infrastructure.settings import ConfigurationError, Settings, new_cipher_key
from application.infrastructure.signing import Signer, new_signing_key
from application.payments.payout_worker import PayoutWorker, reconcile
from application.payments.reconciliation import report
from domain.errors import DomainError
from domain.identity import Role
from projections.registry import ReadModels
from web.observability import configure_logging
from web.stop_signals import hold_stop_signals, wait_for_stop_signal


@contextmanager
def opened(create: bool = False) -> Iterator[Services]:
    """The store the environment names; it must exist already, except to create it (a
    command run from another folder would otherwise start an empty one, and `audit
    verify` would then say OK for nothing)."""
    settings = Settings.from_environ()
    if not create and settings.backend == "sqlite" and not settings.sqlite_path().exists():
        raise click.ClickException(
            f"No store at {settings.sqlite_path()}: run `kolpact init-db` first, or set "
            "KOLPACT_DATABASE_URL to the store you mean.")
    services = build_services(settings)
    try:
        yield services
    finally:
        services.close()


class Commands(click.Group):
    """Every command's errors as one clear line and exit code 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (DomainError, ApplicationError, ConfigurationError, PersistenceError,
                OSError) as error:
            raise click.ClickException(f"{type(error).__name__}: {error}") from error
        except MapperDeserialisationError as error:
            cause = error.__cause__ or error
            raise click.ClickException(f"{type(cause).__name__}: {cause}") from error


@click.group(cls=Commands)
def main() -> None:
    """kolpact: influencer contracts, deliverables and payouts, with a full audit trail."""


@main.command("init-db")
def init_db() -> None:
    """Create the event store and tables (safe to run again)."""
    with opened(create=True) as services:
        click.echo(f"Store ready: {services.settings.backend} ({_safe_url(services.settings)})")


@main.command()
@click.option("--host", default=lambda: os.environ.get("KOLPACT_HOST", "127.0.0.1"))
@click.option("--port", type=int, default=lambda: int(os.environ.get("KOLPACT_PORT", "8000")))
@click.option("--threads", type=int, default=8, show_default=True)
@click.option("--with-projections", is_flag=True,
              help="Also keep the read models current, in this process.")
def serve(host: str, port: int, threads: int, with_projections: bool) -> None:
    """Serve the API (waitress)."""
    import waitress

    from web import create_app

    configure_logging(os.environ.get("KOLPACT_LOG_LEVEL", "INFO"))
    app = create_app()
    services = app.extensions["kolpact"]
    stop = threading.Event()
    if with_projections and services.read_models is not None:
        services.read_models.start()
        worker = BackgroundWorker(services)  # make-goods, expiries, payouts: this process
        threading.Thread(target=every, args=(2.0, stop, worker.run_once), name="background",
                         daemon=True).start()
    base = f"http://{host}:{port}/api/v1"
    click.echo(f"kolpact API: {base}\nAPI docs:    {base}/docs", err=True)
    try:
        waitress.serve(app, host=host, port=port, threads=threads, ident="kolpact")
    finally:
        stop.set()
        services.close()


@main.group()
def projections() -> None:
    """Read models: follow the logs, rebuild, show positions."""


@projections.command("run")
def projections_run() -> None:
    """Keep every read model current until stopped (Ctrl-C or SIGTERM)."""
    hold_stop_signals()
    configure_logging(os.environ.get("KOLPACT_LOG_LEVEL", "INFO"))
    with opened() as services:
        read_models = _read_models(services)
        caught_up = read_models.catch_up()
        click.echo(f"caught up {caught_up} events; following", err=True)
        read_models.start()
        stopped_by = wait_for_stop_signal()
        click.echo(f"{stopped_by.name}: stopping", err=True)


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


@main.group()
def brands() -> None:
    """Brands (workspaces)."""


@brands.command("create")
@click.argument("name")
@click.option("--dual-control/--no-dual-control", default=False,
              help="Contracts must be signed for the brand by someone other than the drafter.")
def create_brand(name: str, dual_control: bool) -> None:
    with opened() as services:
        click.echo(services.identity.register_brand(system_actor(), name, dual_control))


@main.group()
def users() -> None:
    """Users and their roles."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice([r.value for r in Role]))
@click.option("--brand", "brand_ids", multiple=True, required=True, help="Brand id (repeatable).")
def create_user(email: str, name: str, roles: tuple[str, ...], brand_ids: tuple[str, ...]) -> None:
    with opened() as services:
        click.echo(services.identity.register_user(system_actor(), email, name, list(roles),
                                                   list(brand_ids)))


@main.group()
def tokens() -> None:
    """API tokens (shown once, stored hashed)."""


@tokens.command("create")
@click.option("--email", required=True, help="The user the token acts as.")
@click.option("--label", default="", help="What the token is for.")
def create_token(email: str, label: str) -> None:
    with opened() as services:
        user = services.identity.find_user(email)
        token_id, token = services.identity.issue_token(system_actor(), str(user.id), label)
        click.echo(json.dumps({"token_id": token_id, "token": token}))


@tokens.command("revoke")
@click.argument("token_id")
@click.option("--reason", default=None)
def revoke_token(token_id: str, reason: str | None) -> None:
    with opened() as services:
        services.identity.revoke_token(system_actor(), token_id, reason)
        click.echo(f"revoked {token_id}")


@main.group()
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
        stop = threading.Event()
        rounds = threading.Thread(target=every, args=(interval, stop, worker.run_once),
                                  name="payouts")
        rounds.start()
        stopped_by = wait_for_stop_signal()
        click.echo(f"{stopped_by.name}: stopping after this round", err=True)
        stop.set()
        rounds.join()


@payouts.command("reconcile")
def payouts_reconcile() -> None:
    """Compare Stripe's transfers with the payouts; report and record the mismatches.
    Exits 1 if there are any."""
    with opened() as services:
        found = reconcile(services)
        click.echo(report(found))
        if found:
            raise SystemExit(1)


@main.group("make-goods")
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


@main.group()
def metrics() -> None:
    """Content metrics."""


@metrics.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "email", required=True, help="The ops user the import is recorded as.")
@click.option("--source", default=None,
              help="The source of every row, unless the file has a source column.")
def import_metrics(file: Path, email: str, source: str | None) -> None:
    """Import a platform's CSV export: every row, or none (each bad row is listed)."""
    with opened() as services:
        try:
            result = services.deliverables.import_metrics(
                services.identity.acting_as(email), decoded(file.read_bytes()), source)
        except (DomainError, ApplicationError) as error:
            click.echo(f"Nothing imported: {error}", err=True)
            for field, message in getattr(error, "errors", {}).items():
                click.echo(f"  {field}: {message}", err=True)
            raise SystemExit(1) from error
        click.echo(json.dumps(result))


@main.command("cipher-key")
def cipher_key() -> None:
    """Print a new key for KOLPACT_CIPHER_KEY (keep it in your secret store: without it,
    personal data cannot be read)."""
    click.echo(new_cipher_key())


@main.command("signing-key")
def signing_key() -> None:
    """Print a new private key for KOLPACT_SIGNING_KEY (exports are signed with it; keep
    it secret, and give auditors `kolpact audit public-key`)."""
    click.echo(new_signing_key())


@main.group()
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
    published = [_read_json(path) for path in seal_files]
    with opened() as services:
        result = _or_exit(lambda: services.audit.verify(system_actor(), contract_id, published))
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
        click.echo(json.dumps(_or_exit(lambda: services.audit.seal(system_actor())), indent=2,
                              default=str))


@audit.command("export")
@click.argument("contract_id")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the zip (default: audit-CONTRACT_ID.zip here).")
def audit_export(contract_id: str, out: Path | None) -> None:
    """Write a contract family's events, hashes and report as one zip."""
    with opened() as services:
        bundle = _or_exit(lambda: services.audit.export(system_actor(), contract_id))
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
    click.echo(_or_exit(lambda: Signer.from_text(key).public_key))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except ValueError as error:
        raise click.BadParameter(f"{path} is not JSON: {error}") from error


def _or_exit(use_case: Any) -> Any:
    """Runs a use case; its error is printed for people, with exit code 1."""
    try:
        return use_case()
    except (DomainError, ApplicationError, ConfigurationError) as error:
        click.echo(f"{type(error).__name__}: {error}", err=True)
        raise SystemExit(1) from error
    except MapperDeserialisationError as error:
        if not isinstance(error.__cause__, ConfigurationError):
            raise
        click.echo(f"ConfigurationError: {error.__cause__}", err=True)  # e.g. no cipher key
        raise SystemExit(1) from error


@main.group()
def demo() -> None:
    """Demo data."""


@demo.command("seed")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def demo_seed(as_json: bool) -> None:
    """Seed a new demo brand with users, tokens, creators and contracts."""
    with opened() as services:
        seeded = seed_demo(services)
    click.echo(json.dumps(seeded) if as_json else _describe_demo(seeded))


@demo.command("ensure")
@click.option("--file", "path", type=click.Path(path_type=Path), required=True)
def demo_ensure(path: Path) -> None:
    """Seed demo data once per store, keep its tokens in FILE, and print them."""
    with opened() as services:
        seeded = json.loads(path.read_text()) if path.exists() else None
        if seeded is None or not demo_still_present(services, seeded):
            seeded = seed_demo(services)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(seeded, indent=2))
            path.chmod(0o600)
    click.echo(_describe_demo(seeded))


def _describe_demo(seeded: dict[str, Any]) -> str:
    lines = [f"Demo brand {seeded['brand_id']}", "Demo tokens (Authorization: Bearer …):"]
    lines += [f"  {role:<17} {token}" for role, token in seeded["tokens"].items()]
    lines += [f"Creators: {', '.join(seeded['creators'])}",
              f"Contracts: draft {seeded['contracts']['draft']}, "
              f"active {seeded['contracts']['active']}"
              + (f", missed its target {seeded['contracts']['missed_target']}"
                 if seeded["contracts"].get("missed_target") else "")]
    if seeded.get("deliverables"):
        lines += [f"Deliverables of the active contract: {', '.join(seeded['deliverables'])}",
                  f"Shipment of samples (dispatched): {seeded['shipment']}"]
    if seeded.get("payouts"):
        lines += [f"Payouts of the active contract: {', '.join(seeded['payouts'])}"]
    return "\n".join(lines)


def _safe_url(settings: Settings) -> str:
    """The database URL without its password, fit for printing."""
    url = urlparse(settings.database_url)
    if not url.password:
        return settings.database_url
    return url._replace(netloc=url.netloc.replace(f":{url.password}@", ":***@")).geturl()
