"""Setting up an installation: the store (`init-db`) and its keys."""

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

import click

from application.bootstrap import Services, build_services
from application.infrastructure.settings import Settings, new_cipher_key
from application.infrastructure.signing import new_signing_key


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


COMMANDS = (init_db, cipher_key, signing_key)
