"""Make-good rules: what they asked for, what was measured, what was done."""

from marshmallow import Schema, fields, validate

from domain.make_good import RuleStatus
from domain.obligations import Remedy
from web.schemas.common import Moment
from web.schemas.lists import ListQuerySchema, page_schema
from web.schemas.terms import MakeGoodTermSchema


class FiguresSchema(Schema):
    value = fields.Integer(metadata={"description": "The best figure inside the window."})
    threshold = fields.Integer()
    measured_at = Moment(allow_none=True)
    source = fields.String(allow_none=True)
    snapshots = fields.Integer(metadata={"description": "Snapshots inside the window."})


class MakeGoodRuleSchema(Schema):
    id = fields.String()
    version = fields.Integer()
    contract_id = fields.String()
    key = fields.String()
    term = fields.Nested(MakeGoodTermSchema)
    status = fields.String(metadata={"description": "armed, met, breached, remedy_applied, "
                                                    "waived"})
    published_at = Moment(allow_none=True)
    window_closes = Moment(allow_none=True)
    figures = fields.Nested(FiguresSchema, allow_none=True)
    remedy = fields.String(allow_none=True, metadata={"description": "What was done."})


class ContractRulesSchema(Schema):
    contract_id = fields.String()
    make_goods = fields.List(fields.Nested(MakeGoodRuleSchema))


class MakeGoodListQuerySchema(ListQuerySchema):
    status = fields.String(load_default=None, validate=validate.OneOf(
        [s.value for s in RuleStatus]))
    contract_id = fields.UUID(load_default=None)
    creator_id = fields.UUID(load_default=None)
    remedy = fields.String(load_default=None, validate=validate.OneOf([r.value for r in Remedy]))
    window_closed = fields.Boolean(load_default=None, metadata={
        "description": "true: the measurement window has closed; false: not yet (or the "
                       "content is not published)."})
    sort = fields.String(load_default="-updated_at", validate=validate.OneOf(
        ["created_at", "-created_at", "updated_at", "-updated_at", "window_closes",
         "-window_closes"]))


class MakeGoodRowSchema(Schema):
    rule_id = fields.String()
    brand_id = fields.String()
    contract_id = fields.String()
    creator_id = fields.String()
    key = fields.String()
    deliverable_key = fields.String()
    metric = fields.String()
    threshold = fields.Integer()
    window_days = fields.Integer()
    remedy = fields.String()
    status = fields.String()
    published_at = fields.String(allow_none=True)
    window_closes = fields.String(allow_none=True)
    reached = fields.Integer(allow_none=True, metadata={
        "description": "The figure the evaluation used."})
    remedy_detail = fields.String(allow_none=True)
    waive_reason = fields.String(allow_none=True)
    updated_at = fields.String()
    version = fields.Integer()


MakeGoodPageSchema = page_schema(MakeGoodRowSchema, "MakeGoodPage")
