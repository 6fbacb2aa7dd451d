"""Shapes shared by every resource: money, record metadata, command bodies, problems."""

from datetime import UTC, date, datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from domain.money import MAX_MINOR_UNITS
from domain.rules import MAX_COUNT

# What a request may say, bounded where the domain and every store can hold it.
MAX_VERSION = 2**31 - 1  # the stores keep versions as 32-bit integers
AMOUNT = validate.Range(min=0, max=MAX_MINOR_UNITS)
COUNT = validate.Range(min=1, max=MAX_COUNT)
COUNT_OR_ZERO = validate.Range(min=0, max=MAX_COUNT)
VERSION = validate.Range(min=1, max=MAX_VERSION)
# Days and times a request may name: far from the calendar's ends, so any date sum holds.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)


class Moment(fields.AwareDateTime):
    """A time with its zone, read as UTC; one the calendar cannot hold is a 422."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            utc = moment.astimezone(UTC)
        except OverflowError:
            raise ValidationError(f"must be between {FIRST_DAY} and {LAST_DAY}") from None
        if not FIRST_DAY <= utc.date() <= LAST_DAY:
            raise ValidationError(f"must be between {FIRST_DAY} and {LAST_DAY}")
        return utc


class Day(fields.Date):
    """A calendar day between FIRST_DAY and LAST_DAY."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validate=validate.Range(min=FIRST_DAY, max=LAST_DAY), **kwargs)
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


class VersionedSchema(Schema):
    """A change that names the version the caller saw."""

    expected_version = fields.Integer(load_default=None, strict=True, validate=VERSION, metadata={
        "description": "Same as If-Match: refuse (412) if the record moved on."})


class CommandSchema(VersionedSchema):
    """A state change with an optional reason and the version the caller saw."""

    reason = REASON


class ReasonRequiredSchema(CommandSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class ProblemSchema(Schema):
    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.String())
