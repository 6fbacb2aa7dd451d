"""What a distribution program's ledger says: its totals, each distributor's figures,
and the month's competition standings (read models; the program itself is checked
against the caller's brands first)."""

import re
from typing import Any

from application.common.actor import READERS, Actor, requires
from application.distribution.programs import DistributionApp
from application.ports.read_models import MAX_LIMIT, ReadModelQueries
from application.reading.lists import Lists
from domain.errors import InvalidValue
from domain.program_rules import CompetitionMetric

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
RANKED = ("active", "suspended")  # those out of the program are not ranked


class ProgramReports:
    def __init__(self, queries: ReadModelQueries, lists: Lists,
                 distribution: DistributionApp) -> None:
        self.queries, self.lists, self.distribution = queries, lists, distribution

    @requires(*READERS, action="read distribution ledgers")
    def ledger(self, actor: Actor, program_id: str) -> dict[str, Any]:
        """Sales, commission accrued, reversed (negative) and forfeited, and what that
        leaves owed to the distributors, in the program's currency (minor units)."""
        program = self.distribution.get_program(actor, program_id)
        totals = self.queries.program_ledger(program["id"])
        return {"program_id": program["id"], "currency": program["rules"]["currency"],
                **totals, "owed": totals["accrued"] + totals["reversed"] - totals["forfeited"]}

    @requires(*READERS, action="read distribution standings")
    def standings(self, actor: Actor, program_id: str, month: str) -> dict[str, Any]:
        """The month's ranking by the competition's metric (sales net of refunds, or
        orders); those under its minimum, or out of the program, are not ranked."""
        if not MONTH.match(month):
            raise InvalidValue({"month": "give the month as YYYY-MM"})
        program = self.distribution.get_program(actor, program_id)
        competition = program["rules"].get("competition") or {}
        metric = competition.get("metric", CompetitionMetric.SALES.value)
        minimum = competition.get("minimum", 1)
        figures = self.queries.distribution_figures(program["id"], month, month)
        rows = [{"distributor_id": d["distributor_id"], "creator_id": d["creator_id"],
                 "level": d["level"], **figures[d["distributor_id"]]}
                for d in self._distributors(actor, program["id"])
                if d["distributor_id"] in figures and d["status"] in RANKED
                and figures[d["distributor_id"]][metric] >= minimum]
        rows.sort(key=lambda row: (-row[metric], row["distributor_id"]))
        return {"program_id": program["id"], "month": month, "metric": metric,
                "prizes": len(competition.get("prizes", [])),
                "rows": [{"rank": rank, **row} for rank, row in enumerate(rows, start=1)]}

    def _distributors(self, actor: Actor, program_id: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        cursor = None
        while True:
            page = self.lists.distributors(actor, filters={"program_id": program_id},
                                           sort="created_at", cursor=cursor,
                                           limit=MAX_LIMIT).page
            found += page.items
            if page.next_cursor is None:
                return found
            cursor = page.next_cursor
