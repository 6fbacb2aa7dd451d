"""Contract requests and responses."""

from marshmallow import Schema, fields, validate

from domain.signature import Party
from web.schemas.common import VERSION, CommandSchema, Moment, ReasonRequiredSchema, RecordSchema
from web.schemas.terms import TermsSchema

TITLE = validate.Length(min=1, max=200)
NAME = validate.Length(min=1, max=200)


class SignatureSchema(Schema):
    party = fields.Enum(Party, by_value=True)
    name = fields.String()
    title = fields.String(allow_none=True)
    signed_at = Moment()
    terms_version = fields.Integer()
    terms_hash = fields.String()


class ProposedAmendmentSchema(Schema):
    terms_version = fields.Integer()
    terms_hash = fields.String()
    terms = fields.Nested(TermsSchema)


class ContractSchema(RecordSchema):
    creator_id = fields.UUID(required=True)
    title = fields.String(required=True, validate=TITLE)
    campaign = fields.String(load_default=None, validate=validate.Length(max=200), metadata={
        "description": "A label; joining a campaign (POST …/campaign) sets its name here."})
    campaign_id = fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "The campaign the contract is in, if any; when drafting, one of the "
                       "brand's open campaigns it joins from the start."})
    terms = fields.Nested(TermsSchema, required=True)
    status = fields.String(dump_only=True)
    integrity = fields.Nested("IntegritySchema", dump_only=True, metadata={
        "description": "With as_of or version: whether the family's stored events still "
                       "check out against the hash chain."})
    warnings = fields.List(fields.String(), dump_only=True, metadata={
        "description": "After drafting or revising: things the drafter should know, e.g. "
                       "an exclusivity that overlaps one the creator already gave."})
    terms_version = fields.Integer(dump_only=True)
    terms_hash = fields.String(dump_only=True, metadata={
        "description": "SHA-256 of the canonical terms: what signatures refer to."})
    proposed_amendment = fields.Nested(ProposedAmendmentSchema, dump_only=True, allow_none=True)
    awaiting_signature_version = fields.Integer(dump_only=True, allow_none=True)
    signatures_collected = fields.List(fields.Nested(SignatureSchema), dump_only=True)
    signatures_in_force = fields.List(fields.Nested(SignatureSchema), dump_only=True)


class ContractQuerySchema(Schema):
    version = fields.Integer(load_default=None, validate=VERSION)
    as_of = Moment(load_default=None, metadata={
        "description": "ISO time with zone: the contract as it stood then."})


class TermsRevisionSchema(CommandSchema):
    terms = fields.Nested(TermsSchema, required=True)


class AmendmentSchema(ReasonRequiredSchema):
    terms = fields.Nested(TermsSchema, required=True)


class BrandSignatureSchema(CommandSchema):
    name = fields.String(required=True, validate=NAME, metadata={
        "description": "The brand signatory's full name."})
    title = fields.String(load_default=None, validate=validate.Length(max=200))


class CreatorAcceptanceSchema(CommandSchema):
    name = fields.String(required=True, validate=NAME)
    accepted_at = Moment(load_default=None, metadata={
        "description": "When the creator accepted; defaults to now."})


class TermsVersionSchema(Schema):
    terms_version = fields.Integer()
    terms_hash = fields.String()
    terms = fields.Nested(TermsSchema)
    written_by = fields.String()
    written_at = Moment()
    reason = fields.String(allow_none=True)
    signed_at = Moment(allow_none=True, metadata={
        "description": "When the last of both parties signed this version."})
    withdrawn_at = Moment(allow_none=True)
    in_force = fields.Boolean()
    changes = fields.List(fields.String(), metadata={
        "description": "What this version changed from the one before, item by item."})


class TermsVersionsSchema(Schema):
    contract_id = fields.UUID()
    versions = fields.List(fields.Nested(TermsVersionSchema))


class HistoryEntrySchema(Schema):
    application = fields.String(metadata={"description": "The log the event is in."})
    aggregate = fields.String()
    aggregate_id = fields.UUID()
    version = fields.Integer()
    event = fields.String()
    time = Moment()
    actor = fields.String()
    actor_name = fields.String(allow_none=True, metadata={
        "description": "The acting user's name (kolpact's own for its policies)."})
    actor_roles = fields.List(fields.String(), metadata={
        "description": "The acting user's roles, or ['system'] for kolpact's own policies."})
    reason = fields.String(allow_none=True)
    changes = fields.Dict(keys=fields.String(), values=fields.Dict())
    diff = fields.List(fields.String(), metadata={
        "description": "The changes as readable lines; amended terms item by item."})
    terms_changes = fields.List(fields.String(), allow_none=True, metadata={
        "description": "For an event that wrote a terms version (drafted, revised, amendment "
                       "proposed): what it changed from the version before."})


class HistoryQuerySchema(Schema):
    as_of = Moment(load_default=None, metadata={
        "description": "ISO time with zone: the trail up to then, and the family's state "
                       "(what was agreed, delivered, shipped and paid) at that moment."})


class IntegritySchema(Schema):
    intact = fields.Boolean(allow_none=True, metadata={
        "description": "The family's stored events check out against the hash chain (null: "
                       "the in-memory store keeps no chain)."})
    warning = fields.String(allow_none=True, metadata={
        "description": "Set when they do not: what is shown may have been altered."})


class HistorySchema(Schema):
    contract_id = fields.UUID()
    as_of = Moment(allow_none=True)
    integrity = fields.Nested(IntegritySchema)
    events = fields.List(fields.Nested(HistoryEntrySchema))
    state = fields.Dict(allow_none=True, metadata={
        "description": "With as_of: the contract, deliverables, shipments, payouts, usage "
                       "rights and make-good rules as they stood then."})
