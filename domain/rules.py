"""Small checks shared by value objects; each returns {field path: message}."""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol
from urllib.parse import urlparse

import pycountry

Problems = dict[str, str]

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
WORLDWIDE = "WORLDWIDE"
# Upper bounds that every store, read model and date sum can hold (a bigint is 9.2e18;
# a date ends in 9999): a count, or a number of days in terms.
MAX_COUNT = 10**15
MAX_URL_LENGTH = 2000
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067"
                          "\u2068\u2069")
MAX_DAYS = 36_500
EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2199, 12, 31)


class Keyed(Protocol):
    @property
    def key(self) -> str: ...


def check_keys(path: str, items: Sequence[Keyed]) -> Problems:
    """Keys name items so that other terms can refer to them: well-formed and unique."""
    errors: Problems = {}
    seen: set[str] = set()
    for i, item in enumerate(items):
        if not KEY_PATTERN.match(item.key):
            errors[f"{path}[{i}].key"] = "use 1-40 lowercase letters, digits, '-' or '_'"
        elif item.key in seen:
            errors[f"{path}[{i}].key"] = f"'{item.key}' is used twice"
        seen.add(item.key)
    return errors


def check_texts(path: str, texts: Sequence[str]) -> Problems:
    errors: Problems = {}
    for i, text in enumerate(texts):
        if not text.strip():
            errors[f"{path}[{i}]"] = "must not be blank"
    if len({t.strip().casefold() for t in texts}) != len(texts):
        errors.setdefault(path, "contains the same text twice")
    return errors


def check_positive(path: str, value: int | None, *, required: bool = True,
                   at_most: int = MAX_COUNT) -> Problems:
    if value is None:
        return {path: "is required"} if required else {}
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= at_most:
        return {path: f"must be a whole number from 1 to {at_most}"}
    return {}


def check_name(path: str, name: str, max_length: int = 200) -> Problems:
    """A name people read: something visible in it (not only spaces, zero-width, format
    or combining characters), and no bidi controls, which make a name read as another."""
    if len(name) > max_length or not any(_visible(c) for c in name):
        return {path: f"must be 1-{max_length} characters with something visible in them"}
    if any(c in BIDI_CONTROLS for c in name):
        return {path: "must not contain bidirectional control characters"}
    return {}


def _visible(character: str) -> bool:
    return unicodedata.category(character)[0] not in ("Z", "C", "M")


def check_day(path: str, value: date | None) -> Problems:
    """Days in terms: far enough from the calendar's ends for any date arithmetic."""
    if value is not None and not EARLIEST_DAY <= value <= LATEST_DAY:
        return {path: f"must be between {EARLIEST_DAY} and {LATEST_DAY}"}
    return {}


def check_reference(path: str, key: str | None, known: Iterable[str], what: str) -> Problems:
    if key is None:
        return {path: f"must name one of the {what}"}
    if key not in set(known):
        return {path: f"'{key}' is not one of the {what}"}
    return {}


def check_territories(path: str, territories: Sequence[str]) -> Problems:
    if not territories:
        return {path: f"name at least one ISO-3166 country code or {WORLDWIDE}"}
    for i, code in enumerate(territories):
        if code != WORLDWIDE and (len(code) != 2 or not pycountry.countries.get(alpha_2=code)):
            return {f"{path}[{i}]": f"'{code}' is not an ISO-3166 alpha-2 code or {WORLDWIDE}"}
    return {}


def check_url(path: str, url: str) -> Problems:
    """An absolute http(s) address that can go into a Location header as it is."""
    if len(url) > MAX_URL_LENGTH or any(c.isspace() or not c.isprintable() for c in url):
        return {path: f"must be an absolute http(s) URL of at most {MAX_URL_LENGTH} "
                      "characters, without spaces or line breaks"}
    try:
        parsed = urlparse(url)
        hostname, _ = parsed.hostname, parsed.port  # port: raises if not a number
    except ValueError:
        return {path: "must be an absolute http(s) URL"}
    if parsed.scheme not in ("http", "https") or not hostname:
        return {path: "must be an absolute http(s) URL"}
    return {}
