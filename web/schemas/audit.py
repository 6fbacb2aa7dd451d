"""Shapes of the audit resources: chain checks, seals and checks of exported bundles."""

from marshmallow import Schema, fields

from web.schemas.common import Moment


class VerificationRequestSchema(Schema):
    contract_id = fields.UUID(load_default=None, metadata={
        "description": "Check this contract's family; leave out to check the whole store "
                       "(admins only)."})


class ChainBreakSchema(Schema):
    application = fields.String()
    position = fields.Integer()
    aggregate_id = fields.String()
    version = fields.Integer()
    seal = fields.String(allow_none=True)
    problem = fields.String()
    description = fields.String()


class VerificationSchema(Schema):
    id = fields.UUID(metadata={"description": "The recorded check."})
    checked_at = Moment()
    scope = fields.String(metadata={"description": "store or contract"})
    contract_id = fields.UUID(allow_none=True)
    passed = fields.Boolean()
    events_checked = fields.Integer()
    seals_checked = fields.Integer()
    breaks = fields.List(fields.Nested(ChainBreakSchema), metadata={
        "description": "The first broken link of each log, and every seal that no longer "
                       "matches; empty when the check passed."})


class HeadSchema(Schema):
    position = fields.Integer()
    hash = fields.String()


class SealSchema(Schema):
    id = fields.UUID()
    sealed_at = Moment()
    heads = fields.Dict(keys=fields.String(), values=fields.Nested(HeadSchema))
    root = fields.String(metadata={"description": "SHA-256 over every head: publish it."})


class SealListSchema(Schema):
    seals = fields.List(fields.Nested(SealSchema))


class BundleCheckSchema(Schema):
    id = fields.UUID(metadata={"description": "The recorded check."})
    checked_at = Moment()
    passed = fields.Boolean()
    digest = fields.String(allow_none=True, metadata={
        "description": "SHA-256 of the bundle's manifest, as recorded at export."})
    events_checked = fields.Integer()
    contract_id = fields.UUID(allow_none=True)
    exported_at = fields.String(allow_none=True)
    signed_by = fields.String(allow_none=True, metadata={
        "description": "The public key whose signature on the manifest holds."})
    problems = fields.List(fields.String())


class PublicKeySchema(Schema):
    public_key = fields.String(allow_none=True, metadata={
        "description": "Ed25519, base64; null when exports are not signed."})
