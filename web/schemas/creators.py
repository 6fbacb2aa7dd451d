"""Creator requests and responses."""

from marshmallow import Schema, fields, validate

from domain.creator_profile import CreatorKind
from domain.relationship import MAX_NOTE, Channel
from domain.vocabulary import DeliverableKind, Platform
from web.schemas.common import (
    AMOUNT,
    COUNT_OR_ZERO,
    CommandSchema,
    Day,
    Moment,
    ReasonRequiredSchema,
    RecordSchema,
    VersionedSchema,
)

NAME = validate.Length(min=1, max=200)


class HandleSchema(Schema):
    platform = fields.Enum(Platform, by_value=True, required=True)
    handle = fields.String(required=True, validate=NAME)
    followers = fields.Integer(load_default=0, strict=True, validate=COUNT_OR_ZERO)
    engagement_rate_bp = fields.Integer(load_default=0, strict=True,
                                        validate=validate.Range(min=0, max=10_000),
                                        metadata={"description": "Basis points: 325 = 3.25%."})


class PriceRangeSchema(Schema):
    format = fields.Enum(DeliverableKind, by_value=True, required=True)
    currency = fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{3}$"))
    min_amount = fields.Integer(required=True, strict=True, validate=AMOUNT)
    max_amount = fields.Integer(required=True, strict=True, validate=AMOUNT)


class ContactSchema(Schema):
    email = fields.String(load_default=None, validate=validate.Length(max=320))
    phone = fields.String(load_default=None, validate=validate.Length(max=40))
    wechat_id = fields.String(load_default=None, validate=validate.Length(max=100))
    erased = fields.Boolean(dump_only=True, metadata={
        "description": "The creator's personal data was erased on request: nothing to show."})


class ProfileFields(Schema):
    display_name = fields.String(validate=NAME)
    kind = fields.Enum(CreatorKind, by_value=True)
    handles = fields.List(fields.Nested(HandleSchema), validate=validate.Length(max=50))
    categories = fields.List(fields.String(validate=NAME), validate=validate.Length(max=50))
    price_ranges = fields.List(fields.Nested(PriceRangeSchema), validate=validate.Length(max=50))
    contact = fields.Nested(ContactSchema)
    payout_account = fields.String(allow_none=True, metadata={
        "description": "Stripe connected account id (acct_…)."})


class CreatorSchema(RecordSchema, ProfileFields):
    status = fields.String(dump_only=True)
    payout_account_ready = fields.Boolean(dump_only=True, metadata={
        "description": "Stripe says the account can receive transfers."})
    payout_requirements = fields.List(fields.String(), dump_only=True, metadata={
        "description": "What Stripe still needs from the creator."})
    personal_data_erased = fields.Boolean(dump_only=True, metadata={
        "description": "Contact details and shipping addresses were erased on request."})
    owner_id = fields.String(dump_only=True, allow_none=True, metadata={
        "description": "The colleague who owns the relationship."})
    next_follow_up = Day(dump_only=True, allow_none=True)
    notes = fields.List(fields.Nested("NoteShownSchema"), dump_only=True)
    contacts = fields.List(fields.Nested("ContactShownSchema"), dump_only=True)


class NoteSchema(VersionedSchema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=MAX_NOTE))


class ContactLogSchema(VersionedSchema):
    channel = fields.Enum(Channel, by_value=True, required=True)
    at = Moment(load_default=None, metadata={"description": "When; by default now."})
    summary = fields.String(required=True, validate=validate.Length(min=1, max=MAX_NOTE))
    next_follow_up = Day(load_default=None, metadata={
        "description": "When to be in touch again; none clears the follow-up."})


class OwnerSchema(CommandSchema):
    owner_id = fields.UUID(required=True, metadata={
        "description": "A colleague (ops or legal); the reason is required to move a creator "
                       "from another owner."})


class HandOverAllSchema(ReasonRequiredSchema):
    from_user_id = fields.UUID(required=True, metadata={"description": "Who is leaving."})
    to_user_id = fields.UUID(required=True)


class NoteShownSchema(Schema):
    by = fields.String()
    at = Moment()
    text = fields.String()
    erased = fields.Boolean(metadata={"description": "Erased on the creator's request."})


class ContactShownSchema(Schema):
    by = fields.String(metadata={"description": "The colleague who was in touch."})
    channel = fields.String()
    at = Moment()
    summary = fields.String()
    erased = fields.Boolean()
    next_follow_up = Day(allow_none=True)


class CreatorCreateSchema(ProfileFields):
    brand_id = fields.UUID(load_default=None)
    display_name = fields.String(required=True, validate=NAME)
    kind = fields.Enum(CreatorKind, by_value=True, required=True)


class CreatorUpdateSchema(ProfileFields, CommandSchema):
    """Only the fields given change."""


class HandOverResultSchema(Schema):
    moved = fields.Integer()
    creator_ids = fields.List(fields.String())


class CreatorImportQuerySchema(Schema):
    brand_id = fields.UUID(load_default=None, metadata={
        "description": "The brand the creators belong to (if you belong to several)."})
    dry_run = fields.Boolean(load_default=False, metadata={
        "description": "Only say what the import would do, row by row; write nothing."})
    rows = fields.String(load_default="all", validate=validate.OneOf(["all", "valid"]),
                         metadata={"description": "all: every row or none (422 with each "
                                   "row's problems); valid: the good rows, not the others."})


class ImportedRowSchema(Schema):
    line = fields.Integer(metadata={"description": "In the file; the header is line 1."})
    platform = fields.String()
    handle = fields.String()
    action = fields.String(metadata={"description": "create, update, unchanged or refused"})
    creator_id = fields.String(allow_none=True)
    problems = fields.Dict(keys=fields.String(), values=fields.String())


class CreatorImportReportSchema(Schema):
    format = fields.String(metadata={"description": "csv or xlsx"})
    rows = fields.Integer()
    create = fields.Integer()
    update = fields.Integer()
    unchanged = fields.Integer()
    refused = fields.Integer()
    written = fields.Boolean(metadata={"description": "False for a dry run."})
    items = fields.List(fields.Nested(ImportedRowSchema))


class CreatorImportErrorsQuerySchema(Schema):
    brand_id = fields.UUID(load_default=None)


class CooperationContractSchema(Schema):
    contract_id = fields.String()
    title = fields.String()
    status = fields.String()
    campaign = fields.String(allow_none=True)
    campaign_id = fields.String(allow_none=True)


class CooperationMoneySchema(Schema):
    committed = fields.Integer(metadata={"description": "Minor units: every payout not "
                                                        "waived."})
    paid = fields.Integer()
    held = fields.Integer()


class CooperationCostSchema(Schema):
    currency = fields.String()
    cost = fields.Integer(metadata={"description": "Minor units."})
    engaged_views = fields.Integer()
    follows = fields.Integer()
    orders = fields.Integer()
    cost_per_engaged_view = fields.String(allow_none=True, metadata={
        "description": "In the currency's major units; none before any result."})
    cost_per_follower = fields.String(allow_none=True)
    cost_per_order = fields.String(allow_none=True)


class CooperationRecordSchema(Schema):
    creator_id = fields.String()
    contracts = fields.Integer(metadata={"description": "Contracts in force at some time."})
    last_worked_with = fields.String(allow_none=True)
    published = fields.Integer()
    on_time = fields.Integer()
    late = fields.Integer()
    on_time_pct = fields.Integer(allow_none=True)
    violations = fields.Integer(metadata={"description": "Compliance problems caught."})
    make_goods_breached = fields.Integer()
    contract_list = fields.List(fields.Nested(CooperationContractSchema), metadata={
        "description": "Every contract drafted with them, newest first, with its campaign."})
    money = fields.Dict(keys=fields.String(), values=fields.Nested(CooperationMoneySchema),
                        metadata={"description": "Per currency."})
    cost_lens = fields.List(fields.Nested(CooperationCostSchema), metadata={
        "description": "Per currency: what their results cost."})
