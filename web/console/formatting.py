"""How the console shows values: money with its currency, times in the person's time zone,
people by name and role, terms' words as words."""

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency
from flask import Flask, g, session
from markupsafe import Markup, escape

from application.errors import NotFound
from domain.money import Money, major_units
from web.services import services

DEFAULT_TIME_ZONE = "UTC"
TIME_ZONES = sorted(available_timezones() - {"Factory", "localtime"})
LOCALE = "en"
OUTSIDE = "someone outside your brands"  # also what any id that is nobody's answers


def time_zone() -> str:
    chosen = session.get("time_zone")
    return chosen if chosen in TIME_ZONES else DEFAULT_TIME_ZONE


def money(value: Any, currency: str | None = None) -> str:
    """A Money, its dict from a description, or minor units with a currency."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        value = Money.from_dict(value)
    if isinstance(value, Money):
        value, currency = value.amount, value.currency
    assert currency is not None
    return format_currency(major_units(int(value), currency), currency, locale=LOCALE)


def when(value: Any) -> str:
    """A moment (or its ISO text) in the person's time zone, the zone named."""
    if value is None or value == "":
        return "—"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    zone = time_zone()
    shown = format_datetime(moment, "d MMM y, HH:mm", tzinfo=ZoneInfo(zone), locale=LOCALE)
    return f"{shown} ({zone})"


def moment(epoch_seconds: float) -> datetime:
    return datetime.fromtimestamp(epoch_seconds, UTC)


def day(value: Any) -> str:
    if value is None or value == "":
        return "—"
    return format_date(date.fromisoformat(value) if isinstance(value, str) else value,
                       "d MMM y", locale=LOCALE)


def words(value: Any) -> str:
    """'short_video' -> 'short video'."""
    if value is None:
        return "—"
    return str(getattr(value, "value", value)).replace("_", " ")


def event_words(name: str | None) -> str:
    """'SentForSignature' -> 'Sent for signature'."""
    if not name:
        return "—"
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    return spaced[:1] + spaced[1:].lower()


HIDDEN_CHANGES = re.compile(r"^[\w.\[\]]*(_ids?|_hash|hash|latest_version)(\[\d+\])?: ")
LONGEST_CHANGE = 160


UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def changes(lines: list[str] | None) -> list[str]:
    """A history entry's changes as a person reads them: ids and hashes (shown on the
    records themselves, and in the audit export) left out, people named, long values
    cut short."""
    shown = [UUID_TEXT.sub(_named_if_person, line) for line in lines or []
             if not HIDDEN_CHANGES.match(line)]
    return [line if len(line) <= LONGEST_CHANGE else line[:LONGEST_CHANGE] + "…"
            for line in shown]


def _named_if_person(found: re.Match[str]) -> str:
    """A colleague's id as their name; any other record's id as it is."""
    named = person(found.group(0))
    return found.group(0) if named == OUTSIDE else named


def highlighted(content: str, violations: Any) -> Markup:
    """The submitted text with each problem found in it marked (a missing disclosure has
    no place in the text: it is listed beside it)."""
    marks = sorted((v for v in violations if v.start is not None and v.end is not None),
                   key=lambda v: v.start)
    shown, at = Markup(""), 0
    for violation in marks:
        if violation.start < at:
            continue  # overlapping marks: the first one stands
        shown += escape(content[at:violation.start])
        shown += Markup('<mark class="violation" title="{}">{}</mark>').format(
            words(violation.kind), content[violation.start:violation.end])
        at = violation.end
    return shown + escape(content[at:])


def person(user_id: str | None) -> str:
    """'Lee Legal (legal)', for someone of the viewer's brands; ids stay out of sight."""
    def named(found: dict[str, Any]) -> str:
        roles = ", ".join(found["roles"])
        return f"{found['name']} ({roles})" if roles else str(found["name"])
    return _looked_up("people", user_id, lambda key: named(
        services().identity.person(g.actor, key)), OUTSIDE)


def creator(creator_id: str | None) -> str:
    """The creator's display name, for someone who may see them."""
    return _looked_up("creators", creator_id, lambda key: services().creators.creator_for(
        g.actor, key).profile.display_name, "a creator outside your brands")


def _looked_up(kind: str, record_id: str | None, name_of: Callable[[str], str],
               unknown: str) -> str:
    """A record's name, looked up once per page."""
    if not record_id:
        return "—"
    known: dict[str, str] = g.setdefault(kind, {})
    if record_id not in known:
        try:
            known[record_id] = name_of(record_id)
        except NotFound:
            known[record_id] = unknown
    return known[record_id]


def register(app: Flask) -> None:
    for name, function in (("money", money), ("when", when), ("day", day), ("words", words),
                           ("person", person), ("creator", creator),
                           ("event_words", event_words), ("changes", changes),
                           ("highlighted", highlighted), ("moment", moment)):
        app.jinja_env.filters[name] = function
    app.jinja_env.globals["time_zone"] = time_zone
    app.jinja_env.globals["time_zones"] = TIME_ZONES
