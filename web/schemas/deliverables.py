"""Deliverables: review submissions, compliance results, publication."""

from marshmallow import Schema, fields, validate

from domain.compliance import ViolationKind
from domain.deliverable import MAX_CONTENT_LENGTH, DelayReason, Stage
from web.schemas.common import CommandSchema, RecordSchema
from web.schemas.terms import DeliverableTermSchema


class ViolationSchema(Schema):
    kind = fields.Enum(ViolationKind, by_value=True)
    text = fields.String(metadata={"description": "The missing disclosure, or the words."})
    start = fields.Integer(allow_none=True, metadata={
        "description": "Character offset in the submitted content (none if missing)."})
    end = fields.Integer(allow_none=True)


class SubmissionSchema(Schema):
    stage = fields.Enum(Stage, by_value=True)
    number = fields.Integer()
    content = fields.String()
    compliant = fields.Function(lambda s: not s.violations)
    violations = fields.List(fields.Nested(ViolationSchema))


class DeliverableSchema(RecordSchema):
    contract_id = fields.String()
    creator_id = fields.String()
    key = fields.String()
    index = fields.Integer(metadata={"description": "Which of the term's quantity, from 1."})
    term = fields.Nested(DeliverableTermSchema)
    status = fields.String()
    submissions = fields.List(fields.Nested(SubmissionSchema))
    url = fields.String(allow_none=True)
    published_at = fields.AwareDateTime(allow_none=True)
    due_date = fields.Date(metadata={"description": "The term's due date plus extensions."})
    extended_days = fields.Integer()
    buffer_days = fields.Integer(metadata={
        "description": "Extensions beyond these days in all need legal."})


class DeliverableListSchema(Schema):
    contract_id = fields.String()
    deliverables = fields.List(fields.Nested(DeliverableSchema))


class SubmissionRequestSchema(CommandSchema):
    content = fields.String(required=True, validate=validate.Length(
        min=1, max=MAX_CONTENT_LENGTH))


class ChangesRequestSchema(CommandSchema):
    comments = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class ApprovalSchema(CommandSchema):
    override_reason = fields.String(load_default=None, validate=validate.Length(max=2000),
                                    metadata={"description": "Required (and legal only) "
                                              "when the submission failed its check."})


class ExtensionSchema(CommandSchema):
    days = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=365))
    category = fields.Enum(DelayReason, by_value=True, required=True)


class PublicationSchema(CommandSchema):
    url = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    published_at = fields.AwareDateTime(load_default=None, metadata={
        "description": "When it went live; defaults to now."})
