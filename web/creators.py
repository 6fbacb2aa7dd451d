"""/api/v1/creators: the creators a brand works with."""

from typing import Any

from flask import Response
from flask.views import MethodView

from application.common.spreadsheets import CSV, MEDIA_TYPES, XLSX
from web.auth import allowed, current_actor
from web.blueprint import Blueprint
from web.command_routes import add_commands
from web.idempotency import request_key
from web.lists import listed, lists
from web.schemas.common import CommandSchema, ReasonRequiredSchema
from web.schemas.creators import (
    ContactLogSchema,
    CooperationRecordSchema,
    CreatorCreateSchema,
    CreatorImportErrorsQuerySchema,
    CreatorImportQuerySchema,
    CreatorImportReportSchema,
    CreatorSchema,
    CreatorUpdateSchema,
    HandOverAllSchema,
    HandOverResultSchema,
    NoteSchema,
    OwnerSchema,
)
from web.schemas.lists import (
    CreatorExportQuerySchema,
    CreatorListQuerySchema,
    CreatorPageSchema,
    FollowUpQuerySchema,
)
from web.schemas.payouts import PayoutAccountRequestSchema, PayoutAccountSchema
from web.services import reading, services
from web.uploads import file_body, uploaded_file
from web.versions import expected_version, versioned

blp = Blueprint("creators", __name__, url_prefix="/api/v1/creators",
                description="KOL and KOC creators: profiles, reach, prices and status (ops).")


@blp.route("")
class Creators(MethodView):
    @blp.arguments(CreatorListQuerySchema, location="query")
    @blp.response(200, CreatorPageSchema)
    def get(self, query: dict[str, Any]) -> Any:
        """List creators (creators directory read model)"""
        return listed(lists().creators, query)

    @allowed(lambda: services().creators.register_creator)
    @blp.arguments(CreatorCreateSchema)
    @blp.response(201, CreatorSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Register a creator"""
        brand_id = body.pop("brand_id", None)
        view = services().creators.register_creator(
            current_actor(), body, brand_id=brand_id and str(brand_id), request_key=request_key())
        return versioned(view, 201, {"Location": f"/api/v1/creators/{view['id']}"})


@blp.route("/<creator_id>")
class CreatorResource(MethodView):
    @blp.response(200, CreatorSchema)
    def get(self, creator_id: str) -> Any:
        """Read a creator"""
        return versioned(services().creators.get_creator(current_actor(), creator_id))

    @allowed(lambda: services().creators.update_profile)
    @blp.arguments(CreatorUpdateSchema)
    @blp.response(200, CreatorSchema)
    def patch(self, body: dict[str, Any], creator_id: str) -> Any:
        """Update a creator's profile (only the fields given)"""
        version = expected_version(body)
        reason = body.pop("reason", None)
        return versioned(services().creators.update_profile(
            current_actor(), creator_id, body, expected_version=version, reason=reason))


@blp.route("/follow-ups")
@blp.arguments(FollowUpQuerySchema, location="query")
@blp.response(200, CreatorPageSchema)
def follow_ups(query: dict[str, Any]) -> Any:
    """Follow-ups due by a day (today unless said): the creators someone (you unless
    said) owns whose latest contact said to be in touch by then, soonest first"""
    owner = query.pop("owner_id") or current_actor().user_id
    due_by = query.pop("due_by") or services().creators.clock.now().date()
    return listed(lists().creators, {**query, "owner_id": owner, "follow_up_by": due_by,
                                     "sort": "next_follow_up"})


@blp.route("/hand-over", methods=["POST"])
@allowed(lambda: handovers().hand_over_all)
@blp.arguments(HandOverAllSchema)
@blp.response(200, HandOverResultSchema)
def hand_over_all(body: dict[str, Any]) -> Any:
    """Someone leaves: every creator they own moves to a colleague, each with the reason"""
    return handovers().hand_over_all(current_actor(), str(body["from_user_id"]),
                                     str(body["to_user_id"]), body["reason"])


def handovers() -> Any:
    return reading("handovers", "Handovers")


@blp.route("/imports", methods=["POST"])
@allowed(lambda: imports().import_sheet)
@blp.arguments(CreatorImportQuerySchema, location="query")
@blp.response(201, CreatorImportReportSchema)
@blp.alt_response(200, schema=CreatorImportReportSchema, description="A dry run's report")
@blp.doc(requestBody=file_body("text/csv", MEDIA_TYPES[XLSX]))
def import_creators(query: dict[str, Any]) -> Any:
    """Import creators from a spreadsheet (CSV or XLSX), one row per platform handle: a
    handle the brand has updates that creator, any other adds one. With dry_run, only
    what would happen; else every row or none, or (rows=valid) the good rows only"""
    brand_id = query["brand_id"] and str(query["brand_id"])
    if query["dry_run"]:
        return imports().check(current_actor(), uploaded_file(), brand_id), 200
    return imports().import_sheet(current_actor(), uploaded_file(),
                                  valid_rows_only=query["rows"] == "valid",
                                  brand_id=brand_id), 201


@blp.route("/imports/problems", methods=["POST"])
@allowed(lambda: imports().error_file)
@blp.arguments(CreatorImportErrorsQuerySchema, location="query")
@blp.doc(requestBody=file_body("text/csv", MEDIA_TYPES[XLSX]), responses={200: {
    "description": "The refused rows as the file had them, with a problems column, in the "
                   "file's own format", "content": {MEDIA_TYPES[CSV]: {}, MEDIA_TYPES[XLSX]: {}}}})
def import_problems(query: dict[str, Any]) -> Any:
    """The error file of a spreadsheet: its refused rows and why, to fix and send again"""
    format, content = imports().error_file(current_actor(), uploaded_file(),
                                           query["brand_id"] and str(query["brand_id"]))
    return spreadsheet(content, format, "creators-problems")


@blp.route("/export")
@blp.arguments(CreatorExportQuerySchema, location="query")
@blp.doc(responses={200: {"description": "One row per platform handle, in the columns an "
                                         "import reads (contact details are not exported)",
                          "content": {MEDIA_TYPES[CSV]: {}, MEDIA_TYPES[XLSX]: {}}}})
def export_creators(query: dict[str, Any]) -> Any:
    """Export the creators a filter finds (the list's filters) as CSV or XLSX"""
    format, sort = query.pop("format"), query.pop("sort")
    filters = {k: (str(v) if k.endswith("_id") and v is not None else v)
               for k, v in query.items()}
    return spreadsheet(imports().export(current_actor(), filters, sort, format), format,
                       "creators")


def spreadsheet(content: bytes, format: str, name: str) -> Response:
    return Response(content, mimetype=MEDIA_TYPES[format].split(";")[0], headers={
        "Content-Disposition": f'attachment; filename="{name}.{format}"',
        "Cache-Control": "no-store"})


def imports() -> Any:
    return reading("creator_imports", "Spreadsheet imports and exports")


@blp.route("/<creator_id>/cooperation")
@blp.response(200, CooperationRecordSchema)
def cooperation(creator_id: str) -> Any:
    """The cooperation record: contracts with their campaigns, deliverables on time and
    late, compliance problems, make-goods missed, money per currency, cost per result"""
    return cooperation_records().cooperation(current_actor(), creator_id)


def cooperation_records() -> Any:
    return reading("cooperation", "Cooperation records")


@blp.route("/<creator_id>/notes", methods=["POST"])
@allowed(lambda: services().creators.add_note)
@blp.arguments(NoteSchema)
@blp.response(200, CreatorSchema)
def add_note(body: dict[str, Any], creator_id: str) -> Any:
    """Keep a note on the relationship (personal data: sealed, erased on request)"""
    return versioned(services().creators.add_note(current_actor(), creator_id, body["text"],
                                                  expected_version(body)))


@blp.route("/<creator_id>/contacts", methods=["POST"])
@allowed(lambda: services().creators.log_contact)
@blp.arguments(ContactLogSchema)
@blp.response(200, CreatorSchema)
def log_contact(body: dict[str, Any], creator_id: str) -> Any:
    """Log a contact: channel, when, what was said, when to follow up"""
    version = expected_version(body)
    contact = {k: (v.value if k == "channel" else v) for k, v in body.items() if v is not None}
    return versioned(services().creators.log_contact(current_actor(), creator_id, contact,
                                                     version))


@blp.route("/<creator_id>/owner", methods=["POST"])
@allowed(lambda: services().creators.assign_owner)
@blp.arguments(OwnerSchema)
@blp.response(200, CreatorSchema)
def assign_owner(body: dict[str, Any], creator_id: str) -> Any:
    """Give the relationship to a colleague; from another owner it is a handover (reason)"""
    return versioned(services().creators.assign_owner(
        current_actor(), creator_id, str(body["owner_id"]), body["reason"],
        expected_version(body)))


add_commands(blp, "creator_id", lambda: services().creators, CreatorSchema, {
    "pause": ("pause", CommandSchema, "Pause a creator: no new contracts until reactivated"),
    "block": ("block", ReasonRequiredSchema, "Block a creator (reason required)"),
    "reactivate": ("reactivate", CommandSchema, "Reactivate a paused or blocked creator"),
    "erase-personal-data": ("erase_personal_data", ReasonRequiredSchema,
                            "Erase the creator's personal data on request (PIPL/GDPR): "
                            "contact details and shipping addresses become unreadable "
                            "everywhere, old events included (legal; reason required)"),
})


@blp.route("/<creator_id>/payout-account", methods=["POST"])
@allowed(lambda: services().payouts.open_payout_account)
@blp.arguments(PayoutAccountRequestSchema)
@blp.response(200, PayoutAccountSchema)
def open_payout_account(body: dict[str, Any], creator_id: str) -> Any:
    """Open the creator's Stripe Express account (once) and get a fresh onboarding link"""
    return services().payouts.open_payout_account(
        current_actor(), creator_id, body["country"], body["email"], body["refresh_url"],
        body["return_url"])
