"""`kolpact demo …`: demo data to try kolpact with."""

import json
from pathlib import Path
from typing import Any

import click

from application.bootstrap import Services
from application.common.actor import system_actor
from application.demo import demo_still_present, seed_demo
from web.cli.identity import console_url, sign_in_url
from web.cli.store import opened

DEMO_LINK_HOURS = 24


@click.group()
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
        click.echo(_console(services, seeded))
    click.echo(_describe_demo(seeded))


def _console(services: Services, seeded: dict[str, Any]) -> str:
    """The console's address first, with a fresh one-time sign-in link per demo user (and
    their email, for a new link from the sign-in page where links are printed)."""
    lines = [f"kolpact console: {console_url(services.settings)}",
             f"Sign in with one of these links (each works once, for {DEMO_LINK_HOURS} hours):"]
    for role, token in seeded["tokens"].items():
        user_id = services.identity.authenticate(token).user_id
        code = services.identity.issue_sign_in_link(system_actor(), user_id,
                                                    DEMO_LINK_HOURS * 60)
        lines.append(f"  {role:<17} {sign_in_url(services.settings, code)}")
        if services.settings.sign_in_links == "print":
            email = services.identity.describe_user(system_actor(), user_id)["email"]
            lines.append(f"  {'':<17} or type {email} on the sign-in page for a new one")
    return "\n".join(lines) + "\n"


def _describe_demo(seeded: dict[str, Any]) -> str:
    lines = [f"Demo brand {seeded['brand_id']}", "Demo tokens (Authorization: Bearer …):"]
    lines += [f"  {role:<17} {token}" for role, token in seeded["tokens"].items()]
    lines += [f"Creators: {', '.join(seeded['creators'])}",
              f"Contracts: draft {seeded['contracts']['draft']}, "
              f"active {seeded['contracts']['active']}"
              + (f", missed its target {seeded['contracts']['missed_target']}"
                 if seeded["contracts"].get("missed_target") else "")]
    if seeded.get("campaign"):
        lines += [f"Campaign (running, ten days into its four weeks): {seeded['campaign']}"]
    if seeded.get("deliverables"):
        lines += [f"Deliverables of the active contract: {', '.join(seeded['deliverables'])}",
                  f"Shipment of samples (dispatched): {seeded['shipment']}"]
    if seeded.get("payouts"):
        lines += [f"Payouts of the active contract: {', '.join(seeded['payouts'])}"]
    return "\n".join(lines)


COMMANDS = (demo,)
