"""What a distribution program's ledger says: its totals, each distributor's figures,
and the month's competition standings (read models; the program itself is checked
against the caller's brands first)."""

import re
from typing import Any

from application.common.actor import READERS, Actor, requires
from application.common.kolpact_app import as_uuid
from application.distribution.programs import DistributionApp
from application.ports.read_models import MAX_LIMIT, ReadModelQueries
from domain.distribution import Program, month_bounds
from domain.errors import InvalidValue
from domain.program_rules import CompetitionMetric
from domain.values import to_primitive

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
RANKED = ("active", "suspended")  # those out of the program are not ranked


class ProgramReports:
    def __init__(self, queries: ReadModelQueries, distribution: DistributionApp) -> None:
        self.queries, self.distribution = queries, distribution

    @requires(*READERS, action="read distribution ledgers")
    def ledger(self, actor: Actor, program_id: str) -> dict[str, Any]:
        """Sales, commission accrued, reversed (negative) and forfeited, and what that
        leaves owed to the distributors, in the program's currency (minor units)."""
        program = self.distribution.get_program(actor, program_id)
        totals = self.queries.program_ledger(program["id"])
        return {"program_id": program["id"], "currency": program["rules"]["currency"],
                **totals, "owed": totals["accrued"] + totals["reversed"] + totals["rewards"]
                - totals["forfeited"]}

    @requires(*READERS, action="read distribution statements")
    def statements(self, actor: Actor, program_id: str, month: str,
                   distributor_id: str | None = None) -> dict[str, Any]:
        """Each distributor's statement for the month (or one's): sales, commission earned
        and taken back, the rewards granted and their money, and what is payable — nothing
        for a disqualified distributor, whose unpaid earnings were forfeited."""
        if not MONTH.match(month):
            raise InvalidValue({"month": "give the month as YYYY-MM"})
        program = self.distribution.get_program(actor, program_id)
        if distributor_id is not None:
            self.distribution.get_distributor(actor, distributor_id)  # another brand's: 404
        rows = [row for row in self.month_statements(program["id"], month)
                if distributor_id is None or row["distributor_id"] == distributor_id]
        return {"program_id": program["id"], "month": month,
                "currency": program["rules"]["currency"], "statements": rows,
                "payable": sum(row["payable"] for row in rows)}

    def month_statements(self, program_id: str, month: str) -> list[dict[str, Any]]:
        """Each distributor's statement for the month, with what is payable."""
        return [{**row, "payable": 0 if row["status"] == "disqualified" else
                 row["earned"] + row["taken_back"] + row["reward_money"]}
                for row in self.queries.distribution_statements(program_id, month)]

    @requires(*READERS, action="read distribution standings")
    def standings(self, actor: Actor, program_id: str, month: str) -> dict[str, Any]:
        """The month's ranking by the competition's metric (sales net of refunds, or
        orders); those under its minimum, or out of the program, are not ranked."""
        if not MONTH.match(month):
            raise InvalidValue({"month": "give the month as YYYY-MM"})
        program = self.distribution.get_program(actor, program_id)
        competition = program["rules"].get("competition") or {}
        rows = self._standings(program["id"], program["brand_id"], month, competition)
        return {"program_id": program["id"], "month": month,
                "metric": competition.get("metric", CompetitionMetric.SALES.value),
                "prizes": len(competition.get("prizes", [])), "rows": rows}

    def ranked(self, program_id: str, month: str) -> list[tuple[str, int]]:
        """For the worker: (distributor, figure) best first, as the standings rank them."""
        program: Program = self.distribution.repository.get(as_uuid(program_id, "program"))
        competition = to_primitive(program.rules.competition) or {}
        metric = competition.get("metric", CompetitionMetric.SALES.value)
        return [(row["distributor_id"], row[metric]) for row in self._standings(
            program_id, program.brand_id, month, competition)]

    def _standings(self, program_id: str, brand_id: str, month: str,
                   competition: dict[str, Any]) -> list[dict[str, Any]]:
        metric = competition.get("metric", CompetitionMetric.SALES.value)
        minimum = competition.get("minimum", 1)
        figures = self.queries.distribution_figures(program_id, *month_bounds(month))
        rows = [{"distributor_id": d["distributor_id"], "creator_id": d["creator_id"],
                 "level": d["level"], **figures[d["distributor_id"]]}
                for d in self._every(brand_id, program_id)
                if d["distributor_id"] in figures and d["status"] in RANKED
                and figures[d["distributor_id"]][metric] >= minimum]
        rows.sort(key=lambda row: (-row[metric], row["distributor_id"]))
        return [{"rank": rank, **row} for rank, row in enumerate(rows, start=1)]

    def _every(self, brand_id: str, program_id: str) -> list[dict[str, Any]]:
        """Every distributor of the program, a page at a time."""
        found: list[dict[str, Any]] = []
        cursor = None
        while True:
            page = self.queries.distributors([brand_id], {"program_id": program_id},
                                             "created_at", cursor, MAX_LIMIT)
            found += page.items
            if page.next_cursor is None:
                return found
            cursor = page.next_cursor
