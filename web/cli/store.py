"""Setting up an installation: the store (`init-db`), its keys, and serving the API."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

import click

from application.bootstrap import Services, build_services
from application.infrastructure.settings import Settings, new_cipher_key
from application.infrastructure.signing import new_signing_key
from application.workers.background import run_beside_api
from web.observability import configure_logging


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


@click.command("init-db")
def init_db() -> None:
    """Create the event store and tables (safe to run again)."""
    with opened(create=True) as services:
        # A store from before these were kept: brought up to date (safe to run again).
        codes = services.deliverables.record_missing_codes()
        rights = services.usage_rights.record_missing_rights()
        click.echo(f"Store ready: {services.settings.backend} ({safe_url(services.settings)})"
                   + (f"; recorded {codes} tracking codes" if codes else "")
                   + (f"; indexed {rights} usage rights" if rights else ""))


@click.command()
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
    services: Services = app.extensions["kolpact"]
    background = run_beside_api(services) if with_projections else None
    base = f"http://{host}:{port}/api/v1"
    click.echo(f"kolpact API: {base}\nAPI docs:    {base}/docs", err=True)
    try:
        waitress.serve(app, host=host, port=port, threads=threads, ident="kolpact")
    finally:
        if background is not None:
            background.stop(wait=False)
        services.close()


@click.command("cipher-key")
def cipher_key() -> None:
    """Print a new key for KOLPACT_CIPHER_KEY (keep it in your secret store: without it,
    personal data cannot be read)."""
    click.echo(new_cipher_key())


@click.command("signing-key")
def signing_key() -> None:
    """Print a new private key for KOLPACT_SIGNING_KEY (exports are signed with it; keep
    it secret, and give auditors `kolpact audit public-key`)."""
    click.echo(new_signing_key())


def safe_url(settings: Settings) -> str:
    """The database URL without its password, fit for printing."""
    url = urlparse(settings.database_url)
    if not url.password:
        return settings.database_url
    return url._replace(netloc=url.netloc.replace(f":{url.password}@", ":***@")).geturl()


COMMANDS = (init_db, serve, cipher_key, signing_key)
