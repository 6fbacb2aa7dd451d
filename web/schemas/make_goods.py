"""Make-good rules: what they asked for, what was measured, what was done."""

from marshmallow import Schema, fields

from web.schemas.terms import MakeGoodTermSchema


class FiguresSchema(Schema):
    value = fields.Integer(metadata={"description": "The best figure inside the window."})
    threshold = fields.Integer()
    measured_at = fields.AwareDateTime(allow_none=True)
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
    published_at = fields.AwareDateTime(allow_none=True)
    window_closes = fields.AwareDateTime(allow_none=True)
    figures = fields.Nested(FiguresSchema, allow_none=True)
    remedy = fields.String(allow_none=True, metadata={"description": "What was done."})


class ContractRulesSchema(Schema):
    contract_id = fields.String()
    make_goods = fields.List(fields.Nested(MakeGoodRuleSchema))
