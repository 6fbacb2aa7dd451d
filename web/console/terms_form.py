"""The terms as a form: every term a contract can hold, as fields legal fills in.

One description of the fields (SECTIONS, GENERAL) drives the page, the reading of what
was sent (`terms_from`) and the filling of the form from terms already written
(`values_of`), so a draft revised or an amendment proposed here keeps every term,
and the page cannot offer a field the reading ignores. Each field is named by its
place in the API's terms (`deliverables[0].due_date`, `milestones[1].bonus.cap`), so a
problem the terms' own rules find is shown next to the field it concerns. Lists of
rows grow a row at a time ('Add a deliverable' sends the form back to be drawn again
with one more row), which needs no JavaScript.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from werkzeug.datastructures import MultiDict

from domain.errors import InvalidValue
from domain.money import major_units, minor_units
from domain.obligations import MilestoneTrigger, Remedy, RightStart
from domain.vocabulary import (
    SPEC_FIELDS,
    Channel,
    DeliverableKind,
    Metric,
    Platform,
    SensitiveCategory,
)

CURRENCIES = ("CNY", "USD", "EUR", "HKD", "JPY", "KRW", "SGD", "GBP")
MAX_ROWS = 50  # rows of one kind a form may hold; more is not a contract but an import


@dataclass(frozen=True)
class Field:
    """One field; `name` is its path within the row (or the terms)."""

    name: str
    label: str
    kind: str = "text"  # number, decimal, money, date, choice, choices, check, lines (a
    # list, comma-separated), area (a list, one a line), tiers, prose (a text of lines)
    options: tuple[tuple[str, str], ...] = ()
    required: bool = False
    hint: str = ""
    default: Any = ""

    def options_for(self, chosen: list[str]) -> list[tuple[str, str]]:
        """The options, those chosen first in the order written, so that the terms come
        back as they were (a list's order is part of what was agreed)."""
        rank = {value: i for i, value in enumerate(chosen)}
        return sorted(self.options, key=lambda option: rank.get(option[0], len(rank)))


def options(values: Iterable[StrEnum], blank: bool = False) -> tuple[tuple[str, str], ...]:
    listed = tuple((v.value, v.value.replace("_", " ")) for v in values)
    return (("", "—"), *listed) if blank else listed


@dataclass(frozen=True)
class Section:
    """A list of rows (deliverables, milestones…); a row counts once its key is given."""

    name: str
    title: str  # 'Deliverable'
    fields: tuple[Field, ...]
    note: str = ""

    def row_names(self, i: int) -> list[tuple[Field, str]]:
        return [(f, f"{self.name}[{i}].{f.name}") for f in self.fields]


SECTIONS = (
    Section("deliverables", "Deliverable", (
        Field("key", "Key (short name)", required=True, hint="video-1"),
        Field("kind", "Kind", "choice", options(DeliverableKind)),
        Field("platform", "Platform", "choice", options(Platform)),
        Field("due_date", "Due", "date", required=True),
        Field("quantity", "How many", "number", default="1"),
        Field("description", "Description"),
        *(Field(f"spec.{name}", name.replace("_", " ").capitalize(), "number")
          for name in SPEC_FIELDS),
        Field("review_required", "Reviewed before publication", "check", default=True),
    )),
    Section("milestones", "Milestone", (
        Field("key", "Key", required=True, hint="signing"),
        Field("label", "Label", required=True, hint="On signature"),
        Field("amount", "Amount", "money", required=True, hint="12000.00"),
        Field("trigger", "Paid when", "choice", options(MilestoneTrigger)),
        Field("deliverable_key", "Deliverable key (accepted, or reaching a figure)"),
        Field("due_date", "Date (paid on a date)", "date"),
        Field("metric", "Figure (paid on reaching it)", "choice", options(Metric, True)),
        Field("threshold", "Figure to reach", "number"),
        Field("bonus.deliverable_key", "Bonus: measured on deliverable (key)"),
        Field("bonus.window_days", "Bonus: days measured after publication", "number"),
        Field("bonus.rate_metric", "Bonus: paid per", "choice", options(Metric, True)),
        Field("bonus.rate", "Bonus: amount per unit", "money"),
        Field("bonus.tier_metric", "Bonus: tiers on", "choice", options(Metric, True)),
        Field("bonus.tiers", "Bonus: tiers, one a line ('figure amount')", "tiers",
              hint="100000 2000.00"),
        Field("bonus.cap", "Bonus: at most", "money"),
    ), note="the amounts add up to the fee"),
    Section("usage_rights", "Usage right", (
        Field("key", "Key", required=True, hint="repost"),
        Field("channels", "Channels", "choices", options(Channel)),
        Field("territories", "Territories (ISO codes, comma-separated)", "lines",
              hint="CN, HK"),
        Field("starts", "Starting", "choice", options(RightStart), default="on_publication"),
        Field("start_date", "Start date (a fixed date)", "date"),
        Field("duration_days", "For how many days (empty: perpetual)", "number"),
        Field("deliverable_keys", "Only these deliverables (keys; empty: all)", "lines"),
        Field("exclusivity_category", "Exclusive in category"),
        Field("exclusivity_days", "Exclusive for how many days", "number"),
    )),
    Section("make_goods", "Make-good rule", (
        Field("key", "Key", required=True, hint="views"),
        Field("deliverable_key", "Deliverable (key)", required=True),
        Field("metric", "Figure", "choice", options(Metric)),
        Field("threshold", "At least", "number", required=True),
        Field("window_days", "Within how many days of publication", "number", required=True),
        Field("remedy", "Otherwise", "choice", options(Remedy)),
        Field("milestone_key", "Milestone reduced or refunded (key)"),
        Field("amount", "Amount reduced or refunded", "money"),
        Field("percent", "Or a percent of the milestone", "decimal"),
        Field("extension_days", "Rights extended by days", "number"),
    )),
)

GENERAL = (
    Field("fee.amount", "Fee", "money", required=True, hint="40000.00"),
    Field("fee.currency", "Currency", "choice", tuple((c, c) for c in CURRENCIES),
          default="CNY"),
    Field("buffer_days", "Days' buffer for delays", "number", default="0"),
    Field("review_days", "The brand reviews within (days; empty: the usual)", "number"),
    Field("required_disclosures", "Required disclosures, one a line", "area", hint="#ad"),
    Field("approved_claims", "Approved claims, one a line", "area",
          hint="Hydrates for 24 hours"),
    Field("forbidden_terms", "Never to be said, one a line", "area"),
    Field("flagged_categories", "Categories needing extra review", "choices",
          options(SensitiveCategory)),
    Field("tracking.landing_url", "Tracked links lead to", hint="https://brand.example/"),
    Field("tracking.campaign_code", "Campaign code for tracked links"),
    Field("notes", "Notes", "prose"),
)


# Reading what was sent.

def terms_from(form: MultiDict[str, str]) -> dict[str, Any]:
    """The terms as the API takes them; amounts typed in major units ('12,000.50')."""
    errors: dict[str, str] = {}
    currency = form.get("fee.currency", "CNY").strip()
    read = _Reader(form, currency, errors)
    terms: dict[str, Any] = {}
    for f in GENERAL:
        read.into(terms, f, f.name)
    for section in SECTIONS:
        terms[section.name] = [row for i in range(rows_sent(form, section))
                               if (row := read.row(section, i)) is not None]
    terms.setdefault("buffer_days", 0)
    if errors:
        raise InvalidValue(errors)
    return terms


def rows_sent(form: MultiDict[str, str], section: Section) -> int:
    text = form.get(f"rows.{section.name}", "")
    return min(int(text), MAX_ROWS) if text.isdigit() else 0


@dataclass
class _Reader:
    form: MultiDict[str, str]
    currency: str
    errors: dict[str, str]

    def row(self, section: Section, i: int) -> dict[str, Any] | None:
        if not self.form.get(f"{section.name}[{i}].key", "").strip():
            return None  # a blank row
        row: dict[str, Any] = {}
        for f, name in section.row_names(i):
            self.into(row, f, name)
        return row

    def into(self, target: dict[str, Any], f: Field, name: str) -> None:
        value = self.value(f, name)
        if value is None:
            return
        *parents, leaf = f.name.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value

    def value(self, f: Field, name: str) -> Any:
        if f.kind == "check":
            return name in self.form
        if f.kind == "choices":
            return self.form.getlist(name)
        text = self.form.get(name, "").strip()
        if not text:
            return None
        if f.kind == "prose":
            return self.form.get(name, "").replace("\r\n", "\n").strip()
        reader: Callable[[str], Any] = {
            "number": self.whole, "money": self.money, "decimal": self.decimal, "lines": lines,
            "area": lines, "tiers": self.tiers}.get(f.kind, str)
        try:
            return reader(text)
        except (ValueError, ArithmeticError) as error:
            self.errors[name] = str(error) or "is not a number"
            return None

    @staticmethod
    def whole(text: str) -> int:
        if not text.isdigit():
            raise ValueError("must be a whole number")
        return int(text)

    @staticmethod
    def decimal(text: str) -> Decimal:
        try:
            return Decimal(text)
        except ArithmeticError:
            raise ValueError("must be a number, such as 12.5") from None

    def money(self, text: str) -> int:
        return minor_units(text, self.currency)

    def tiers(self, text: str) -> list[dict[str, int]]:
        tiers = []
        for line in lines(text):
            parts = line.split()
            if len(parts) != 2:
                raise ValueError(f"'{line}': write the figure and the amount, "
                                 "such as '100000 2000.00'")
            tiers.append({"at_least": self.whole(parts[0]), "amount": self.money(parts[1])})
        return tiers


def lines(text: str) -> list[str]:
    """One item a line (or comma-separated, for short lists)."""
    parts = text.splitlines() if "\n" in text else text.split(",")
    return [part.strip() for part in parts if part.strip()]


# Filling the form.

def values_of(terms: dict[str, Any]) -> dict[str, Any]:
    """The form's fields filled from terms (their primitives, as descriptions give them)."""
    currency = (terms.get("fee") or {}).get("currency", "CNY")
    values: dict[str, Any] = {}
    for f in GENERAL:
        values[f.name] = _shown(f, _at(terms, f.name), currency)
    for section in SECTIONS:
        rows = terms.get(section.name) or []
        values[f"rows.{section.name}"] = len(rows)
        for i, row in enumerate(rows):
            for f, name in section.row_names(i):
                values[name] = _shown(f, _at(row, f.name), currency)
    return values


def values_sent(form: MultiDict[str, str]) -> dict[str, Any]:
    """What was typed, to draw the form again as it was sent (the contract's own fields,
    its title and creator, or the reason, with the terms)."""
    values: dict[str, Any] = {name: form.get(name, "") for name in form}
    values |= {f.name: _typed(form, f, f.name) for f in GENERAL}
    for section in SECTIONS:
        values[f"rows.{section.name}"] = count = rows_sent(form, section)
        for i in range(count):
            values |= {name: _typed(form, f, name) for f, name in section.row_names(i)}
    return values


def _typed(form: MultiDict[str, str], f: Field, name: str) -> Any:
    if f.kind == "check":
        return name in form
    return form.getlist(name) if f.kind == "choices" else form.get(name, "")


def _at(data: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None  # type: ignore[assignment]
    return data


def _shown(f: Field, value: Any, currency: str) -> Any:
    if value is None:
        return [] if f.kind == "choices" else False if f.kind == "check" else ""
    if f.kind == "money":
        return _major(value, currency)
    if f.kind in ("lines", "area"):
        return ("\n" if f.kind == "area" else ", ").join(value)
    if f.kind == "tiers":
        return "\n".join(f"{t['at_least']} {_major(t['amount'], currency)}" for t in value)
    return value if f.kind in ("choices", "check") else str(value)


def _major(amount: int, currency: str) -> str:
    return f"{major_units(int(amount), currency)}"
