"""Usage rights and the question "may we use this, there, then?"."""

from marshmallow import Schema, fields, validate

from domain.vocabulary import Channel
from web.schemas.common import MoneySchema, RecordSchema
from web.schemas.terms import UsageRightTermSchema


class RightExtensionSchema(Schema):
    on = fields.Date(metadata={"description": "In effect from this day."})
    days = fields.Integer()
    fee = fields.Nested(MoneySchema, allow_none=True)
    terms_version = fields.Integer(metadata={"description": "The amendment that granted it."})


class RevocationSchema(Schema):
    on = fields.Date()
    reason = fields.String()


class UsageRightSchema(RecordSchema):
    contract_id = fields.String()
    creator_id = fields.String()
    campaign = fields.String(allow_none=True)
    key = fields.String()
    term = fields.Nested(UsageRightTermSchema)
    status = fields.String()
    granted_on = fields.Date()
    starts_on = fields.Date(allow_none=True, metadata={
        "description": "None while it waits for the publication it starts with."})
    last_day = fields.Date(allow_none=True, metadata={"description": "None: perpetual."})
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
    date = fields.Date(load_default=None, metadata={
        "description": "The day asked about (default today); past days are answered as "
                       "things stood then."})


class VerdictSchema(Schema):
    allowed = fields.Boolean()
    right_key = fields.String(metadata={"description": "The right that allows it, or the "
                                                      "one that came closest."})
    why = fields.String()
    until = fields.Date(allow_none=True, metadata={
        "description": "The last day allowed by that right (None: perpetual)."})
