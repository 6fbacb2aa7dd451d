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


class CostLensQuerySchema(Schema):
    by = fields.String(load_default="campaign", validate=validate.OneOf(
        ["campaign", "creator", "contract", "deliverable", "kind"]))
    campaign = fields.String(load_default=None, validate=validate.Length(min=1, max=200),
                             metadata={"description": "A campaign's name, as labelled."})
    campaign_id = fields.UUID(load_default=None, metadata={
        "description": "The contracts in that campaign now."})
    creator_id = fields.UUID(load_default=None)
    contract_id = fields.UUID(load_default=None)
    currency = fields.String(load_default=None, validate=validate.Regexp(r"^[A-Z]{3}$"))


RATIO = "In the currency's major units (e.g. yuan), to four places; null with no results."


class CostLensRowSchema(Schema):
    campaign = fields.String(allow_none=True)
    creator_id = fields.String()
    contract_id = fields.String()
    deliverable_id = fields.String()
    key = fields.String()
    index = fields.Integer()
    kind = fields.String(metadata={"description": "Of the deliverable (by=deliverable or "
                                                  "by=kind): short video, live stream…"})
    currency = fields.String()
    cost = fields.Integer(metadata={"description": "Owed or paid, in minor units: payouts "
                                                   "not waived, bonuses included, less "
                                                   "reversals."})
    contracts = fields.Integer()
    deliverables = fields.Integer()
    engaged_views = fields.Integer()
    follows = fields.Integer(metadata={"description": "Followers gained."})
    orders = fields.Integer()
    cost_per_engaged_view = fields.String(allow_none=True, metadata={"description": RATIO})
    cost_per_follower = fields.String(allow_none=True, metadata={"description": RATIO})
    cost_per_order = fields.String(allow_none=True, metadata={"description": RATIO})


class CostLensSchema(Schema):
    by = fields.String()
    truncated = fields.Boolean(metadata={"description": "More deliverables than one answer "
                                                        "holds: narrow by campaign, creator "
                                                        "or contract."})
    rows = fields.List(fields.Nested(CostLensRowSchema))
