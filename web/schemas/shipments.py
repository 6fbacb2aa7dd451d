"""Shipments of product to creators."""

from marshmallow import Schema, fields, validate

from web.schemas.common import COUNT, CommandSchema, Day, Moment, ReasonRequiredSchema, RecordSchema

TEXT = validate.Length(min=1, max=200)


class ShipmentItemSchema(Schema):
    sku = fields.String(required=True, validate=TEXT)
    quantity = fields.Integer(load_default=1, strict=True, validate=COUNT)
    size = fields.String(load_default=None, validate=validate.Length(max=50))
    spare = fields.Boolean(load_default=False, metadata={
        "description": "An extra size in case the first does not fit."})
    alternative_to = fields.String(load_default=None, metadata={
        "description": "The SKU in this shipment that this one may replace."})


class AddressSchema(Schema):
    recipient = fields.String(required=True, validate=TEXT)
    line1 = fields.String(required=True, validate=TEXT)
    line2 = fields.String(load_default=None, validate=validate.Length(max=200))
    city = fields.String(required=True, validate=TEXT)
    postal_code = fields.String(load_default=None, validate=validate.Length(max=20))
    country = fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{2}$"))
    phone = fields.String(load_default=None, validate=validate.Length(max=40))
    erased = fields.Boolean(dump_only=True, metadata={
        "description": "The creator's personal data was erased on request: nothing to show."})


class ShipmentSchema(RecordSchema):
    contract_id = fields.UUID(required=True)
    creator_id = fields.String(dump_only=True)
    deliverable_ids = fields.List(fields.UUID(), load_default=list)
    items = fields.List(fields.Nested(ShipmentItemSchema), required=True,
                        validate=validate.Length(min=1, max=100))
    address = fields.Nested(AddressSchema, required=True, metadata={
        "description": "Personal data."})
    status = fields.String(dump_only=True)
    carrier = fields.String(dump_only=True, allow_none=True)
    tracking_number = fields.String(dump_only=True, allow_none=True)
    eta = Day(dump_only=True, allow_none=True)
    delivered_at = Moment(dump_only=True, allow_none=True)


class DispatchSchema(CommandSchema):
    carrier = fields.String(required=True, validate=TEXT)
    tracking_number = fields.String(required=True, validate=TEXT)
    eta = Day(required=True)


class DelaySchema(ReasonRequiredSchema):
    eta = Day(required=True, metadata={"description": "The new, later ETA."})


class DeliverySchema(CommandSchema):
    delivered_at = Moment(load_default=None)
