"""Payouts: milestone payments, their release and approval, and the ledger."""

from marshmallow import Schema, fields, validate

from domain.payout import PayoutStatus, Rail
from web.schemas.common import REASON, CommandSchema, MoneySchema, RecordSchema
from web.schemas.lists import ListQuerySchema, page_schema
from web.schemas.terms import MilestoneSchema


class AttemptSchema(Schema):
    number = fields.Integer()
    rail = fields.Enum(Rail, by_value=True)
    idempotency_key = fields.String()


class FailureSchema(Schema):
    code = fields.String()
    message = fields.String()


class BonusLineSchema(Schema):
    metric = fields.String()
    figure = fields.Integer(metadata={"description": "What the deliverable reached."})
    basis = fields.String(metadata={"description": "rate (figure x unit) or tier (the tier "
                                                   "starting at unit)."})
    unit = fields.Integer()
    amount = fields.Integer(metadata={"description": "Minor units."})


class BonusCalculationSchema(Schema):
    window_opened = fields.DateTime()
    window_closed = fields.DateTime()
    lines = fields.List(fields.Nested(BonusLineSchema))
    earned = fields.Integer(metadata={"description": "Before the cap."})
    cap = fields.Integer(allow_none=True)
    amount = fields.Integer(metadata={"description": "What is paid, in minor units."})
    currency = fields.String()


class PayoutSchema(RecordSchema):
    contract_id = fields.String()
    creator_id = fields.String()
    campaign = fields.String(allow_none=True)
    milestone = fields.Nested(MilestoneSchema)
    bonus = fields.Boolean(metadata={"description": "This is the milestone's performance "
                                                    "bonus, not its payment."})
    calculation = fields.Nested(BonusCalculationSchema, allow_none=True)
    amount = fields.Nested(MoneySchema)
    status = fields.String()
    due_cause = fields.String(allow_none=True, metadata={"description": "What made it due."})
    rail = fields.String(allow_none=True)
    requested_by = fields.String(allow_none=True)
    approvals_needed = fields.Integer()
    approved_by = fields.List(fields.String())
    attempts = fields.List(fields.Nested(AttemptSchema))
    reference = fields.String(allow_none=True, metadata={
        "description": "The Stripe transfer id, or the offline payment's reference."})
    hold_reason = fields.String(allow_none=True)
    failure = fields.Nested(FailureSchema, allow_none=True)
    reversed_amount = fields.Nested(MoneySchema, allow_none=True, metadata={
        "description": "Everything reversed so far (a payout may be reversed in parts)."})
    held_from = fields.String(allow_none=True, metadata={
        "description": "Where a held payout returns when released (submitted: an attempt "
                       "that may still land at Stripe)."})
    cuts_awaiting_outcome = fields.Nested(MoneySchema, allow_none=True, metadata={
        "description": "Cuts (make-goods, amendments) that landed while the attempt was in "
                       "flight: taken off if it fails, owed back if it paid."})
    owed_back = fields.Nested(MoneySchema, allow_none=True, metadata={
        "description": "Paid too much by this, not yet offset against another milestone or "
                       "refunded; negative when the creator is owed more."})


class ContractPayoutsSchema(Schema):
    contract_id = fields.String()
    payouts = fields.List(fields.Nested(PayoutSchema))


class ReleaseRequestSchema(CommandSchema):
    rail = fields.Enum(Rail, by_value=True, load_default=Rail.STRIPE, metadata={
        "description": "stripe (default), or an offline rail finance pays by hand."})


class PayoutApprovalSchema(CommandSchema):
    reason = REASON


class AdjustmentSchema(CommandSchema):
    amount = fields.Nested(MoneySchema, required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    cause = fields.String(required=True, validate=validate.Length(min=1, max=500), metadata={
        "description": "What led to it, e.g. the make-good rule or the dispute."})


class OfflinePaymentSchema(CommandSchema):
    reference = fields.String(required=True, validate=validate.Length(min=1, max=200), metadata={
        "description": "Bank wire reference, WeChat Pay / Alipay transaction id, platform "
                       "order id (e.g. Xingtu)."})
    proof = fields.String(required=True, validate=validate.Length(min=1, max=2000), metadata={
        "description": "Where the receipt or confirmation is kept."})


class RefundSchema(CommandSchema):
    amount = fields.Nested(MoneySchema, required=True, metadata={
        "description": "What the creator paid back, at most what is owed back."})
    reference = fields.String(required=True, validate=validate.Length(min=1, max=200), metadata={
        "description": "The bank or payment reference of the creator's repayment."})


class PayoutListQuerySchema(ListQuerySchema):
    status = fields.String(load_default=None, validate=validate.OneOf(
        [s.value for s in PayoutStatus]))
    creator_id = fields.UUID(load_default=None)
    contract_id = fields.UUID(load_default=None)
    campaign = fields.String(load_default=None, validate=validate.Length(max=200))
    currency = fields.String(load_default=None, validate=validate.Regexp(r"^[A-Z]{3}$"))
    kind = fields.String(load_default=None, validate=validate.OneOf(["milestone", "bonus"]),
                         metadata={"description": "A milestone's payment, or its bonus."})
    awaiting_my_approval = fields.Boolean(load_default=None, metadata={
        "description": "Releases someone else requested that you have not approved."})
    sort = fields.String(load_default="-updated_at", validate=validate.OneOf(
        ["created_at", "-created_at", "updated_at", "-updated_at"]))


class PayoutRowSchema(Schema):
    payout_id = fields.String()
    brand_id = fields.String()
    contract_id = fields.String()
    creator_id = fields.String()
    campaign = fields.String(allow_none=True)
    milestone_key = fields.String()
    kind = fields.String(metadata={"description": "milestone, or bonus (its performance "
                                                  "bonus)."})
    label = fields.String()
    trigger = fields.String()
    due_date = fields.String(allow_none=True)
    amount = fields.Function(lambda row: {"amount": row["amount"], "currency": row["currency"]})
    status = fields.String()
    rail = fields.String(allow_none=True)
    requested_by = fields.String(allow_none=True)
    approvals_needed = fields.Integer()
    approved_by = fields.List(fields.String())
    reference = fields.String(allow_none=True)
    hold_reason = fields.String(allow_none=True)
    failure_code = fields.String(allow_none=True)
    failure_message = fields.String(allow_none=True)
    paid_at = fields.String(allow_none=True)
    updated_at = fields.String()
    version = fields.Integer()


PayoutPageSchema = page_schema(PayoutRowSchema, "PayoutPage")


class TotalsQuerySchema(Schema):
    brand_id = fields.UUID(load_default=None)
    creator_id = fields.UUID(load_default=None)
    contract_id = fields.UUID(load_default=None)
    campaign = fields.String(load_default=None, validate=validate.Length(max=200))


class TotalsSchema(Schema):
    currencies = fields.Dict(keys=fields.String(), values=fields.Dict(
        keys=fields.String(), values=fields.Integer()), metadata={
        "description": "Per currency, in minor units: committed (all but waived), scheduled, "
                       "due, release_requested, approved, submitted, paid, held, failed, "
                       "waived, reversed, adjusted (taken off by adjustments), bonus "
                       "(performance bonuses calculated, not waived)."})


class PayoutAccountRequestSchema(Schema):
    country = fields.String(load_default="CN", validate=validate.Regexp(r"^[A-Z]{2}$"))
    email = fields.Email(load_default=None)
    refresh_url = fields.Url(required=True, metadata={
        "description": "Where Stripe sends the creator if the link expired."})
    return_url = fields.Url(required=True, metadata={
        "description": "Where Stripe sends the creator when onboarding is done."})


class PayoutAccountSchema(Schema):
    creator_id = fields.String()
    account_id = fields.String()
    onboarding_url = fields.String()


class ApprovalThresholdSchema(CommandSchema):
    currency = fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{3}$"))
    amount = fields.Integer(required=True, allow_none=True, strict=True,
                            validate=validate.Range(min=0), metadata={
                                "description": "Payouts above it (minor units) need two "
                                               "approvers; null: one is enough."})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class MismatchSchema(Schema):
    kind = fields.String(metadata={"description": "paid_twice, unrecorded_transfer, "
                                                  "missing_transfer, amount_differs, "
                                                  "reversal_differs"})
    payout_id = fields.String(allow_none=True)
    transfer_id = fields.String(allow_none=True)
    detail = fields.String()


class ReconciliationSchema(Schema):
    ran_at_ms = fields.Integer(allow_none=True, metadata={
        "description": "When the last reconciliation ran (ms since the epoch); null: never."})
    mismatches = fields.List(fields.Nested(MismatchSchema), metadata={
        "description": "What that run found wrong about your brands' payouts."})
