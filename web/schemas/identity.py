"""Brands, users and API tokens (admin)."""

from marshmallow import Schema, fields, validate

from domain.identity import Role
from web.schemas.common import CommandSchema, MoneySchema, RecordSchema


class BrandSchema(RecordSchema):
    name = fields.String(dump_only=True)
    dual_control = fields.Boolean(dump_only=True, metadata={
        "description": "Contracts must be signed for the brand by someone other than the "
                       "user who drafted the terms."})
    two_approvers_above = fields.List(fields.Nested(MoneySchema), dump_only=True, metadata={
        "description": "Payouts above these amounts need two approvers."})


class DualControlSchema(CommandSchema):
    dual_control = fields.Boolean(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class UserSchema(RecordSchema):
    email = fields.Email(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    roles = fields.List(fields.Enum(Role, by_value=True), required=True,
                        validate=validate.Length(min=1))
    brand_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(min=1))
    active = fields.Boolean(dump_only=True)


class TokenRequestSchema(Schema):
    label = fields.String(load_default="", validate=validate.Length(max=200))


class IssuedTokenSchema(Schema):
    token_id = fields.UUID()
    token = fields.String(allow_none=True, metadata={
        "description": "Shown once, in this response only; kolpact keeps only its hash. "
                       "A retry with the same Idempotency-Key returns null here."})
