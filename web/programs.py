"""/api/v1/programs: KOC distribution programs — rules (legal), the cohort, distributors
and their attributed orders (ops), the ledger and the month's standings (readers)."""

from typing import Any

from flask import Response
from flask.views import MethodView

from application.common.spreadsheets import MEDIA_TYPES, XLSX
from web.auth import allowed, current_actor
from web.blueprint import Blueprint
from web.idempotency import request_key
from web.lists import listed, lists
from web.schemas.common import ReasonRequiredSchema
from web.schemas.programs import (
    AsItStoodQuerySchema,
    AttributedOrderSchema,
    CohortSchema,
    DistributorListQuerySchema,
    DistributorPageSchema,
    DistributorSchema,
    EnrolSchema,
    IssuedStatementSchema,
    LedgerSchema,
    OrdersResultSchema,
    OrdersSchema,
    ProgramCreateSchema,
    ProgramListQuerySchema,
    ProgramPageSchema,
    ProgramSchema,
    RecordHistorySchema,
    ReversalSchema,
    RulesRevisionSchema,
    StandingsQuerySchema,
    StandingsSchema,
    StatementsQuerySchema,
    StatementsSchema,
    TrailQuerySchema,
)
from web.services import reading, services
from web.uploads import file_body, uploaded_file
from web.versions import expected_version, versioned

blp = Blueprint("programs", __name__, url_prefix="/api/v1/programs",
                description="KOC distribution programs: commissions, levels, rewards, "
                            "orders and the ledger.")


def distribution() -> Any:
    return services().distribution


def reports() -> Any:
    return reading("program_reports", "Program ledgers")


@blp.route("")
class Programs(MethodView):
    @blp.arguments(ProgramListQuerySchema, location="query")
    @blp.response(200, ProgramPageSchema)
    def get(self, query: dict[str, Any]) -> Any:
        """The brand's programs (read model)"""
        return listed(lists().programs, query)

    @allowed(lambda: distribution().create_program)
    @blp.arguments(ProgramCreateSchema)
    @blp.response(201, ProgramSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Set up a program and its rules (legal)"""
        view = distribution().create_program(
            current_actor(), body["name"], body["rules"],
            brand_id=body["brand_id"] and str(body["brand_id"]), began_on=body["began_on"],
            request_key=request_key())
        return versioned(view, 201, {"Location": f"/api/v1/programs/{view['id']}"})


@blp.route("/<program_id>")
@blp.arguments(AsItStoodQuerySchema, location="query")
@blp.response(200, ProgramSchema)
def get_program(query: dict[str, Any], program_id: str) -> Any:
    """Read a program (now, at a version, or as it stood at a moment): its rules, every
    version of them, its cohort's stage"""
    return versioned(distribution().get_program(current_actor(), program_id,
                                                query["version"], query["as_of"]))


@blp.route("/<program_id>/history")
@blp.arguments(TrailQuerySchema, location="query")
@blp.response(200, RecordHistorySchema)
def program_history(query: dict[str, Any], program_id: str) -> Any:
    """The program's events: rules set and revised, the cohort moved, competitions
    decided — when, who in which role, why and what changed"""
    return trail(program_id, query["as_of"])


@blp.route("/distributors/<distributor_id>/history")
@blp.arguments(TrailQuerySchema, location="query")
@blp.response(200, RecordHistorySchema)
def distributor_history(query: dict[str, Any], distributor_id: str) -> Any:
    """The distributor's events: enrolled, promoted, rewarded, suspended, eliminated or
    disqualified — when, who in which role, why and what changed"""
    return trail(distributor_id, query["as_of"])


@blp.route("/distributors/<distributor_id>/certificates/<path:grant_key>")
@blp.doc(responses={200: {"description": "A printable page (HTML): the honour, who, why, "
                                         "when, and how to check it against the log",
                          "content": {"text/html": {}}}})
def certificate(distributor_id: str, grant_key: str) -> Any:
    """An honour granted (a certificate reward) as a document to download or print"""
    page = distribution().certificate(current_actor(), distributor_id, grant_key)
    name = grant_key.replace(":", "-")
    return Response(page, mimetype="text/html", headers={
        "Content-Disposition": f'inline; filename="certificate-{name}.html"'})


@blp.route("/distributors/<distributor_id>/statements/<month>")
@blp.response(200, IssuedStatementSchema)
def issued_statement(distributor_id: str, month: str) -> Any:
    """A month's statement as the worker issued it once the month was over (404 before)"""
    return versioned(distribution().get_statement(current_actor(), distributor_id, month))


def trail(record_id: str, as_of: Any) -> dict[str, Any]:
    return {"record_id": record_id, "as_of": as_of,
            "events": distribution().history_of(current_actor(), record_id, as_of)}


@blp.route("/<program_id>/rules", methods=["POST"])
@allowed(lambda: distribution().revise_rules)
@blp.arguments(RulesRevisionSchema)
@blp.response(200, ProgramSchema)
def revise_rules(body: dict[str, Any], program_id: str) -> Any:
    """Revise the rules from a moment on (legal; reason): orders placed before keep the
    rates of their time"""
    version = expected_version(body)
    return versioned(distribution().revise_rules(
        current_actor(), program_id, body["rules"], body["effective_from"], body["reason"],
        version))


@blp.route("/<program_id>/cohort", methods=["POST"])
@allowed(lambda: distribution().move_cohort)
@blp.arguments(CohortSchema)
@blp.response(200, ProgramSchema)
def move_cohort(body: dict[str, Any], program_id: str) -> Any:
    """Move the cohort on: recruiting, training, trained, ended (ops; forward only)"""
    version = expected_version(body)
    return versioned(distribution().move_cohort(current_actor(), program_id,
                                                body["stage"].value, body["reason"], version))


@blp.route("/<program_id>/distributors")
class Distributors(MethodView):
    @blp.arguments(DistributorListQuerySchema, location="query")
    @blp.response(200, DistributorPageSchema)
    def get(self, query: dict[str, Any], program_id: str) -> Any:
        """The program's distributors (read model)"""
        distribution().get_program(current_actor(), program_id)  # another brand's: 404
        return listed(lists().distributors, {**query, "program_id": program_id})

    @allowed(lambda: distribution().enrol)
    @blp.arguments(EnrolSchema)
    @blp.response(201, DistributorSchema)
    def post(self, body: dict[str, Any], program_id: str) -> Any:
        """Enrol a KOC of the brand (ops; once: again, the same distributor)"""
        view = distribution().enrol(current_actor(), program_id, str(body["creator_id"]),
                                    body["origin"].value,
                                    body["recruiter_id"] and str(body["recruiter_id"]))
        return versioned(view, 201)


@blp.route("/distributors/<distributor_id>")
@blp.arguments(AsItStoodQuerySchema, location="query")
@blp.response(200, DistributorSchema)
def get_distributor(query: dict[str, Any], distributor_id: str) -> Any:
    """Read a distributor (now, at a version, or as they stood at a moment): level,
    status, rewards granted"""
    return versioned(distribution().get_distributor(current_actor(), distributor_id,
                                                    query["version"], query["as_of"]))


@blp.route("/distributors/<distributor_id>/<any(suspend, reinstate):move>", methods=["POST"])
@allowed(lambda: distribution().suspend)
@blp.arguments(ReasonRequiredSchema)
@blp.response(200, DistributorSchema)
def suspend_or_reinstate(body: dict[str, Any], distributor_id: str, move: str) -> Any:
    """Suspend a distributor, or reinstate a suspended one (ops; reason)"""
    version = expected_version(body)
    return versioned(getattr(distribution(), move)(current_actor(), distributor_id,
                                                   body["reason"], version))


@blp.route("/distributors/<distributor_id>/disqualify", methods=["POST"])
@allowed(lambda: disqualifications().disqualify)
@blp.arguments(ReasonRequiredSchema)
@blp.response(200, DistributorSchema)
def disqualify(body: dict[str, Any], distributor_id: str) -> Any:
    """Disqualify a distributor for a breach (legal; reason): out of the program, and
    what they were owed and not paid is forfeited"""
    version = expected_version(body)
    return versioned(disqualifications().disqualify(current_actor(), distributor_id,
                                                    body["reason"], version))


def disqualifications() -> Any:
    return reading("disqualifications", "Disqualifications")


@blp.route("/<program_id>/orders", methods=["POST"])
@allowed(lambda: distribution().record_orders)
@blp.arguments(OrdersSchema)
@blp.response(200, OrdersResultSchema)
def record_orders(body: dict[str, Any], program_id: str) -> Any:
    """Record attributed orders (ops): each once by its order id; every new one, or none
    (422 naming each problem)"""
    return distribution().record_orders(current_actor(), program_id, body["orders"])


@blp.route("/<program_id>/orders/import", methods=["POST"])
@allowed(lambda: distribution().import_orders)
@blp.response(200, OrdersResultSchema)
@blp.doc(requestBody=file_body("text/csv", MEDIA_TYPES[XLSX]))
def import_orders(program_id: str) -> Any:
    """Import a shop's export of attributed orders (CSV or XLSX, a row per order line):
    each order once; every new one, or none (422 naming each problem by its row)"""
    return distribution().import_orders(current_actor(), program_id, uploaded_file())


@blp.route("/<program_id>/orders/<path:order_id>")
@blp.response(200, AttributedOrderSchema)
def get_order(program_id: str, order_id: str) -> Any:
    """Read an attributed order and its commission lines"""
    return versioned(distribution().get_order(current_actor(), program_id, order_id))


@blp.route("/<program_id>/orders/<path:order_id>/reversal", methods=["POST"])
@allowed(lambda: distribution().reverse_order)
@blp.arguments(ReversalSchema)
@blp.response(200, AttributedOrderSchema)
def reverse_order(body: dict[str, Any], program_id: str, order_id: str) -> Any:
    """Refund some lines (all by default) or cancel the order: its commission is taken
    back, once"""
    return versioned(distribution().reverse_order(current_actor(), program_id, order_id,
                                                  body["kind"], body["lines"],
                                                  body["reason"]))


@blp.route("/<program_id>/ledger")
@blp.response(200, LedgerSchema)
def ledger(program_id: str) -> Any:
    """The program's ledger: sales, commission accrued, reversed, forfeited, owed"""
    return reports().ledger(current_actor(), program_id)


@blp.route("/<program_id>/statements")
@blp.arguments(StatementsQuerySchema, location="query")
@blp.response(200, StatementsSchema)
def statements(query: dict[str, Any], program_id: str) -> Any:
    """The month's statement of each distributor (or one's): sales, commission, refunds,
    rewards and what is payable (read model)"""
    distributor = query["distributor_id"] and str(query["distributor_id"])
    return reports().statements(current_actor(), program_id, query["month"], distributor)


@blp.route("/<program_id>/standings")
@blp.arguments(StandingsQuerySchema, location="query")
@blp.response(200, StandingsSchema)
def standings(query: dict[str, Any], program_id: str) -> Any:
    """The month's competition standings (read model)"""
    return reports().standings(current_actor(), program_id, query["month"])
