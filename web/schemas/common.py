"""Shapes shared by every resource: money, record metadata, command bodies, problems."""

from marshmallow import Schema, fields, validate

from domain.money import MAX_MINOR_UNITS
from domain.rules import MAX_COUNT

# What a request may say, bounded where the domain and every store can hold it.
MAX_VERSION = 2**31 - 1  # the stores keep versions as 32-bit integers
AMOUNT = validate.Range(min=0, max=MAX_MINOR_UNITS)
COUNT = validate.Range(min=1, max=MAX_COUNT)
COUNT_OR_ZERO = validate.Range(min=0, max=MAX_COUNT)
VERSION = validate.Range(min=1, max=MAX_VERSION)
REASON = fields.String(load_default=None, validate=validate.Length(max=2000),
                       metadata={"description": "Why; required where the command says so."})


class MoneySchema(Schema):
    amount = fields.Integer(required=True, strict=True, validate=AMOUNT,
                            metadata={"description": "Minor units (cents, fen)."})
    currency = fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{3}$"),
                             metadata={"description": "ISO-4217 code, e.g. CNY, USD."})


class RecordSchema(Schema):
    id = fields.UUID(dump_only=True)
    version = fields.Integer(dump_only=True, metadata={
        "description": "Event version; send it back in If-Match to change this record."})
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)
    brand_id = fields.UUID(load_default=None, metadata={
        "description": "Brand (workspace); needed only if you belong to several."})


class CommandSchema(Schema):
    """A state change with an optional reason and the version the caller saw."""

    reason = REASON
    expected_version = fields.Integer(load_default=None, strict=True, validate=VERSION, metadata={
        "description": "Same as If-Match: refuse (412) if the record moved on."})


class ReasonRequiredSchema(CommandSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class ProblemSchema(Schema):
    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.String())
