"""Metrics: CSV imports and summaries per deliverable, contract and campaign."""

from marshmallow import Schema, fields, validate

from web.schemas.common import MoneySchema


class ImportQuerySchema(Schema):
    source = fields.String(load_default=None, validate=validate.Length(min=1, max=80),
                           metadata={"description": "The source of every row, unless the "
                                                    "file has a source column."})


class ImportResultSchema(Schema):
    rows = fields.Integer()
    recorded = fields.Integer()
    duplicates = fields.Integer(metadata={"description": "Rows recorded before (not again)."})
    deliverable_ids = fields.List(fields.String())


class SummaryQuerySchema(Schema):
    deliverable_id = fields.UUID(load_default=None)
    contract_id = fields.UUID(load_default=None)
    campaign = fields.String(load_default=None, validate=validate.Length(min=1, max=200))


class FiguresSchema(Schema):
    totals = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "The latest figure of each metric, added up over the deliverables."})
    revenue = fields.List(fields.Nested(MoneySchema))
    tracked_visits = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "Visits kolpact counted on the tracked links, by channel."})
    last_measured_at = fields.String(allow_none=True)


class DeliverableFiguresSchema(FiguresSchema):
    deliverable_id = fields.String()
    contract_id = fields.String()
    creator_id = fields.String()
    key = fields.String()
    index = fields.Integer()


class SummarySchema(FiguresSchema):
    scope = fields.Dict(keys=fields.String(), values=fields.String())
    deliverables = fields.Integer()
    by_deliverable = fields.List(fields.Nested(DeliverableFiguresSchema))
