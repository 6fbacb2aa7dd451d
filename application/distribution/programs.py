"""Use cases of KOC distribution programs: legal sets a program's rules (and revises
them from a moment on), ops run its cohort, enrol distributors and record the orders
they bring in (each order once, by the shop's order id) and the refunds and
cancellations that take their commission back."""

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from eventsourcing.domain import Aggregate

from application.common.actor import READERS, SYSTEM_USER, Actor, requires
from application.common.history import history
from application.common.kolpact_app import (
    Basics,
    KolpactApplication,
    as_uuid,
    derived_id,
    new_or_derived_id,
)
from application.common.links import CreatorRecords, Records
from application.common.people import People
from application.common.spreadsheets import read_sheet
from application.common.transcodings import register_values
from application.common.wording import environment
from application.distribution.order_sheet import orders_of, row_problems
from application.errors import ConcurrentChange, NotFound
from domain.attributed_order import AttributedOrder, ReversalKind
from domain.commission import CommissionLine, Order, OrderLine, commission_lines
from domain.creator import Creator, CreatorStatus
from domain.creator_profile import CreatorKind
from domain.distribution import (
    CohortStage,
    Distributor,
    Grant,
    Origin,
    Program,
    RulesVersion,
    Winner,
    distributor_code,
    month_bounds,
)
from domain.errors import InvalidValue
from domain.identity import Role
from domain.program_rules import (
    Achievement,
    Assessment,
    CommissionRate,
    Competition,
    Figures,
    Level,
    LevelCriteria,
    Prize,
    ProgramRules,
    Reward,
    RewardKind,
)
from domain.rules import Problems
from domain.statement import Statement
from domain.values import parse_checked, parse_value, to_primitive

VALUES = (ProgramRules, RulesVersion, CommissionRate, Level, LevelCriteria, Reward,
          Achievement, Competition, Prize, Assessment, Figures, Grant, Order, OrderLine,
          CommissionLine, Winner)
RULE_MAKERS = (Role.LEGAL,)  # the commission table is a contract with the distributors
RUNNERS = (Role.OPS,)
MAX_ORDERS = 10_000  # in one call
CERTIFICATE = environment().get_template("readable/certificate.html")
CLOCK_SKEW = timedelta(minutes=5)  # a shop's clock a little ahead of ours
STATEMENT_FIGURES = ("brand_id", "program_id", "distributor_id", "month", "currency", "sales",
                     "earned", "taken_back", "reward_money", "payable")


class DistributionApp(KolpactApplication):
    name = "distribution"
    record, record_name = Program, "program"
    snapshotting_intervals = {Program: 100, Distributor: 100}

    def __init__(self, basics: Basics, *, creators: CreatorRecords,
                 identity: Records) -> None:
        super().__init__(basics)
        self.creators, self.identity = creators, identity

    def register_transcodings(self, transcoder: Any) -> None:
        super().register_transcodings(transcoder)
        register_values(transcoder, *VALUES)

    # Programs and their rules.

    @requires(*RULE_MAKERS, action="set up distribution programs")
    def create_program(self, actor: Actor, name: str, rules: dict[str, Any],
                       brand_id: str | None = None, began_on: date | None = None,
                       request_key: str | None = None) -> dict[str, Any]:
        home = actor.home_brand(brand_id)
        parsed = ProgramRules.parse(rules)
        program = self._create_once(lambda: Program.create(
            actor=actor.user_id, brand_id=home, name=name, rules=parsed, now=self.clock.now(),
            began_on=began_on, id=new_or_derived_id("program", actor.user_id, request_key)),
            Program, "program")
        return describe_program(program)

    @requires(*RULE_MAKERS, action="revise distribution rules")
    def revise_rules(self, actor: Actor, program_id: str, rules: dict[str, Any],
                     effective_from: datetime | None, reason: str | None,
                     expected_version: int | None = None) -> dict[str, Any]:
        """New rules from `effective_from` (by default now): orders placed before keep
        the rates of their time."""
        parsed, now = ProgramRules.parse(rules), self.clock.now()
        return describe_program(self._change(
            actor, Program, "program", program_id, expected_version,
            lambda p: p.revise_rules(actor.user_id, parsed, effective_from or now, now,
                                     reason)))

    @requires(*RUNNERS, action="run distribution cohorts")
    def move_cohort(self, actor: Actor, program_id: str, stage: str,
                    reason: str | None = None,
                    expected_version: int | None = None) -> dict[str, Any]:
        moved = parse_value(CohortStage, stage, "stage")
        return describe_program(self._change(
            actor, Program, "program", program_id, expected_version,
            lambda p: p.move_to(actor.user_id, moved, reason)))

    @requires(*READERS, action="read distribution programs")
    def get_program(self, actor: Actor, program_id: str, version: int | None = None,
                    as_of: datetime | None = None) -> dict[str, Any]:
        """The program now, or as it stood at a version or a moment."""
        return describe_program(self._as_it_stood(actor, Program, program_id, "program",
                                                  version, as_of)[0])

    @requires(*READERS, action="read distribution history")
    def history_of(self, actor: Actor, record_id: str, as_of: datetime | None = None
                   ) -> list[dict[str, Any]]:
        """Every event of a program, a distributor or an attributed order (up to `as_of`),
        with who acted in which roles and what changed."""
        record = self._load_visible(actor, Aggregate, record_id, "program record")
        people = People({"identity": self.identity, "creators": self.creators})
        return [{**people.attributed(entry), "application": self.name}
                for entry in history(self, record.id)
                if as_of is None or entry["time"] <= as_of]

    # Distributors.

    @requires(*RUNNERS, action="enrol distributors")
    def enrol(self, actor: Actor, program_id: str, creator_id: str, origin: str,
              recruiter_id: str | None = None) -> dict[str, Any]:
        """A KOC of the brand joins the program (once: enrolling them again answers with
        the same distributor), with the code their orders carry."""
        program = self._program(actor, program_id)
        creator: Creator = self.creators.creator_for(actor, creator_id)
        problems: Problems = {}
        if creator.brand_id != program.brand_id:  # another of the actor's brands
            raise NotFound("No creator with that id.")
        if creator.profile.kind is not CreatorKind.KOC:
            problems["creator_id"] = "distributors are creators of kind KOC"
        elif creator.status is not CreatorStatus.ACTIVE:
            problems["creator_id"] = f"the creator is {creator.status.value}"
        if recruiter_id is not None:
            recruiter = self._distributor(actor, recruiter_id)
            if recruiter.program_id != str(program.id) or not recruiter.in_program:
                problems["recruiter_id"] = "is not a distributor of this program"
        if problems:
            raise InvalidValue(problems)
        code = distributor_code(str(program.id), str(creator.id))
        distributor_id = distributor_id_of(code)  # so that an order's code finds them
        if self.exists(distributor_id):  # enrolled before: the same answer
            return describe_distributor(self._distributor(actor, str(distributor_id)))
        distributor = Distributor.enrol(
            actor=actor.user_id, brand_id=program.brand_id, program_id=str(program.id),
            creator_id=str(creator.id), origin=parse_value(Origin, origin, "origin"),
            recruiter_id=recruiter_id and str(as_uuid(recruiter_id, "distributor")),
            tracking_code=code, joined_on=self.clock.now().date(), id=distributor_id)
        self._save_changes(distributor)
        return describe_distributor(distributor)

    @requires(*READERS, action="read distributors")
    def get_distributor(self, actor: Actor, distributor_id: str, version: int | None = None,
                        as_of: datetime | None = None) -> dict[str, Any]:
        """The distributor now, or as they stood at a version or a moment."""
        return describe_distributor(self._as_it_stood(
            actor, Distributor, distributor_id, "distributor", version, as_of)[0])

    # What the background worker decides from the figures (never by hand).

    def evaluate_distributor(self, distributor_id: str, figures: Figures) -> int:
        """Their level and achievements, from their figures, at the program's current
        rules; each promotion and reward once. How many it made (0 if a rival round
        saved first: the next round sees theirs)."""
        distributor: Distributor = self.repository.get(as_uuid(distributor_id,
                                                               "distributor"))
        program: Program = self.repository.get(as_uuid(distributor.program_id, "program"))
        made = distributor.evaluate(SYSTEM_USER, program.rules, figures, self.clock.now())
        return made if made and self._saved_quietly(distributor) else 0

    def decide_competition(self, program_id: str, month: str,
                           ranked: list[tuple[str, int]]) -> int:
        """The month's winners (ranked best first), once, each given their prize in the
        same save; the rules are those in force at the month's end. How many won."""
        program: Program = self.repository.get(as_uuid(program_id, "program"))
        _, month_end = month_bounds(month)
        rules = program.rules_at(month_end - timedelta(microseconds=1)).rules
        winners = program.decide_competition(SYSTEM_USER, month, ranked, rules)
        if winners is None:
            return 0
        prized = []
        for winner in winners:
            distributor: Distributor = self.repository.get(as_uuid(winner.distributor_id,
                                                                   "distributor"))
            distributor.grant(SYSTEM_USER, Grant(
                f"competition:{month}:{winner.rank}", winner.reward,
                f"Rank {winner.rank} in the {month} sales competition"), self.clock.now())
            prized.append(distributor)
        return len(winners) if self._saved_quietly(program, *prized) else 0

    def assess_distributor(self, distributor_id: str, period: tuple[date, date],
                           figures: Figures) -> bool:
        """An external distributor's period, at the assessment in force at its end;
        True if they were eliminated (and it was saved)."""
        distributor: Distributor = self.repository.get(as_uuid(distributor_id,
                                                               "distributor"))
        program: Program = self.repository.get(as_uuid(distributor.program_id, "program"))
        ended = datetime.combine(period[1], time(), UTC)
        assessment = program.rules_at(ended - timedelta(microseconds=1)).rules.assessment
        if assessment is None or not distributor.assess(SYSTEM_USER, period, figures,
                                                        assessment):
            return False
        return self._saved_quietly(distributor)

    @requires(*RULE_MAKERS, action="disqualify distributors")
    def disqualify(self, actor: Actor, distributor_id: str, reason: str | None,
                   unpaid: int, expected_version: int | None = None) -> dict[str, Any]:
        """For a breach (selling other products to the brand's fans privately): out of the
        program, `unpaid` (what the ledger says they are owed) forfeited."""
        return describe_distributor(self._change(
            actor, Distributor, "distributor", distributor_id, expected_version,
            lambda d: d.disqualify(actor.user_id, reason, max(unpaid, 0))))

    @requires(*RUNNERS, action="suspend distributors")
    def suspend(self, actor: Actor, distributor_id: str, reason: str | None,
                expected_version: int | None = None) -> dict[str, Any]:
        return describe_distributor(self._change(
            actor, Distributor, "distributor", distributor_id, expected_version,
            lambda d: d.suspend(actor.user_id, reason)))

    @requires(*RUNNERS, action="reinstate distributors")
    def reinstate(self, actor: Actor, distributor_id: str, reason: str | None,
                  expected_version: int | None = None) -> dict[str, Any]:
        return describe_distributor(self._change(
            actor, Distributor, "distributor", distributor_id, expected_version,
            lambda d: d.reinstate(actor.user_id, reason)))

    def issue_statements(self, program_id: str, month: str,
                         statements: list[dict[str, Any]]) -> int:
        """The month's statements (as the ledger gives them, the month being over), each
        issued once and kept as stated; how many were new."""
        program: Program = self.repository.get(as_uuid(program_id, "program"))
        new = [Statement.issue(
            actor=SYSTEM_USER, id=statement_id(row["distributor_id"], month),
            brand_id=program.brand_id, program_id=str(program.id),
            distributor_id=row["distributor_id"], month=month,
            currency=program.rules.currency, sales=row["sales"], earned=row["earned"],
            taken_back=row["taken_back"], reward_money=row["reward_money"],
            payable=row["payable"])
            for row in statements if not self.exists(statement_id(row["distributor_id"],
                                                                  month))]
        return len(new) if new and self._saved_quietly(*new) else 0

    @requires(*READERS, action="read distribution statements")
    def get_statement(self, actor: Actor, distributor_id: str, month: str) -> dict[str, Any]:
        """A month's statement as it was issued (once the month was over)."""
        self._distributor(actor, distributor_id)  # another brand's: not found
        statement = self._load_visible(actor, Statement, str(statement_id(distributor_id,
                                                                          month)),
                                       "statement")
        return {"id": str(statement.id), "version": statement.version,
                "issued_at": statement.created_on,
                **{name: getattr(statement, name) for name in STATEMENT_FIGURES}}

    def _saved_quietly(self, *aggregates: Any) -> bool:
        try:
            self._save_changes(*aggregates)
        except ConcurrentChange:
            return False
        return True

    # Orders.

    @requires(*RUNNERS, action="record distributors' orders")
    def record_orders(self, actor: Actor, program_id: str,
                      orders: Sequence[dict[str, Any]]) -> dict[str, Any]:
        """Each order once, by the shop's order id: all the new ones, or none if any is
        bad (every problem by `orders[i].field`). An order names its distributor by id
        or by code, and earns at the rules in force when it was placed."""
        program = self._program(actor, program_id)
        new, problems = self._checked_orders(actor, program, orders)
        if problems:
            raise InvalidValue(problems)
        return self._saved_orders(new, len(orders))

    def _checked_orders(self, actor: Actor, program: Program,
                        orders: Sequence[dict[str, Any]]
                        ) -> tuple[list[AttributedOrder], Problems]:
        """The orders not recorded before, and every problem of the others."""
        if not 0 < len(orders) <= MAX_ORDERS:
            raise InvalidValue({"orders": f"send 1-{MAX_ORDERS} orders at a time"})
        new: list[AttributedOrder] = []
        problems: Problems = {}
        seen: set[str] = set()
        for i, data in enumerate(orders):
            try:
                recorded = self._new_order(actor, program, data)
            except (InvalidValue, NotFound) as error:
                problems |= _prefixed(f"orders[{i}]", error)
                continue
            if recorded is None or str(recorded.id) in seen:
                continue  # recorded before (or twice in this batch): once is enough
            seen.add(str(recorded.id))
            new.append(recorded)
        return new, problems

    def _saved_orders(self, new: list[AttributedOrder], sent: int) -> dict[str, Any]:
        if new:
            self._save_changes(*new)
        return {"orders": sent, "recorded": len(new), "already_recorded": sent - len(new),
                "order_ids": [o.order.order_id for o in new]}

    @requires(*RUNNERS, action="record distributors' orders")
    def import_orders(self, actor: Actor, program_id: str, raw: bytes) -> dict[str, Any]:
        """A shop's export (CSV or XLSX), one row per order line: as record_orders, each
        problem named by its row."""
        program = self._program(actor, program_id)
        orders, problems = orders_of(read_sheet(raw, MAX_ORDERS * 10), program.rules.currency)
        if any(path.startswith("file") for path in problems):
            raise InvalidValue(problems)
        new, checked = self._checked_orders(actor, program, [o.data for o in orders]) \
            if orders else ([], {})
        problems |= row_problems(orders, checked)
        if problems:
            raise InvalidValue(problems)
        return self._saved_orders(new, len(orders))

    def _new_order(self, actor: Actor, program: Program, data: dict[str, Any]
                   ) -> AttributedOrder | None:
        order: Order = parse_checked(Order, {k: v for k, v in data.items()
                                             if k != "distributor"}, "order")
        order_key = order_id(program, order.order_id)
        if self.exists(order_key):
            return None
        seller = self._named_distributor(actor, program, str(data.get("distributor", "")))
        version = program.rules_at(order.placed_at)
        if not program.began <= order.placed_at <= self.clock.now() + CLOCK_SKEW:
            raise InvalidValue({"placed_at": "must be on or after the day the program "
                                             "began, and not in the future"})
        recruiter = self._recruiter(seller)
        return AttributedOrder.record(
            actor=actor.user_id, brand_id=program.brand_id, program_id=str(program.id),
            distributor_id=str(seller.id), order=order,
            lines=commission_lines(order, version.rules, str(seller.id), recruiter),
            rules_version=version.version, id=order_key, recorded_at=self.clock.now())

    def _named_distributor(self, actor: Actor, program: Program, named: str) -> Distributor:
        """By id, or by the code their links carry; in this program and still in it."""
        if not named:
            raise InvalidValue({"distributor": "name the distributor (their id or code)"})
        if named.startswith("koc-"):
            named = str(distributor_id_of(named))
        try:
            seller = self._distributor(actor, named)
        except NotFound as error:
            raise InvalidValue({"distributor": str(error)}) from error
        if seller.program_id != str(program.id):
            raise InvalidValue({"distributor": "is not a distributor of this program"})
        if not seller.in_program:
            raise InvalidValue({"distributor": f"is {seller.status.value}: their orders "
                                               "earn nothing now"})
        return seller

    def _recruiter(self, seller: Distributor) -> str | None:
        """Who earns the second level: the seller's recruiter, while still in the program."""
        if seller.recruiter_id is None:
            return None
        recruiter: Distributor = self.repository.get(as_uuid(seller.recruiter_id,
                                                             "distributor"))
        return seller.recruiter_id if recruiter.in_program else None

    @requires(*RUNNERS, action="record refunds and cancellations")
    def reverse_order(self, actor: Actor, program_id: str, shop_order_id: str, kind: str,
                      lines: Sequence[int] | None = None,
                      reason: str | None = None) -> dict[str, Any]:
        """A refund of some lines (all, unless `lines` names them) or a cancellation:
        the commission they accrued is taken back, once."""
        program = self._program(actor, program_id)
        reversed_kind = parse_value(ReversalKind, kind, "kind")
        order = self._load_visible(actor, AttributedOrder, str(order_id(program,
                                                                        shop_order_id)),
                                   "order")
        changed = order.reverse(actor.user_id, reversed_kind,
                                None if lines is None else tuple(lines), reason,
                                self.clock.now())
        if changed:
            self._save_changes(order)
        return describe_order(order)

    @requires(*READERS, action="read distributors")
    def certificate(self, actor: Actor, distributor_id: str, grant_key: str) -> str:
        """The honour granted under that key, as a printable page (HTML) naming the brand,
        the program, the distributor, why and when, and how to check it against the log."""
        distributor = self._distributor(actor, distributor_id)
        event = next((e for e in self.events.get(distributor.id)
                      if isinstance(e, Distributor.RewardGranted)
                      and e.grant.key == grant_key), None)
        if event is None or event.grant.reward.kind is not RewardKind.CERTIFICATE:
            raise NotFound("No certificate with that key for this distributor.")
        program: Program = self.repository.get(as_uuid(distributor.program_id, "program"))
        creator: Creator = self.creators.find(distributor.creator_id)
        brand = self.identity.repository.get(as_uuid(program.brand_id, "brand"))
        granted = to_primitive(event.grant)
        return CERTIFICATE.render(
            brand=brand.name, program=program.name, honour=event.grant.reward.description,
            name=creator.profile.display_name, why=event.grant.why,
            granted_at=(event.at or event.timestamp).date(), grant_key=grant_key,
            distributor_id=str(distributor.id), version=event.originator_version,
            digest=hashlib.sha256(json.dumps(granted, sort_keys=True).encode()).hexdigest(),
            chinese=any("\u4e00" <= c <= "\u9fff" for c in creator.profile.display_name))

    @requires(*READERS, action="read distributors' orders")
    def get_order(self, actor: Actor, program_id: str, shop_order_id: str) -> dict[str, Any]:
        program = self._program(actor, program_id)
        return describe_order(self._load_visible(actor, AttributedOrder, str(order_id(
            program, shop_order_id)), "order"))

    def _program(self, actor: Actor, program_id: str) -> Program:
        return self._load_visible(actor, Program, program_id, "program")

    def _distributor(self, actor: Actor, distributor_id: str) -> Distributor:
        return self._load_visible(actor, Distributor, distributor_id, "distributor")


def statement_id(distributor_id: str, month: str) -> Any:
    return derived_id("statement", str(as_uuid(distributor_id, "distributor")), month)


def distributor_id_of(code: str) -> Any:
    return derived_id("distributor", code)


def order_id(program: Program, shop_order_id: str) -> Any:
    return derived_id("attributed-order", str(program.id), shop_order_id.strip())


def _prefixed(path: str, error: InvalidValue | NotFound) -> Problems:
    if isinstance(error, InvalidValue):
        return {f"{path}.{field}": message for field, message in error.errors.items()}
    return {path: str(error)}


def describe_program(program: Program) -> dict[str, Any]:
    return {"id": str(program.id), "version": program.version, "brand_id": program.brand_id,
            "name": program.name, "stage": program.stage.value,
            "rules": to_primitive(program.rules),
            "rule_versions": [{"version": v.version, "effective_from": v.effective_from,
                               "rules": to_primitive(v.rules)} for v in program.versions],
            "created_at": program.created_on, "updated_at": program.modified_on}


def describe_distributor(distributor: Distributor) -> dict[str, Any]:
    return {"id": str(distributor.id), "version": distributor.version,
            "brand_id": distributor.brand_id, "program_id": distributor.program_id,
            "creator_id": distributor.creator_id, "origin": distributor.origin.value,
            "recruiter_id": distributor.recruiter_id,
            "tracking_code": distributor.tracking_code, "joined_on": distributor.joined_on,
            "level": distributor.level, "status": distributor.status.value,
            "grants": [to_primitive(g) for g in distributor.grants],
            "forfeited": distributor.forfeited,
            "created_at": distributor.created_on, "updated_at": distributor.modified_on}


def describe_order(order: AttributedOrder) -> dict[str, Any]:
    return {"id": str(order.id), "version": order.version, "brand_id": order.brand_id,
            "program_id": order.program_id, "distributor_id": order.distributor_id,
            "order": to_primitive(order.order), "rules_version": order.rules_version,
            "lines": [to_primitive(line) for line in order.lines],
            "reversed_lines": list(order.reversed_lines),
            "reversals": [to_primitive(line) for line in order.reversals],
            "commission": sum(line.commission for line in order.lines + order.reversals)}

