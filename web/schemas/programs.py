"""KOC distribution programs: rules, distributors, attributed orders, ledger."""

from marshmallow import Schema, fields, validate

from domain.commission import MAX_LINES, MAX_ORDER_ID
from domain.distribution import CohortStage, DistributorStatus, Origin
from web.schemas.common import AMOUNT, REASON, CommandSchema, Day, Moment, VersionedSchema
from web.schemas.contracts import HistoryEntrySchema
from web.schemas.lists import ListQuerySchema, page_schema

RULES = fields.Dict(required=True, metadata={
    "description": "currency; commissions [{sku, rate_bp, second_level_bp}]; levels "
                   "[{key, name, criteria {orders, sales, group_size, recruits}, rewards}]; "
                   "achievements; competition {metric, minimum, prizes [{rank, reward}]}; "
                   "assessment {period_days, min_orders, min_sales}. Checked whole: each "
                   "problem by its path (rules.levels[1].criteria)."})


class ProgramCreateSchema(Schema):
    brand_id = fields.UUID(load_default=None)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    rules = RULES
    began_on = Day(load_default=None, metadata={
        "description": "For a program run elsewhere before: the day it began (up to a "
                       "year back); its orders since then are recorded at these rules."})


class RulesVersionSchema(Schema):
    version = fields.Integer()
    effective_from = fields.AwareDateTime()
    rules = fields.Dict()


class ProgramSchema(Schema):
    id = fields.String()
    version = fields.Integer()
    brand_id = fields.String()
    name = fields.String()
    stage = fields.String(metadata={"description": "recruiting, training, trained, ended"})
    rules = fields.Dict(metadata={"description": "The latest rules."})
    rule_versions = fields.List(fields.Nested(RulesVersionSchema))
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class RulesRevisionSchema(VersionedSchema):
    rules = RULES
    effective_from = Moment(load_default=None, metadata={
        "description": "From when (by default now; never in the past)."})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class CohortSchema(CommandSchema):
    stage = fields.Enum(CohortStage, by_value=True, required=True)


class EnrolSchema(Schema):
    creator_id = fields.UUID(required=True, metadata={"description": "A KOC of the brand."})
    origin = fields.Enum(Origin, by_value=True, required=True)
    recruiter_id = fields.UUID(load_default=None, metadata={
        "description": "The distributor who recruited them (earns the second level)."})


class DistributorSchema(Schema):
    id = fields.String()
    version = fields.Integer()
    brand_id = fields.String()
    program_id = fields.String()
    creator_id = fields.String()
    origin = fields.String()
    recruiter_id = fields.String(allow_none=True)
    tracking_code = fields.String(metadata={"description": "What their orders carry."})
    joined_on = fields.Date()
    level = fields.String(allow_none=True)
    status = fields.String()
    grants = fields.List(fields.Dict())
    forfeited = fields.Integer()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class DistributorRowSchema(Schema):
    distributor_id = fields.String()
    program_id = fields.String()
    creator_id = fields.String()
    origin = fields.String()
    recruiter_id = fields.String(allow_none=True)
    tracking_code = fields.String()
    joined_on = fields.String()
    level = fields.String(allow_none=True)
    status = fields.String()
    rewards = fields.Integer()
    forfeited = fields.Integer()
    created_at = fields.String()
    updated_at = fields.String()
    version = fields.Integer()


DistributorPageSchema = page_schema(DistributorRowSchema, "DistributorPage")


class DistributorListQuerySchema(ListQuerySchema):
    status = fields.Enum(DistributorStatus, by_value=True, load_default=None)
    origin = fields.Enum(Origin, by_value=True, load_default=None)
    level = fields.String(load_default=None, validate=validate.Length(max=40))
    recruiter_id = fields.UUID(load_default=None)
    sort = fields.String(load_default="created_at", validate=validate.OneOf(
        ["created_at", "-created_at"]))


class ProgramRowSchema(Schema):
    program_id = fields.String()
    brand_id = fields.String()
    name = fields.String()
    stage = fields.String()
    currency = fields.String()
    rules_version = fields.Integer()
    began_on = fields.String()
    created_at = fields.String()
    updated_at = fields.String()
    version = fields.Integer()


ProgramPageSchema = page_schema(ProgramRowSchema, "ProgramPage")


class ProgramListQuerySchema(ListQuerySchema):
    stage = fields.Enum(CohortStage, by_value=True, load_default=None)
    sort = fields.String(load_default="-created_at", validate=validate.OneOf(
        ["created_at", "-created_at", "name", "-name"]))


class OrderLineSchema(Schema):
    sku = fields.String(required=True, validate=validate.Length(min=1, max=64))
    quantity = fields.Integer(required=True, validate=validate.Range(min=1, max=10**15))
    amount = fields.Integer(required=True, validate=AMOUNT, metadata={
        "description": "The line's total, minor units."})


class OrderSchema(Schema):
    order_id = fields.String(required=True, validate=validate.Length(min=1, max=MAX_ORDER_ID))
    placed_at = Moment(required=True)
    currency = fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{3}$"))
    distributor = fields.String(required=True, validate=validate.Length(min=1, max=100),
                                metadata={"description": "The distributor's id or code."})
    lines = fields.List(fields.Nested(OrderLineSchema), required=True,
                        validate=validate.Length(min=1, max=MAX_LINES))


class OrdersSchema(Schema):
    orders = fields.List(fields.Nested(OrderSchema), required=True,
                         validate=validate.Length(min=1, max=10_000))


class OrdersResultSchema(Schema):
    orders = fields.Integer()
    recorded = fields.Integer()
    already_recorded = fields.Integer(metadata={"description": "Recorded before: not again."})
    order_ids = fields.List(fields.String())


class ReversalSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["refund", "cancellation"]))
    lines = fields.List(fields.Integer(validate=validate.Range(min=1, max=MAX_LINES)),
                        load_default=None, metadata={"description": "Order lines (from 1); "
                                                                    "all by default."})
    reason = REASON


class AttributedOrderSchema(Schema):
    id = fields.String()
    version = fields.Integer()
    brand_id = fields.String()
    program_id = fields.String()
    distributor_id = fields.String()
    order = fields.Dict()
    rules_version = fields.Integer(metadata={"description": "The rules it earned at."})
    lines = fields.List(fields.Dict(), metadata={"description": "Commission lines."})
    reversed_lines = fields.List(fields.Integer())
    reversals = fields.List(fields.Dict())
    commission = fields.Integer(metadata={"description": "Net of reversals, minor units."})


class LedgerSchema(Schema):
    program_id = fields.String()
    currency = fields.String()
    sales = fields.Integer()
    accrued = fields.Integer()
    reversed = fields.Integer(metadata={"description": "Negative: taken back."})
    rewards = fields.Integer(metadata={"description": "Money granted as rewards."})
    forfeited = fields.Integer()
    owed = fields.Integer(metadata={"description": "accrued + reversed + rewards - forfeited."})


class StandingsQuerySchema(Schema):
    month = fields.String(required=True, validate=validate.Regexp(r"^\d{4}-\d{2}$"))


class StandingSchema(Schema):
    rank = fields.Integer()
    distributor_id = fields.String()
    creator_id = fields.String()
    level = fields.String(allow_none=True)
    orders = fields.Integer()
    sales = fields.Integer()
    earned = fields.Integer()
    taken_back = fields.Integer()


class StandingsSchema(Schema):
    program_id = fields.String()
    month = fields.String()
    metric = fields.String()
    prizes = fields.Integer()
    rows = fields.List(fields.Nested(StandingSchema))


class StatementsQuerySchema(Schema):
    month = fields.String(required=True, validate=validate.Regexp(r"^\d{4}-\d{2}$"))
    distributor_id = fields.UUID(load_default=None, metadata={
        "description": "Only this distributor's statement."})


class StatementRewardSchema(Schema):
    grant_key = fields.String()
    kind = fields.String()
    description = fields.String()
    amount = fields.Integer(metadata={"description": "Money it carries, minor units."})
    why = fields.String()
    at = fields.String()


class StatementSchema(Schema):
    distributor_id = fields.String()
    creator_id = fields.String()
    status = fields.String()
    forfeited = fields.Integer()
    sales = fields.Integer()
    earned = fields.Integer()
    taken_back = fields.Integer(metadata={"description": "Negative: refunds in the month."})
    reward_money = fields.Integer()
    rewards = fields.List(fields.Nested(StatementRewardSchema))
    payable = fields.Integer(metadata={"description": "earned + taken_back + reward_money; "
                                                      "0 once disqualified (forfeited)."})


class StatementsSchema(Schema):
    program_id = fields.String()
    month = fields.String()
    currency = fields.String()
    statements = fields.List(fields.Nested(StatementSchema))
    payable = fields.Integer()


class AsItStoodQuerySchema(Schema):
    version = fields.Integer(load_default=None, validate=validate.Range(min=1))
    as_of = Moment(load_default=None, metadata={
        "description": "ISO time with zone: the record as it stood then."})


class TrailQuerySchema(Schema):
    as_of = Moment(load_default=None, metadata={"description": "The trail up to then."})


class RecordHistorySchema(Schema):
    record_id = fields.String()
    as_of = Moment(allow_none=True)
    events = fields.List(fields.Nested(HistoryEntrySchema))


class IssuedStatementSchema(Schema):
    id = fields.String()
    version = fields.Integer()
    issued_at = fields.AwareDateTime()
    brand_id = fields.String()
    program_id = fields.String()
    distributor_id = fields.String()
    month = fields.String()
    currency = fields.String()
    sales = fields.Integer()
    earned = fields.Integer()
    taken_back = fields.Integer()
    reward_money = fields.Integer()
    payable = fields.Integer()
