"""Contract terms as they travel over HTTP; the domain checks the business rules."""

from marshmallow import Schema, fields, validate

from domain.obligations import MilestoneTrigger, Remedy, RightStart
from domain.vocabulary import (
    SPEC_FIELDS,
    Channel,
    DeliverableKind,
    Metric,
    Platform,
    SensitiveCategory,
)
from web.schemas.common import AMOUNT, COUNT, Day, MoneySchema

KEY = fields.String(required=True, validate=validate.Length(min=1, max=40), metadata={
    "description": "Short name other terms refer to, e.g. 'video-1'."})
TEXT = validate.Length(min=1, max=2000)
MANY = validate.Length(max=100)


def optional_int(**kwargs: object) -> fields.Integer:
    return fields.Integer(load_default=None, strict=True, validate=COUNT, **kwargs)  # type: ignore[arg-type]


class DeliverableTermSchema(Schema):
    key = KEY
    kind = fields.Enum(DeliverableKind, by_value=True, required=True)
    platform = fields.Enum(Platform, by_value=True, required=True)
    due_date = Day(required=True)
    quantity = fields.Integer(load_default=1, strict=True, validate=COUNT)
    review_required = fields.Boolean(load_default=True)
    spec = fields.Dict(keys=fields.String(validate=validate.OneOf(SPEC_FIELDS)),
                       values=fields.Integer(strict=True, validate=COUNT), load_default=dict)
    description = fields.String(load_default="", validate=validate.Length(max=2000))


class UsageRightTermSchema(Schema):
    key = KEY
    channels = fields.List(fields.Enum(Channel, by_value=True), required=True)
    territories = fields.List(fields.String(), required=True, metadata={
        "description": "ISO-3166 alpha-2 codes, or WORLDWIDE."})
    starts = fields.Enum(RightStart, by_value=True, required=True)
    start_date = Day(load_default=None)
    duration_days = optional_int(metadata={"description": "Omit for a perpetual right."})
    deliverable_keys = fields.List(fields.String(), load_default=list)
    exclusivity_category = fields.String(load_default=None, validate=validate.Length(max=200))
    exclusivity_days = optional_int()


class BonusTierSchema(Schema):
    at_least = fields.Integer(required=True, strict=True, validate=COUNT, metadata={
        "description": "The tier metric's figure that earns this tier."})
    amount = fields.Integer(required=True, strict=True, validate=COUNT, metadata={
        "description": "Minor units; only the highest tier reached is paid."})


class BonusSchema(Schema):
    """Performance pay on top of the milestone, paid as a payout of its own."""

    deliverable_key = fields.String(required=True, metadata={
        "description": "The deliverable whose metrics earn the bonus."})
    window_days = fields.Integer(required=True, strict=True, validate=COUNT, metadata={
        "description": "Measured for this many days after its first publication."})
    rate_metric = fields.Enum(Metric, by_value=True, load_default=None, metadata={
        "description": "Paid per unit, e.g. orders or redemptions."})
    rate = optional_int(metadata={"description": "Minor units per unit of rate_metric."})
    tier_metric = fields.Enum(Metric, by_value=True, load_default=None, metadata={
        "description": "e.g. engaged_views."})
    tiers = fields.List(fields.Nested(BonusTierSchema), load_default=list, validate=MANY)
    cap = optional_int(metadata={"description": "At most this, in minor units."})


class MilestoneSchema(Schema):
    key = KEY
    label = fields.String(required=True, validate=validate.Length(min=1, max=200))
    amount = fields.Integer(required=True, strict=True, validate=AMOUNT,
                            metadata={"description": "Minor units."})
    trigger = fields.Enum(MilestoneTrigger, by_value=True, required=True)
    deliverable_key = fields.String(load_default=None)
    due_date = Day(load_default=None)
    metric = fields.Enum(Metric, by_value=True, load_default=None)
    threshold = optional_int()
    bonus = fields.Nested(BonusSchema, load_default=None, allow_none=True)


class MakeGoodTermSchema(Schema):
    key = KEY
    deliverable_key = fields.String(required=True)
    metric = fields.Enum(Metric, by_value=True, required=True)
    threshold = fields.Integer(required=True, strict=True, validate=COUNT)
    window_days = fields.Integer(required=True, strict=True, validate=COUNT)
    remedy = fields.Enum(Remedy, by_value=True, required=True)
    milestone_key = fields.String(load_default=None)
    amount = optional_int()
    percent = fields.Decimal(load_default=None, as_string=True, places=2)
    extension_days = optional_int()


class TrackingSchema(Schema):
    landing_url = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    campaign_code = fields.String(load_default=None, validate=validate.Length(max=100))


class TermsSchema(Schema):
    fee = fields.Nested(MoneySchema, required=True)
    deliverables = fields.List(fields.Nested(DeliverableTermSchema), load_default=list,
                               validate=MANY)
    usage_rights = fields.List(fields.Nested(UsageRightTermSchema), load_default=list,
                               validate=MANY)
    approved_claims = fields.List(fields.String(validate=TEXT), load_default=list, validate=MANY)
    required_disclosures = fields.List(fields.String(validate=TEXT), load_default=list,
                                       validate=MANY)
    flagged_categories = fields.List(fields.Enum(SensitiveCategory, by_value=True),
                                     load_default=list)
    tracking = fields.Nested(TrackingSchema, load_default=None, allow_none=True)
    milestones = fields.List(fields.Nested(MilestoneSchema), load_default=list, validate=MANY)
    make_goods = fields.List(fields.Nested(MakeGoodTermSchema), load_default=list, validate=MANY)
    buffer_days = fields.Integer(load_default=0, strict=True)
    notes = fields.String(load_default="", validate=validate.Length(max=5000))
    forbidden_terms = fields.List(fields.String(validate=TEXT), load_default=list,
                                  validate=MANY, metadata={
                                      "description": "Words no outline or draft may contain."})
