"""Creators from a spreadsheet (CSV or XLSX), and the directory back out as one.

Each row is about one platform handle. A handle the brand already has (the
directory says which) updates that creator with what the row gives; any other
creates a creator, owned by whoever imports. A check (dry run) does everything
an import does but save: it reports each row's fate (create, update, unchanged)
or its problems. An import then writes all rows or nothing — or, if asked, the
valid rows and not the others —, IMPORT_BATCH creators a transaction once every row
is checked; one stopped half-way (a lost connection) is run again, and what it wrote
is then unchanged. The refused rows come back as an error file: the rows as they
were, with a column saying what is wrong.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.persistence import IntegrityError

from application.common.actor import READERS, Actor, requires
from application.common.kolpact_app import derived_id
from application.common.people import People
from application.common.spreadsheets import FORMATS, Sheet, read_sheet, write_sheet
from application.creators.creator_sheet import (
    EXPORT_HEADER,
    SheetRow,
    columns_of,
    export_rows,
    handle_key,
    read_row,
)
from application.creators.creators import MANAGERS, CreatorsApp
from application.errors import ConcurrentChange
from application.ports.read_models import MAX_LIMIT, ReadModelQueries
from application.reading.lists import Lists
from domain.creator import Creator
from domain.creator_profile import CreatorProfile
from domain.errors import InvalidTransition, InvalidValue
from domain.rules import Problems
from domain.values import to_primitive

MAX_ROWS = 200_000  # a file of any size a person keeps; the API's request limit is lower
IMPORTED = "imported from a spreadsheet"
MAX_REUSES = 1000  # creators that had one handle and moved on
# Creators saved in one transaction: every row is checked before the first is written,
# and a big file does not hold the creators' log locked for its whole length.
IMPORT_BATCH = 500
HandleIndex = dict[tuple[str, str], str]  # (platform, handle) -> creator id, in one brand


@dataclass
class Outcome:
    """What becomes of one row."""

    row: SheetRow
    action: str = "refused"  # create, update, unchanged or refused
    creator_id: str | None = None
    problems: Problems = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        return {"line": self.row.line, "platform": self.row.platform,
                "handle": self.row.handle, "action": self.action,
                "creator_id": self.creator_id, "problems": self.problems}


@dataclass
class Plan:
    sheet: Sheet
    outcomes: list[Outcome]
    changed: dict[str, Creator]  # creator id -> the creator with its new events

    @property
    def problems(self) -> Problems:
        return {f"rows[{o.row.line}].{name}": message for o in self.outcomes
                for name, message in o.problems.items()}

    def report(self, written: bool) -> dict[str, Any]:
        counts = {action: sum(o.action == action for o in self.outcomes)
                  for action in ("create", "update", "unchanged", "refused")}
        return {"format": self.sheet.format, "rows": len(self.outcomes), **counts,
                "written": written, "items": [o.describe() for o in self.outcomes]}


class CreatorImports:
    def __init__(self, creators: CreatorsApp, lists: Lists, directory: ReadModelQueries,
                 catch_up: Callable[[], object], people: People) -> None:
        """`catch_up` brings the directory up to date with every creator saved so far."""
        self.creators, self.lists, self.directory = creators, lists, directory
        self.catch_up, self.people = catch_up, people

    @requires(*MANAGERS, action="import creators")
    def check(self, actor: Actor, raw: bytes, brand_id: str | None = None) -> dict[str, Any]:
        """The dry run: what an import of the file would do, row by row; writes nothing."""
        return self._plan(actor, raw, brand_id).report(written=False)

    @requires(*MANAGERS, action="import creators")
    def import_sheet(self, actor: Actor, raw: bytes, valid_rows_only: bool = False,
                     brand_id: str | None = None) -> dict[str, Any]:
        """Writes every row, or none if any has a problem (422 with them all); with
        `valid_rows_only`, the good rows and not the others."""
        plan = self._plan(actor, raw, brand_id)
        if plan.problems and not valid_rows_only:
            raise InvalidValue(plan.problems)
        changed = list(plan.changed.values())
        for start in range(0, len(changed), IMPORT_BATCH):
            self._save(changed[start:start + IMPORT_BATCH], start, len(changed))
        return plan.report(written=True)

    def _save(self, batch: list[Creator], written: int, changing: int) -> None:
        """One transaction (and one lock on the creators' log) for the batch."""
        sealed = [str(creator.id) for creator in batch if has_contact(creator)]
        try:
            with self.creators.personal_data.get().keys_kept(sealed):
                self.creators.save(*batch)
        except IntegrityError as error:
            raise ConcurrentChange(
                f"Some of these creators changed, or were added, at the same moment "
                f"({written} of the {changing} to add or update were written before it). "
                "Check the file again and import it once more: what was written is then "
                "unchanged.") from error

    @requires(*MANAGERS, action="import creators")
    def error_file(self, actor: Actor, raw: bytes, brand_id: str | None = None
                   ) -> tuple[str, bytes]:
        """The refused rows as the file had them, with a 'problems' column; in the file's
        own format, to fix and import again."""
        plan = self._plan(actor, raw, brand_id)
        cells = {row.line: row.cells for row in plan.sheet.rows}
        refused = [[*cells[o.row.line], "; ".join(f"{k}: {v}" for k, v in o.problems.items())]
                   for o in plan.outcomes if o.problems]
        return plan.sheet.format, write_sheet(plan.sheet.format,
                                              [*plan.sheet.header, "problems"], refused)

    def export(self, actor: Actor, filters: dict[str, Any], sort: str = "display_name",
               format: str = "csv") -> bytes:
        """The creators the filters find (as the directory's list does), one row per
        handle, in a file the import reads back. Contact details stay out of it."""
        actor.require(*READERS, action="export creators")
        if format not in FORMATS:
            raise InvalidValue({"format": f"must be one of {', '.join(FORMATS)}"})
        self.catch_up()  # what was just written is in it
        rows: list[list[Any]] = []
        cursor = None
        while True:
            page = self.lists.creators(actor, filters=dict(filters), sort=sort, cursor=cursor,
                                       limit=MAX_LIMIT).page
            for creator in page.items:
                rows += export_rows(creator, self.people.name_of(creator.get("owner_id")))
            if page.next_cursor is None:
                return write_sheet(format, EXPORT_HEADER, rows)
            cursor = page.next_cursor

    def _plan(self, actor: Actor, raw: bytes, brand_id: str | None) -> Plan:
        brand = actor.home_brand(brand_id)
        sheet = read_sheet(raw, MAX_ROWS)
        columns, problems = columns_of(sheet.header)
        if problems:
            raise InvalidValue(problems)
        index, taken = self._directory(brand)
        plan = Plan(sheet, [], {})
        seen: dict[tuple[str, str], int] = {}
        for cells in sheet.rows:
            row = read_row(cells.line, {columns[i]: cell for i, cell in enumerate(cells.cells)
                                        if i in columns})
            outcome = Outcome(row, problems=dict(row.problems))
            plan.outcomes.append(outcome)
            if not outcome.problems and row.key in seen:
                outcome.problems["handle"] = f"repeats the handle of line {seen[row.key]}"
            seen.setdefault(row.key, row.line)
            if not outcome.problems:
                self._apply(actor, brand, index.get(row.key), outcome, plan.changed, taken)
        return plan

    def _directory(self, brand: str) -> tuple[HandleIndex, set[str]]:
        """The brand's handles, and its creators' ids, as the directory has them now."""
        self.catch_up()
        creators = self.directory.creator_handles(brand)
        return ({handle_key(h["platform"], h["handle"]): creator_id
                 for creator_id, handles in creators for h in handles},
                {creator_id for creator_id, _ in creators})

    def _apply(self, actor: Actor, brand: str, creator_id: str | None, outcome: Outcome,
               changed: dict[str, Creator], taken: set[str]) -> None:
        try:
            if creator_id is None:
                creator = self._new_creator(actor, brand, outcome.row, taken)
                outcome.action = "create"
            else:
                creator = changed.get(creator_id) or self.creators.creator_for(actor,
                                                                               creator_id)
                before = creator.version
                creator.update_profile(actor.user_id, updated(creator, outcome.row), IMPORTED)
                outcome.action = "update" if creator.version != before else "unchanged"
        except InvalidValue as error:
            outcome.problems |= error.errors
            return
        except InvalidTransition as error:
            outcome.problems["contact"] = str(error)
            return
        outcome.creator_id = str(creator.id)
        changed[outcome.creator_id] = creator

    def _new_creator(self, actor: Actor, brand: str, row: SheetRow,
                     taken: set[str]) -> Creator:
        missing = {name: "a new creator needs one" for name in ("display_name", "kind")
                   if name not in row.profile}
        if missing:
            raise InvalidValue({"name" if k == "display_name" else k: v
                                for k, v in missing.items()})
        profile = CreatorProfile.parse({**row.profile, "handles": [
            {"platform": row.platform, "handle": row.handle, "followers": row.followers or 0,
             "engagement_rate_bp": row.engagement_rate_bp or 0}]})
        creator = Creator.register(actor=actor.user_id, brand_id=brand, profile=profile,
                                   id=free_id(brand, row, taken))
        creator.assign_owner(actor.user_id, actor.user_id, None)
        return creator

def free_id(brand: str, row: SheetRow, taken: set[str]) -> Any:
    """Derived from the handle, so two imports adding it at once collide rather than make
    two creators; the next one along if a creator that had it has another handle now."""
    for n in range(MAX_REUSES):
        candidate = derived_id("creator", brand, *row.key, str(n))
        if str(candidate) not in taken:
            taken.add(str(candidate))
            return candidate
    raise InvalidValue({"handle": "has been given up by too many creators to add again"})


def has_contact(creator: Creator) -> bool:
    contact = creator.profile.contact
    return not contact.erased and any((contact.email, contact.phone, contact.wechat_id))


def updated(creator: Creator, row: SheetRow) -> dict[str, Any]:
    """The profile changes a row makes: its handle's reach, the fields it gives, prices
    by format and currency, contact details field by field."""
    profile = to_primitive(creator.profile)
    handles = profile["handles"]
    for handle in handles:
        if handle_key(handle["platform"], handle["handle"]) == row.key:
            if row.followers is not None:
                handle["followers"] = row.followers
            if row.engagement_rate_bp is not None:
                handle["engagement_rate_bp"] = row.engagement_rate_bp
    changes = {**row.profile, "handles": handles}
    if "price_ranges" in row.profile:
        given = {(p["format"], p["currency"]) for p in row.profile["price_ranges"]}
        changes["price_ranges"] = [p for p in profile["price_ranges"]
                                   if (p["format"], p["currency"]) not in given
                                   ] + row.profile["price_ranges"]
    if "contact" in row.profile:
        kept = {k: v for k, v in profile["contact"].items() if k not in ("subject_id", "erased")}
        changes["contact"] = {**kept, **row.profile["contact"]}
    return changes
