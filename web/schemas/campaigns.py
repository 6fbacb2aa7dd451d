"""Campaigns: the brief, the four-week plan, check-ins, reviews and requirements."""

from marshmallow import Schema, fields, validate

from domain.campaign_plan import MAX_CREATORS, MAX_ITEMS, MAX_TEXT, WEEKS, GoalState
from web.schemas.common import (
    CommandSchema,
    Day,
    Moment,
    MoneySchema,
    ReasonRequiredSchema,
    RecordSchema,
    VersionedSchema,
)
from web.schemas.contracts import HistoryEntrySchema
from web.schemas.metrics import CostLensRowSchema

NAME = validate.Length(min=1, max=200)
TEXT = validate.Length(min=1, max=MAX_TEXT)
ITEMS = validate.Length(max=MAX_ITEMS)
WEEK = validate.Range(min=1, max=WEEKS)


def texts(**kwargs: object) -> fields.List:
    return fields.List(fields.String(validate=TEXT), validate=ITEMS, load_default=list,
                       **kwargs)  # type: ignore[arg-type]


class CreatorMixSchema(Schema):
    kol = fields.Integer(load_default=0, strict=True,
                         validate=validate.Range(min=0, max=MAX_CREATORS))
    koc = fields.Integer(load_default=0, strict=True,
                         validate=validate.Range(min=0, max=MAX_CREATORS))


class BriefSchema(Schema):
    name = fields.String(required=True, validate=NAME)
    promise = fields.String(required=True, validate=validate.Length(min=1, max=300), metadata={
        "description": "The one sentence the campaign says to its audience."})
    angle = fields.String(load_default="", validate=validate.Length(max=MAX_TEXT))
    call_to_action = fields.String(load_default="", validate=validate.Length(max=MAX_TEXT))
    mix = fields.Nested(CreatorMixSchema, load_default=lambda: {"kol": 0, "koc": 0},
                        metadata={"description": "How many KOLs and KOCs it aims to sign."})
    budget = fields.List(fields.Nested(MoneySchema), validate=validate.Length(max=20),
                         load_default=list, metadata={"description": "One amount per currency."})
    starts_on = Day(required=True)
    ends_on = Day(required=True)


class GoalSchema(Schema):
    key = fields.String(required=True, validate=validate.Length(min=1, max=40))
    text = fields.String(required=True, validate=TEXT)


class KeyDateSchema(Schema):
    label = fields.String(required=True, validate=NAME)
    on = Day(required=True)


class PlanWeekSchema(Schema):
    number = fields.Integer(required=True, strict=True, validate=WEEK)
    theme = fields.String(required=True, validate=NAME)
    goals = fields.List(fields.Nested(GoalSchema), validate=ITEMS, load_default=list)
    key_dates = fields.List(fields.Nested(KeyDateSchema), validate=ITEMS, load_default=list)


class GoalProgressSchema(Schema):
    goal_key = fields.String(required=True, validate=validate.Length(min=1, max=40))
    state = fields.Enum(GoalState, by_value=True, required=True)
    note = fields.String(load_default="", validate=validate.Length(max=MAX_TEXT))


class CheckInSchema(Schema):
    week = fields.Integer(required=True, strict=True, validate=WEEK)
    progress = fields.List(fields.Nested(GoalProgressSchema), validate=ITEMS, required=True,
                           metadata={"description": "How each of the week's goals stands."})
    adjustments = fields.String(load_default="", validate=validate.Length(max=MAX_TEXT))
    risks = texts()


class CheckedInSchema(Schema):
    by = fields.String(metadata={"description": "The user who checked in."})
    at = Moment()
    check_in = fields.Nested(CheckInSchema)


class MidTermReviewSchema(Schema):
    summary = fields.String(required=True, validate=TEXT)
    decisions = texts()


class CreatorRequirementsSchema(Schema):
    creator_id = fields.String(required=True, validate=validate.Length(min=1, max=40))
    ideas = texts(metadata={"description": "What the creator wants to bring."})
    requirements = texts(metadata={"description": "What they need from the brand."})


class CampaignSchema(RecordSchema):
    brief = fields.Nested(BriefSchema, required=True)
    plan = fields.List(fields.Nested(PlanWeekSchema), load_default=None,
                       validate=validate.Length(equal=WEEKS), metadata={
                           "description": "Weeks 1-4; by default the four-week rhythm dated "
                                          "from starts_on."})
    owner_id = fields.UUID(load_default=None, metadata={
        "description": "The colleague (ops or legal) who answers for it; by default you."})
    status = fields.String(dump_only=True, metadata={
        "description": "planned, running, reviewing, closed or cancelled."})
    check_ins = fields.List(fields.Nested(CheckedInSchema), dump_only=True)
    mid_term_review = fields.Nested(MidTermReviewSchema, dump_only=True, allow_none=True)
    requirements = fields.List(fields.Nested(CreatorRequirementsSchema), dump_only=True)
    summaries = fields.List(fields.Nested("MonthlySummaryListedSchema"), dump_only=True)


class CampaignQuerySchema(Schema):
    version = fields.Integer(load_default=None, validate=validate.Range(min=1))
    as_of = Moment(load_default=None, metadata={
        "description": "ISO time with zone: the campaign as it stood then."})


class CampaignHistoryQuerySchema(Schema):
    as_of = Moment(load_default=None, metadata={
        "description": "ISO time with zone: the campaign's events up to then."})


class CampaignHistorySchema(Schema):
    campaign_id = fields.UUID()
    as_of = Moment(allow_none=True)
    events = fields.List(fields.Nested(HistoryEntrySchema))


class BriefRevisionSchema(CommandSchema):
    brief = fields.Nested(BriefSchema, required=True)


class WeekRevisionSchema(CommandSchema):
    theme = fields.String(required=True, validate=NAME)
    goals = fields.List(fields.Nested(GoalSchema), validate=ITEMS, load_default=list)
    key_dates = fields.List(fields.Nested(KeyDateSchema), validate=ITEMS, load_default=list)


class CheckInCommandSchema(CheckInSchema, VersionedSchema):
    pass


class MidTermReviewCommandSchema(MidTermReviewSchema, VersionedSchema):
    pass


class RequirementsCommandSchema(CreatorRequirementsSchema, VersionedSchema):
    pass


class HandOverSchema(ReasonRequiredSchema):
    owner_id = fields.UUID(required=True)


class JoinCampaignSchema(CommandSchema):
    campaign_id = fields.UUID(required=True)


class NextDueSchema(Schema):
    deliverable_id = fields.String()
    key = fields.String()
    item = fields.Integer()
    status = fields.String()
    due_date = fields.String()


class BoardContractSchema(Schema):
    contract_id = fields.String()
    creator_id = fields.String()
    creator_name = fields.String(allow_none=True)
    title = fields.String()
    status = fields.String()
    active_since = fields.String(allow_none=True)
    fee = fields.Nested(MoneySchema)
    next_due = fields.Nested(NextDueSchema, allow_none=True, metadata={
        "description": "The earliest deliverable not yet done."})
    overdue = fields.Integer()
    awaiting_review = fields.Integer()
    late_shipments = fields.Integer()
    payouts_awaiting_approval = fields.Integer()


class BudgetLineSchema(Schema):
    currency = fields.String()
    budget = fields.Integer(allow_none=True, metadata={
        "description": "Minor units; null: the campaign has no budget in this currency."})
    committed = fields.Integer(metadata={"description": "Fees of signed contracts."})
    paid = fields.Integer(metadata={"description": "Paid out, net of reversals."})
    held = fields.Integer()
    remaining = fields.Integer(allow_none=True, metadata={
        "description": "Budget less committed; negative when over budget."})
    over_budget = fields.Boolean()


class PerformanceSchema(Schema):
    by_creator = fields.List(fields.Nested(CostLensRowSchema))
    by_kind = fields.List(fields.Nested(CostLensRowSchema))


class CampaignBoardSchema(Schema):
    campaign_id = fields.String()
    name = fields.String()
    status = fields.String()
    contracts = fields.List(fields.Nested(BoardContractSchema))
    budget = fields.List(fields.Nested(BudgetLineSchema))
    performance = fields.Nested(PerformanceSchema, metadata={
        "description": "The cost lens over its contracts, by creator and by deliverable "
                       "kind (read models)."})


class MonthlySummaryRequestSchema(VersionedSchema):
    as_of = Moment(load_default=None, metadata={
        "description": "The moment its figures stand at; by default now."})


class MonthlySummarySchema(Schema):
    campaign_id = fields.String()
    number = fields.Integer()
    as_of = Moment()
    digest = fields.String(metadata={
        "description": "SHA-256 of the document's canonical JSON (sorted keys, no spaces)."})
    written_by = fields.String()
    campaign_version = fields.Integer()
    document = fields.Dict(metadata={
        "description": "Deliverables on time / late / overdue, shipments delayed and why, "
                       "extensions, compliance problems caught, make-goods breached, money "
                       "committed / paid / held and the cost lens per currency, and the next "
                       "month's plan (goals carried over, creators to renew or drop)."})
    markdown = fields.String()


class MonthlySummaryListedSchema(Schema):
    number = fields.Integer()
    as_of = Moment()
    digest = fields.String()
    written_by = fields.String()


class ReproductionSchema(Schema):
    number = fields.Integer()
    as_of = Moment()
    digest = fields.String()
    digest_now = fields.String(metadata={
        "description": "The digest of the summary written again from the events up to as_of."})
    reproduced = fields.Boolean()
