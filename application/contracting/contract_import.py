"""Drafts brought over from another system (a spreadsheet, an older tool), in bulk.

Each row names the brand's own reference for the contract; the draft's id derives
from it, so importing a row again (an interrupted import run once more, the same
file sent twice) finds the draft already there instead of making a second one.
Rows are checked before anything is saved: a batch with any bad row saves none,
and every row's problems are listed.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from application.common.actor import Actor
from application.common.kolpact_app import derived_id
from application.errors import NotFound
from domain.contract import Contract
from domain.creator import Creator
from domain.errors import InvalidTransition, InvalidValue
from domain.terms import ContractTerms

MAX_REFERENCE_LENGTH = 100
FIELDS = {"reference", "creator_id", "title", "terms", "campaign"}


def imported_id(brand_id: str, reference: str) -> Any:
    return derived_id("contract-import", brand_id, reference)


@dataclass
class DraftImport:
    """Turns rows into drafts for one brand, or says what is wrong with each bad row."""
    actor: Actor
    brand_id: str
    creator_for: Callable[[Actor, str], Creator]

    def __post_init__(self) -> None:
        self.creators: dict[str, Creator] = {}  # each creator loaded once per import

    def drafts(self, rows: Sequence[Any], first_line: int = 1,
               references: set[Any] | None = None) -> list[Contract]:
        """`references`: the ids of rows checked before, for a file checked in parts."""
        drafts: list[Contract] = []
        errors: dict[str, str] = {}
        references = set() if references is None else references
        for line, row in enumerate(rows, start=first_line):
            try:
                draft = self._draft(row)
            except InvalidValue as error:
                errors |= {f"rows[{line}].{key}": value for key, value in error.errors.items()}
                continue
            if draft.id in references:
                errors[f"rows[{line}].reference"] = "appears twice in the file"
            references.add(draft.id)
            drafts.append(draft)
        if errors:
            raise InvalidValue(errors)
        return drafts

    def _draft(self, row: Any) -> Contract:
        if not isinstance(row, dict):
            raise InvalidValue({"row": "must be an object"})
        errors = {name: "unknown field" for name in set(row) - FIELDS}
        reference, title = row.get("reference"), row.get("title")
        if not isinstance(reference, str) or not 0 < len(reference.strip()) <= \
                MAX_REFERENCE_LENGTH:
            errors["reference"] = f"your own id for the contract, 1 to " \
                                  f"{MAX_REFERENCE_LENGTH} characters"
        if not isinstance(title, str):
            errors["title"] = "required, a text"
        campaign = row.get("campaign")
        if campaign is not None and not isinstance(campaign, str):
            errors["campaign"] = "a text, or left out"
        if not isinstance(row.get("terms"), dict):
            errors["terms"] = "required, an object as in the API"
        errors |= self._creator_problems(row.get("creator_id"))
        if errors:
            raise InvalidValue(errors)
        try:
            terms = ContractTerms.parse(row["terms"])
        except InvalidValue as error:
            raise InvalidValue({f"terms.{key}": value for key, value in error.errors.items()}
                               ) from error
        return Contract.draft(actor=self.actor.user_id, brand_id=self.brand_id,
                              creator_id=str(row["creator_id"]), title=str(title),
                              campaign=campaign, terms=terms,
                              id=imported_id(self.brand_id, str(reference).strip()))

    def _creator_problems(self, creator_id: Any) -> dict[str, str]:
        key = str(creator_id)
        try:
            if key not in self.creators:
                creator = self.creator_for(self.actor, key)
                if creator.brand_id != self.brand_id:
                    raise NotFound("No creator with that id.")
                self.creators[key] = creator
            self.creators[key].ensure_can_be_contracted()
        except (NotFound, InvalidTransition) as error:
            return {"creator_id": str(error)}
        return {}
