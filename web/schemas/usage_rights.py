"""Usage rights and the question "may we use this, there, then?"."""

from marshmallow import Schema, fields, validate

from domain.usage_right import RightStatus
from domain.vocabulary import Channel
from web.schemas.common import Day, MoneySchema, RecordSchema
from web.schemas.lists import ListQuerySchema, page_schema
from web.schemas.terms import UsageRightTermSchema


class RightExtensionSchema(Schema):
    on = Day(metadata={"description": "In effect from this day."})
    days = fields.Integer()
    fee = fields.Nested(MoneySchema, allow_none=True)
    terms_version = fields.Integer(metadata={"description": "The amendment that granted it."})


class RevocationSchema(Schema):
    on = Day()
    reason = fields.String()


class UsageRightSchema(RecordSchema):
    contract_id = fields.String()
    creator_id = fields.String()
    campaign = fields.String(allow_none=True)
    key = fields.String()
    term = fields.Nested(UsageRightTermSchema)
    status = fields.String()
    granted_on = Day()
    starts_on = Day(allow_none=True, metadata={
        "description": "None while it waits for the publication it starts with."})
    last_day = Day(allow_none=True, metadata={"description": "None: perpetual."})
    days_left = fields.Integer(allow_none=True)
    extensions = fields.List(fields.Nested(RightExtensionSchema))
    revoked = fields.Nested(RevocationSchema, allow_none=True)


class ContractRightsSchema(Schema):
    contract_id = fields.String()
    usage_rights = fields.List(fields.Nested(UsageRightSchema))


class CheckQuerySchema(Schema):
    deliverable_id = fields.UUID(required=True)
    channel = fields.Enum(Channel, by_value=True, required=True)
    territory = fields.String(required=True, validate=validate.Regexp(
        r"^([A-Za-z]{2}|WORLDWIDE)$"), metadata={"description": "ISO-3166 alpha-2 code."})
    date = Day(load_default=None, metadata={
        "description": "The day asked about (default today); past days are answered as "
                       "things stood then."})


class VerdictSchema(Schema):
    allowed = fields.Boolean()
    right_key = fields.String(metadata={"description": "The right that allows it, or the "
                                                      "one that came closest."})
    why = fields.String()
    until = Day(allow_none=True, metadata={
        "description": "The last day allowed by that right (None: perpetual)."})


class RightsListQuerySchema(ListQuerySchema):
    expiring_within = fields.Integer(load_default=None, validate=validate.Range(min=0,
                                                                                max=3650),
                                     metadata={"description": "Rights in force ending within "
                                                              "this many days (e.g. 45)."})
    status = fields.String(load_default=None, validate=validate.OneOf(
        [s.value for s in RightStatus]))
    creator_id = fields.UUID(load_default=None)
    contract_id = fields.UUID(load_default=None)
    campaign = fields.String(load_default=None, validate=validate.Length(max=200))
    channel = fields.Enum(Channel, by_value=True, load_default=None)
    sort = fields.String(load_default="last_day", validate=validate.OneOf(
        ["last_day", "-last_day", "created_at", "-created_at"]))


class RightRowSchema(Schema):
    right_id = fields.String()
    brand_id = fields.String()
    contract_id = fields.String()
    creator_id = fields.String()
    campaign = fields.String(allow_none=True)
    key = fields.String()
    channels = fields.List(fields.String())
    territories = fields.List(fields.String())
    status = fields.String()
    starts_on = fields.String(allow_none=True)
    last_day = fields.String(allow_none=True, metadata={"description": "None: perpetual."})
    days_left = fields.Integer(allow_none=True)
    checkpoint = fields.Integer(allow_none=True, metadata={
        "description": "The warning reached: 45, 30, 14 or 0 days before the end."})
    exclusivity_category = fields.String(allow_none=True)
    exclusivity_days = fields.Integer(allow_none=True)
    updated_at = fields.String()
    version = fields.Integer()


RightsPageSchema = page_schema(RightRowSchema, "UsageRightPage")
