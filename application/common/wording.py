"""How kolpact writes values for people, wherever they read them (the console, the
report inside an audit export): money with its currency, dates and moments, the
vocabulary's words as words, and a contract's terms as text (templates/readable)."""

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency
from jinja2 import Environment, PackageLoader, select_autoescape

from domain.deliverable import DEFAULT_REVIEW_DAYS
from domain.money import Money, major_units

LOCALE = "en"
NOTHING = "—"
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def money(value: Any, currency: str | None = None) -> str:
    """A Money, its dict from a description, or minor units with a currency."""
    if value is None:
        return NOTHING
    if isinstance(value, dict):
        value = Money.from_dict(value)
    if isinstance(value, Money):
        value, currency = value.amount, value.currency
    assert currency is not None
    return format_currency(major_units(int(value), currency), currency, locale=LOCALE)


def moment_in(value: Any, zone: str) -> str:
    """A moment (or its ISO text) in a time zone, the zone named."""
    if value is None or value == "":
        return NOTHING
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    shown = format_datetime(moment, "d MMM y, HH:mm", tzinfo=ZoneInfo(zone), locale=LOCALE)
    return f"{shown} ({zone})"


def day(value: Any) -> str:
    if value is None or value == "":
        return NOTHING
    return format_date(date.fromisoformat(value) if isinstance(value, str) else value,
                       "d MMM y", locale=LOCALE)


def words(value: Any) -> str:
    """'short_video' -> 'short video'."""
    if value is None:
        return NOTHING
    return str(getattr(value, "value", value)).replace("_", " ")


def event_words(name: str | None) -> str:
    """'SentForSignature' -> 'Sent for signature'."""
    if not name:
        return NOTHING
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    return spaced[:1] + spaced[1:].lower()


TEMPLATES = PackageLoader("application.common", "templates")  # readable/…: shared pages


def install(env: Environment, when: Callable[[Any], str]) -> None:
    """Teaches a Jinja environment to write values as above, and moments with `when`."""
    env.filters.update(money=money, day=day, words=words, event_words=event_words, when=when,
                       major=lambda amount, currency: str(major_units(int(amount), currency)))
    env.globals["default_review_days"] = DEFAULT_REVIEW_DAYS


def environment(zone: str = "UTC") -> Environment:
    """A Jinja environment that knows the shared templates, moments written in `zone`
    (the console has its own, with the reader's zone)."""
    # Markdown is text, not HTML: what it shows is escaped when it is rendered.
    env = Environment(loader=TEMPLATES, autoescape=select_autoescape(
        disabled_extensions=("md",), default=True))
    install(env, lambda value: moment_in(value, zone))
    return env
