"""Deliverables: review submissions, compliance results, publication."""

from marshmallow import Schema, fields, validate

from domain.compliance import ViolationKind
from domain.deliverable import MAX_CONTENT_LENGTH, DelayReason, Stage
from domain.metrics import COUNTED, MAX_COUNT, MAX_SOURCE_LENGTH
from web.schemas.common import (
    REASON,
    VERSION,
    CommandSchema,
    Day,
    Moment,
    MoneySchema,
    RecordSchema,
)
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
    review_due = Day(allow_none=True, metadata={
        "description": "The brand's answer is due by the end of this day."})


class ExtensionProposalSchema(Schema):
    number = fields.Integer()
    days = fields.Integer()
    category = fields.Enum(DelayReason, by_value=True)
    cause = fields.String(metadata={"description": "What prompted it, e.g. a late shipment."})
    open = fields.Boolean(metadata={"description": "Not yet granted or declined."})


class DeliverableTrackingSchema(Schema):
    code = fields.String()
    landing_url = fields.String(metadata={
        "description": "The brand's landing URL with campaign, creator and deliverable "
                       "parameters."})


class DeliverableSchema(RecordSchema):
    contract_id = fields.String()
    creator_id = fields.String()
    key = fields.String()
    index = fields.Integer(metadata={"description": "Which of the term's quantity, from 1."})
    term = fields.Nested(DeliverableTermSchema)
    status = fields.String()
    submissions = fields.List(fields.Nested(SubmissionSchema))
    url = fields.String(allow_none=True)
    published_at = Moment(allow_none=True)
    due_date = Day(metadata={"description": "The term's due date plus extensions."})
    extended_days = fields.Integer()
    buffer_days = fields.Integer(metadata={
        "description": "Extensions beyond these days in all need legal."})
    review_days = fields.Integer(metadata={
        "description": "The brand answers each submission within these days."})
    campaign = fields.String(allow_none=True)
    proposals = fields.List(fields.Nested(ExtensionProposalSchema))
    metrics_recorded = fields.Integer(metadata={"description": "Snapshots so far."})
    latest_figures = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "Each metric's latest figure, whichever snapshot reported it."})
    tracking = fields.Nested(DeliverableTrackingSchema, allow_none=True, metadata={
        "description": "None when the terms set up no tracking."})


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
    published_at = Moment(load_default=None, metadata={
        "description": "When it went live; defaults to now."})


class ProposalDecisionSchema(CommandSchema):
    reason = REASON


class ProposalDeclineSchema(CommandSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class MetricSnapshotSchema(Schema):
    source = fields.String(required=True, validate=validate.Length(min=1,
                                                                   max=MAX_SOURCE_LENGTH),
                           metadata={"description": "Where the figures come from, e.g. "
                                                    "'douyin export' or 'manual'."})
    measured_at = Moment(required=True)
    counts = fields.Dict(keys=fields.String(validate=validate.OneOf([m.value for m in COUNTED])),
                         values=fields.Integer(strict=True,
                                               validate=validate.Range(min=0, max=MAX_COUNT)),
                         load_default=dict, metadata={"description": "Cumulative counts by "
                                                      "metric, as of measured_at."})
    revenue = fields.Nested(MoneySchema, load_default=None, allow_none=True)


class MetricsRequestSchema(MetricSnapshotSchema):
    expected_version = fields.Integer(load_default=None, strict=True, validate=VERSION)


class MetricsListSchema(Schema):
    deliverable_id = fields.String()
    snapshots = fields.List(fields.Nested(MetricSnapshotSchema))


class TrackedLinkSchema(DeliverableTrackingSchema):
    deliverable_id = fields.String()
    short_url = fields.String(metadata={"description": "Give this link to the creator."})
    qr_url = fields.String(metadata={"description": "What the QR code encodes; visits "
                                                    "through it count as scans."})
    visits = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "Counted visits by channel (link, qr)."})
