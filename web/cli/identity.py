"""`kolpact brands|users|tokens …`: the first brand, its users and their API tokens."""

import json
import os

import click

from application.common.actor import system_actor
from application.identity.sign_in import LINK_MINUTES
from application.infrastructure.settings import Settings
from domain.identity import Role
from web.cli.store import opened


@click.group()
def brands() -> None:
    """Brands (workspaces)."""


@brands.command("create")
@click.argument("name")
@click.option("--dual-control/--no-dual-control", default=False,
              help="Contracts must be signed for the brand by someone other than the drafter.")
def create_brand(name: str, dual_control: bool) -> None:
    with opened() as services:
        click.echo(services.identity.register_brand(system_actor(), name, dual_control))


@click.group()
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


@users.command("sign-in-link")
@click.argument("email")
@click.option("--minutes", type=int, default=LINK_MINUTES, show_default=True,
              help="How long the link may be used (once).")
def sign_in_link(email: str, minutes: int) -> None:
    """A one-time link that signs the user in to the web console."""
    with opened() as services:
        user = services.identity.find_user(email)
        code = services.identity.issue_sign_in_link(system_actor(), str(user.id), minutes)
        click.echo(sign_in_url(services.settings, code))


def console_url(settings: Settings) -> str:
    """Where people open the console: KOLPACT_PUBLIC_URL, or this machine's `serve`."""
    port = os.environ.get("KOLPACT_PORT", "8000")
    return (settings.public_url or f"http://127.0.0.1:{port}").rstrip("/") + "/"


def sign_in_url(settings: Settings, code: str) -> str:
    return f"{console_url(settings)}sign-in/{code}"


@click.group()
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


COMMANDS = (brands, users, tokens)
