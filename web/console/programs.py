"""KOC distribution programs: the brand's list, and a program's page: its rules (levels,
commissions, competition, assessment), the cohort's stage, the ledger, the month's
standings and the distributors, with the forms ops run it by (move the cohort, enrol a
KOC, import a shop's orders, suspend or reinstate) and legal's disqualification."""

from datetime import UTC, datetime
from typing import Any

from flask import request, url_for
from werkzeug.wrappers.response import Response

from domain.distribution import CohortStage, Origin
from domain.errors import InvalidValue
from web.console import blp, current_actor, page
from web.console.actions import acted, expected_version, field
from web.lists import lists
from web.programs import disqualifications, reports
from web.services import services


@blp.get("/programs")
def programs() -> Response:
    found = lists().programs(current_actor(), filters={}, sort="-created_at", limit=200)
    return page("programs.html", found=found.page)


@blp.get("/programs/<program_id>")
def program(program_id: str, problems: dict[str, str] | None = None,
            imported: dict[str, Any] | None = None, status: int = 200) -> Response:
    actor = current_actor()
    shown = services().distribution.get_program(actor, program_id)
    month = request.args.get("month") or datetime.now(UTC).strftime("%Y-%m")
    try:
        standings = reports().standings(actor, program_id, month)
    except InvalidValue:
        month = datetime.now(UTC).strftime("%Y-%m")
        standings = reports().standings(actor, program_id, month)
    distributors = lists().distributors(actor, filters={"program_id": program_id},
                                        sort="created_at", limit=200).page.items
    kocs = lists().creators(actor, filters={"kind": "KOC", "status": "active"},
                            sort="display_name", limit=200).page.items
    enrolled = {d["creator_id"] for d in distributors}
    stages = [s.value for s in CohortStage]
    return page("program.html", status, program=shown, ledger=reports().ledger(
        actor, program_id), standings=standings, month=month, distributors=distributors,
        statements=reports().statements(actor, program_id, month),
        stage_choices=[(s, s) for s in stages[stages.index(shown["stage"]) + 1:]],
        koc_choices=[(k["creator_id"], k["display_name"]) for k in kocs
                     if k["creator_id"] not in enrolled],
        origin_choices=[(o.value, o.value) for o in Origin],
        recruiter_choices=[("", "nobody"), *((d["distributor_id"], d["tracking_code"])
                                             for d in distributors if d["status"] == "active")],
        problems=problems or {}, imported=imported)


@blp.post("/programs/<program_id>/cohort")
def move_cohort(program_id: str) -> Response:
    return _program_form(program_id, "cohort", "The cohort moved on.", lambda: services(
    ).distribution.move_cohort(current_actor(), program_id, field("stage") or "",
                               field("reason"), expected_version()))


@blp.post("/programs/<program_id>/distributors")
def enrol(program_id: str) -> Response:
    return _program_form(program_id, "enrol", "Enrolled.", lambda: services(
    ).distribution.enrol(current_actor(), program_id, field("creator_id") or "",
                         field("origin") or "", field("recruiter_id")))


@blp.post("/programs/<program_id>/orders")
def import_orders(program_id: str) -> Response:
    """The shop's export: recorded (every new order, once) or refused with each row's
    problem, shown on the page at once."""
    upload = request.files.get("file")
    raw = upload.read() if upload is not None and upload.filename else b""
    try:
        if not raw:
            raise InvalidValue({"file": "choose a CSV or XLSX file"})
        done = services().distribution.import_orders(current_actor(), program_id, raw)
    except InvalidValue as error:
        return program(program_id, problems=error.errors, status=422)
    return program(program_id, imported=done)


@blp.post("/programs/distributors/<distributor_id>/<any(suspend, reinstate):move>")
def move_distributor(distributor_id: str, move: str) -> Response:
    shown = services().distribution.get_distributor(current_actor(), distributor_id)
    command = getattr(services().distribution, move)
    return _program_form(shown["program_id"], f"{move}-{distributor_id}",
                         "Suspended." if move == "suspend" else "Reinstated.",
                         lambda: command(current_actor(), distributor_id, field("reason"),
                                         expected_version()))


@blp.post("/programs/distributors/<distributor_id>/disqualify")
def disqualify(distributor_id: str) -> Response:
    shown = services().distribution.get_distributor(current_actor(), distributor_id)
    return _program_form(shown["program_id"], f"disqualify-{distributor_id}",
                         "Disqualified: what they were owed is forfeited.",
                         lambda: disqualifications().disqualify(
                             current_actor(), distributor_id, field("reason"),
                             expected_version()))


@blp.get("/programs/distributors/<distributor_id>/certificates/<path:grant_key>")
def certificate(distributor_id: str, grant_key: str) -> Response:
    """The honour as its printable page."""
    shown = services().distribution.certificate(current_actor(), distributor_id, grant_key)
    return Response(shown, mimetype="text/html")


def _program_form(program_id: str, form: str, message: str, do: Any) -> Response:
    return acted(form, do, url_for("console.program", program_id=program_id), message,
                 record=program_id)
