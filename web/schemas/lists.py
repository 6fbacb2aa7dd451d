"""List requests (filters, sort, cursor) and list responses."""

from marshmallow import Schema, fields, validate

from application.ports.read_models import MAX_LIMIT
from domain.campaign import CampaignStatus
from domain.creator_profile import CreatorKind
from domain.deliverable import DeliverableStatus
from domain.shipment import ShipmentStatus
from domain.vocabulary import DeliverableKind, Platform
from web.schemas.common import COUNT_OR_ZERO, Day, Moment, MoneySchema


class ListQuerySchema(Schema):
    brand_id = fields.UUID(load_default=None)
    cursor = fields.String(load_default=None, validate=validate.Length(max=1000),
                           metadata={"description": "next_cursor of the previous page."})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_LIMIT))
    after_position = fields.String(load_default=None, metadata={
        "description": "A write's X-Log-Position: wait (up to 2 s) until the list includes "
                       "it; if it does not yet, the response has X-Read-Model-Stale: true."})


class ContractListQuerySchema(ListQuerySchema):
    status = fields.String(load_default=None, validate=validate.OneOf(
        ["draft", "sent_for_signature", "active", "completed", "terminated", "cancelled"]))
    creator_id = fields.UUID(load_default=None)
    campaign = fields.String(load_default=None, metadata={
        "description": "The campaign's name, as contracts are labelled."})
    campaign_id = fields.UUID(load_default=None)
    created_from = Moment(load_default=None)
    created_to = Moment(load_default=None)
    sort = fields.String(load_default="-created_at", validate=validate.OneOf(
        ["created_at", "-created_at", "title", "-title"]))


CREATOR_SORTS = [f"{way}{name}" for name in ("created_at", "display_name", "next_follow_up",
                                            "last_worked_with") for way in ("", "-")]


class CreatorListQuerySchema(ListQuerySchema):
    kind = fields.Enum(CreatorKind, by_value=True, load_default=None)
    status = fields.String(load_default=None,
                           validate=validate.OneOf(["active", "paused", "blocked"]))
    platform = fields.Enum(Platform, by_value=True, load_default=None)
    category = fields.String(load_default=None, validate=validate.Length(max=200))
    min_followers = fields.Integer(load_default=None, validate=COUNT_OR_ZERO)
    q = fields.String(load_default=None, validate=validate.Length(max=200),
                      metadata={"description": "Part of the display name."})
    owner_id = fields.UUID(load_default=None, metadata={
        "description": "The colleague who owns the relationship."})
    folder_id = fields.UUID(load_default=None, metadata={"description": "In that folder."})
    price_format = fields.Enum(DeliverableKind, by_value=True, load_default=None, metadata={
        "description": "With a price for this kind of deliverable."})
    price_currency = fields.String(load_default=None, validate=validate.Regexp(r"^[A-Z]{3}$"))
    max_price = fields.Integer(load_default=None, validate=COUNT_OR_ZERO, metadata={
        "description": "Minor units: their price range starts at or below it."})
    min_price = fields.Integer(load_default=None, validate=COUNT_OR_ZERO, metadata={
        "description": "Minor units: their price range reaches it."})
    worked_with = fields.Boolean(load_default=None, metadata={
        "description": "Creators the brand has had a contract in force with."})
    worked_with_since = Moment(load_default=None, metadata={
        "description": "Last worked with (a contract in force) at or after this time."})
    min_on_time_pct = fields.Integer(load_default=None, validate=validate.Range(
        min=0, max=100), metadata={
        "description": "Their published deliverables were on time at least this often."})
    max_followers = fields.Integer(load_default=None, validate=COUNT_OR_ZERO)
    min_engagement_bp = fields.Integer(load_default=None, validate=validate.Range(
        min=0, max=10_000), metadata={"description": "Best engagement rate, basis points."})
    follow_up_by = Day(load_default=None, metadata={
        "description": "Follow-ups due by that day (the latest contact's next follow-up)."})
    sort = fields.String(load_default="-created_at", validate=validate.OneOf(CREATOR_SORTS),
                         metadata={"description": "next_follow_up lists only the creators "
                                   "with a follow-up set; last_worked_with only those the "
                                   "brand has had a contract in force with."})


class CreatorExportQuerySchema(CreatorListQuerySchema):
    class Meta:
        exclude = ("cursor", "limit", "after_position")

    format = fields.String(load_default="csv", validate=validate.OneOf(["csv", "xlsx"]))
    sort = fields.String(load_default="display_name", validate=validate.OneOf(CREATOR_SORTS))


class FollowUpQuerySchema(ListQuerySchema):
    owner_id = fields.UUID(load_default=None, metadata={
        "description": "Whose follow-ups; by default yours."})
    due_by = Day(load_default=None, metadata={"description": "By default today."})


class ActivityQuerySchema(ListQuerySchema):
    aggregate_id = fields.UUID(load_default=None)
    aggregate = fields.String(load_default=None, validate=validate.Length(max=100), metadata={
        "description": "The kind of record, e.g. Contract, Payout, ChainCheck, AuditExport."})
    event = fields.String(load_default=None, validate=validate.Length(max=100))
    actor = fields.String(load_default=None, validate=validate.Length(max=100))
    since = Moment(load_default=None)
    until = Moment(load_default=None)
    sort = fields.String(load_default="-time", validate=validate.OneOf(["time", "-time"]))


class DeliverableListQuerySchema(ListQuerySchema):
    status = fields.String(load_default=None, validate=validate.OneOf(
        [s.value for s in DeliverableStatus]))
    contract_id = fields.UUID(load_default=None)
    overdue = fields.Boolean(load_default=None, metadata={
        "description": "Past the due date and not yet published."})
    due_within_days = fields.Integer(load_default=None, validate=validate.Range(min=0,
                                                                                max=366))
    awaiting_review = fields.Boolean(load_default=None)
    needs_legal = fields.Boolean(load_default=None, metadata={
        "description": "The submission awaiting review failed its compliance check."})
    review_overdue = fields.Boolean(load_default=None, metadata={
        "description": "Awaiting review past the contract's review days."})
    has_proposals = fields.Boolean(load_default=None, metadata={
        "description": "A proposed due-date extension awaits a decision."})
    for_me = fields.Boolean(load_default=None, metadata={
        "description": "What waits on the caller's role: ops reviews compliant submissions "
                       "and decides proposed extensions; legal decides non-compliant ones."})
    sort = fields.String(load_default="due_date", validate=validate.OneOf(
        ["due_date", "-due_date", "created_at", "-created_at"]))


class DeliverableSummarySchema(Schema):
    deliverable_id = fields.String()
    brand_id = fields.String()
    contract_id = fields.String()
    creator_id = fields.String()
    key = fields.String()
    index = fields.Integer(attribute="item")
    kind = fields.String()
    platform = fields.String()
    status = fields.String()
    due_date = fields.String()
    overdue = fields.Boolean()
    review_required = fields.Boolean()
    submissions = fields.Integer()
    needs_legal = fields.Boolean()
    review_due = fields.String(allow_none=True, metadata={
        "description": "When the brand's answer to the latest submission is due."})
    review_overdue = fields.Boolean()
    open_proposals = fields.Integer(metadata={
        "description": "Proposed due-date extensions awaiting a decision."})
    url = fields.String(allow_none=True)
    updated_at = fields.String()
    version = fields.Integer()


class MilestoneSummarySchema(Schema):
    key = fields.String()
    label = fields.String()
    amount = fields.Integer()
    trigger = fields.String()
    due_date = fields.String(allow_none=True)


MONEY = MoneySchema()  # one instance: a schema per row was a third of a list's time


class ContractSummarySchema(Schema):
    contract_id = fields.String()
    brand_id = fields.String()
    creator_id = fields.String()
    creator_name = fields.String(allow_none=True)
    title = fields.String()
    campaign = fields.String(allow_none=True)
    campaign_id = fields.String(allow_none=True)
    status = fields.String()
    fee = fields.Method("fee_of", metadata={"type": "object"})
    terms_version = fields.Integer()
    deliverable_count = fields.Integer()
    deliverables_by_state = fields.Dict(keys=fields.String(), values=fields.Integer())
    next_due_date = fields.String(allow_none=True)
    next_milestone = fields.Nested(MilestoneSummarySchema, allow_none=True)
    created_at = fields.String()
    updated_at = fields.String()
    sent_at = fields.String(allow_none=True)
    active_since = fields.String(allow_none=True)
    closed_at = fields.String(allow_none=True)
    version = fields.Integer()

    def fee_of(self, row: dict) -> dict:  # type: ignore[type-arg]
        return MONEY.dump({"amount": row["fee_amount"], "currency": row["currency"]})


class CooperationSchema(Schema):
    contracts = fields.Integer()
    last_worked_with = fields.String(allow_none=True)
    published = fields.Integer()
    on_time = fields.Integer()
    late = fields.Integer()
    violations = fields.Integer(metadata={"description": "Compliance problems caught."})
    make_goods_breached = fields.Integer(metadata={
        "description": "Make-good rules whose target they missed."})


class CreatorSummarySchema(Schema):
    creator_id = fields.String()
    brand_id = fields.String()
    display_name = fields.String()
    kind = fields.String()
    status = fields.String()
    handles = fields.List(fields.Dict())
    categories = fields.List(fields.String(), attribute="category_list")
    price_ranges = fields.List(fields.Dict())
    total_followers = fields.Integer()
    owner_id = fields.String(allow_none=True)
    next_follow_up = fields.String(allow_none=True)
    last_contact_at = fields.String(allow_none=True)
    cooperation = fields.Nested("CooperationSchema", metadata={
        "description": "Working with them, from the events: contracts, when last, "
                       "deliverables published on time or late, compliance problems."})
    best_engagement_bp = fields.Integer()
    has_payout_account = fields.Boolean()
    created_at = fields.String()
    updated_at = fields.String()
    version = fields.Integer()


class ActivitySchema(Schema):
    brand_id = fields.String()
    event_key = fields.String()
    time = fields.String()
    application = fields.String()
    position = fields.Integer()
    aggregate = fields.String()
    aggregate_id = fields.String()
    event = fields.String()
    actor = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    return Schema.from_dict({"items": fields.List(fields.Nested(item)),
                             "next_cursor": fields.String(allow_none=True)}, name=name)


class CampaignListQuerySchema(ListQuerySchema):
    status = fields.Enum(CampaignStatus, by_value=True, load_default=None)
    open = fields.Boolean(load_default=None, metadata={
        "description": "Planned, running or under review."})
    owner_id = fields.UUID(load_default=None)
    sort = fields.String(load_default="-starts_on", validate=validate.OneOf(
        ["created_at", "-created_at", "starts_on", "-starts_on", "name", "-name"]))


class CampaignSummarySchema(Schema):
    campaign_id = fields.String()
    brand_id = fields.String()
    name = fields.String()
    promise = fields.String()
    status = fields.String()
    owner_id = fields.String()
    starts_on = fields.String()
    ends_on = fields.String()
    budget = fields.List(fields.Nested(MoneySchema))
    target_kol = fields.Integer()
    target_koc = fields.Integer()
    contracts = fields.Integer(metadata={"description": "Contracts in the campaign now."})
    check_ins = fields.Integer()
    last_check_in = fields.String(allow_none=True)
    created_at = fields.String()
    updated_at = fields.String()
    version = fields.Integer()


CampaignPageSchema = page_schema(CampaignSummarySchema, "CampaignPage")


class ShipmentListQuerySchema(ListQuerySchema):
    state = fields.String(load_default=None, validate=validate.OneOf(
        ["in_transit", *[s.value for s in ShipmentStatus]]), metadata={
        "description": "in_transit (dispatched or delayed), or one status."})
    contract_id = fields.UUID(load_default=None)
    creator_id = fields.UUID(load_default=None)
    deliverable_id = fields.UUID(load_default=None)
    late = fields.Boolean(load_default=None, metadata={
        "description": "In transit and past its current ETA."})
    sort = fields.String(load_default="-updated_at", validate=validate.OneOf(
        ["created_at", "-created_at", "updated_at", "-updated_at"]))


class ShipmentSummarySchema(Schema):
    shipment_id = fields.String()
    brand_id = fields.String()
    contract_id = fields.String()
    creator_id = fields.String()
    deliverable_ids = fields.List(fields.String())
    items = fields.Integer(metadata={"description": "Units in all, spares included."})
    status = fields.String()
    carrier = fields.String(allow_none=True)
    tracking_number = fields.String(allow_none=True)
    first_eta = fields.String(allow_none=True)
    eta = fields.String(allow_none=True)
    delays = fields.Integer()
    days_late = fields.Integer(metadata={"description": "Days the ETA moved in all."})
    last_delay_reason = fields.String(allow_none=True)
    delivered_at = fields.String(allow_none=True)
    created_at = fields.String()
    updated_at = fields.String()
    version = fields.Integer()


ContractPageSchema = page_schema(ContractSummarySchema, "ContractPage")
CreatorPageSchema = page_schema(CreatorSummarySchema, "CreatorPage")
ActivityPageSchema = page_schema(ActivitySchema, "ActivityPage")
DeliverablePageSchema = page_schema(DeliverableSummarySchema, "DeliverablePage")
ShipmentPageSchema = page_schema(ShipmentSummarySchema, "ShipmentPage")
