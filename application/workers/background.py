"""The work that happens by itself, in rounds: make-good rules whose window closed are
evaluated, rights whose last day passed are marked expired, dated milestones fall
due and bonuses are calculated, and (with a payment gateway) approved payouts are paid.
`kolpact serve --with-projections` runs it beside the API; `kolpact projections run
--rounds` runs it but for the paying, which is `kolpact payouts process`'s; `kolpact
make-goods evaluate` runs a part of it once.
"""

import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from datetime import time as time_of_day
from typing import Any

from application.bootstrap import Services
from application.common.kolpact_app import as_uuid
from application.workers.payouts import PayoutWorker, bring_payouts_due, reconcile
from application.workers.rounds import Rounds
from domain.distribution import Program, assessment_periods
from domain.program_rules import Figures
from projections import queries

ROUND_SECONDS = 2.0


class BackgroundWorker:
    def __init__(self, services: Services, pay: bool = True,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.services, self.clock = services, clock
        paying = pay and services.payouts.gateway is not None
        self.payouts = PayoutWorker(services) if paying else None
        self.reconciled_at: float | None = None

    def run_once(self) -> dict[str, Any]:
        done: dict[str, Any] = {"make_goods_evaluated": evaluate_make_goods(self.services),
                                "rights_expired": expire_rights(self.services),
                                "distribution": evaluate_programs(self.services)}
        if self.payouts is not None:
            done["payouts"] = vars(self.payouts.run_once())  # brings payouts due first
        elif self.services.read_models is not None:
            done["payouts_due"] = bring_payouts_due(self.services)
        # Stripe events that arrived before the record they are about
        done["webhooks_applied"] = self.services.webhooks.apply_pending()
        if self.payouts is not None and self._reconciliation_due():
            done["mismatches"] = len(reconcile(self.services))
            self.reconciled_at = self.clock()
        return done

    def _reconciliation_due(self) -> bool:
        every_seconds = self.services.settings.reconcile_seconds
        return every_seconds > 0 and (self.reconciled_at is None or
                                      self.clock() - self.reconciled_at >= every_seconds)


def evaluate_make_goods(services: Services) -> int:
    """Armed rules whose window has closed (from the make-goods board)."""
    if services.read_models is None:
        return 0
    services.read_models.catch_up(["make_goods_board"])
    due = queries.closed_armed_rules(services.read_models["make_goods_board"].view,
                                     services.make_goods.clock.now())
    return int(services.make_goods.evaluate_due(due))


def expire_rights(services: Services) -> int:
    """Rights in force whose last day is before today (from the rights calendar)."""
    if services.read_models is None:
        return 0
    today = services.usage_rights.clock.now().date().isoformat()
    rows = services.read_models["rights_calendar"].view.read(
        "SELECT right_id FROM {rights_calendar} WHERE status = 'granted' AND last_day < %s",
        [today])
    return int(services.usage_rights.expire_due([row["right_id"] for row in rows]))


def evaluate_programs(services: Services) -> dict[str, int]:
    """Each running program's distributors, from the ledger's figures: levels and
    achievements reached (and their rewards); and, once a month has ended, its
    competition decided and the prizes given, and its statements issued. Each once,
    whatever rounds run."""
    if services.read_models is None:
        return {"evaluated": 0, "prized": 0, "eliminated": 0, "statements": 0}
    services.read_models.catch_up(["distribution_ledger"])
    view = services.read_models["distribution_ledger"].view
    app, reader = services.distribution, services.program_reports
    assert reader is not None
    now = app.clock.now()
    last_month = month_before(now.strftime("%Y-%m"))
    made = prized = eliminated = issued = 0
    for program in view.read("SELECT program_id, began_on FROM {distribution_programs} "
                             "WHERE stage <> 'ended'"):
        program_id = program["program_id"]
        figures = reader.queries.distribution_figures(program_id)
        recruits = reader.queries.distribution_recruits(program_id)
        for row in view.read("SELECT distributor_id FROM {distribution_distributors} "
                             "WHERE program_id = %s AND status IN ('active', 'suspended')",
                             [program_id]):
            mine = figures.get(row["distributor_id"], {})
            made += app.evaluate_distributor(row["distributor_id"], Figures(
                orders=mine.get("orders", 0), sales=mine.get("sales", 0),
                recruits=recruits.get(row["distributor_id"], 0)))
        if program["began_on"][:7] <= last_month:
            ranked = reader.ranked(program_id, last_month)
            prized += app.decide_competition(program_id, last_month, ranked)
            issued += app.issue_statements(program_id, last_month,
                                           reader.month_statements(program_id, last_month))
        eliminated += assess_externals(services, program_id, now.date())
    return {"evaluated": made, "prized": prized, "eliminated": eliminated,
            "statements": issued}


def assess_externals(services: Services, program_id: str, today: date) -> int:
    """External distributors still in the program, period by period since they joined:
    the first period they fell short of eliminates them."""
    app, reader, view = services.distribution, services.program_reports, \
        services.read_models["distribution_ledger"].view  # type: ignore[index]
    assert reader is not None
    program: Program = app.repository.get(as_uuid(program_id, "program"))
    assessment = program.rules.assessment
    if assessment is None:
        return 0
    eliminated = 0
    for row in view.read("SELECT distributor_id, joined_on FROM {distribution_distributors} "
                         "WHERE program_id = %s AND origin = 'external' AND status IN "
                         "('active', 'suspended')", [program_id]):
        for start, end in assessment_periods(date.fromisoformat(row["joined_on"]),
                                             assessment, today):
            during = reader.queries.distribution_figures(
                program_id, datetime.combine(start, time_of_day(), UTC),
                datetime.combine(end, time_of_day(), UTC)).get(row["distributor_id"], {})
            if app.assess_distributor(row["distributor_id"], (start, end), Figures(
                    orders=during.get("orders", 0), sales=during.get("sales", 0))):
                eliminated += 1
                break
    return eliminated


def month_before(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def run_beside_api(services: Services) -> Rounds | None:
    """Read models follow their logs, and the background work runs in rounds, in this
    process (`kolpact serve --with-projections`); None on the in-memory store."""
    if services.read_models is None:
        return None
    services.read_models.start()
    return in_rounds(services, pay=True)


def in_rounds(services: Services, pay: bool) -> Rounds:
    """The background work, every ROUND_SECONDS, in a thread (`pay`: approved payouts too,
    when a payment gateway is configured)."""
    worker = BackgroundWorker(services, pay=pay)
    return Rounds("background", ROUND_SECONDS, worker.run_once, daemon=True).start()
