"""How the console shows values: money with its currency, times in the person's time zone,
people by name and role, terms' words as words."""

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import available_timezones

from flask import Flask, g, session
from jinja2 import ChoiceLoader
from markupsafe import Markup, escape

from application.common import wording
from application.common.wording import UUID_TEXT, moment_in, words
from application.errors import NotFound
from web.services import services

DEFAULT_TIME_ZONE = "UTC"
TIME_ZONES = sorted(available_timezones() - {"Factory", "localtime"})
OUTSIDE = "someone outside your brands"  # also what any id that is nobody's answers


def time_zone() -> str:
    chosen = session.get("time_zone")
    return chosen if chosen in TIME_ZONES else DEFAULT_TIME_ZONE


def when(value: Any) -> str:
    """A moment (or its ISO text) in the person's time zone, the zone named."""
    return moment_in(value, time_zone())


def moment(epoch_seconds: float) -> datetime:
    return datetime.fromtimestamp(epoch_seconds, UTC)


HIDDEN_CHANGES = re.compile(r"^[\w.\[\]]*(_ids?|_hash|hash|latest_version)(\[\d+\])?: ")
LONGEST_CHANGE = 160


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
    assert app.jinja_loader is not None
    app.jinja_loader = ChoiceLoader([app.jinja_loader, wording.TEMPLATES])
    wording.install(app.jinja_env, when)
    for name, function in (("person", person), ("creator", creator), ("changes", changes),
                           ("highlighted", highlighted), ("moment", moment)):
        app.jinja_env.filters[name] = function
    app.jinja_env.globals["time_zone"] = time_zone
    app.jinja_env.globals["time_zones"] = TIME_ZONES
