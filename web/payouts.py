"""/api/v1/payouts: milestone payments, released by one finance user and approved by another."""

from typing import Any

from application.infrastructure.settings import ConfigurationError
from web.auth import allowed, current_actor
from web.blueprint import Blueprint
from web.command_routes import add_commands
from web.lists import listed, lists
from web.schemas.common import ReasonRequiredSchema
from web.schemas.payouts import (
    AdjustmentSchema,
    OfflinePaymentSchema,
    PayoutApprovalSchema,
    PayoutListQuerySchema,
    PayoutPageSchema,
    PayoutSchema,
    ReconciliationSchema,
    RefundSchema,
    ReleaseRequestSchema,
    TotalsQuerySchema,
    TotalsSchema,
)
from web.services import services
from web.versions import expected_version, versioned

blp = Blueprint("payouts", __name__, url_prefix="/api/v1/payouts",
                description="Milestone payouts: maker-checker release, Stripe Connect "
                            "transfers, offline rails, the ledger.")


def payouts() -> Any:
    return services().payouts


@blp.route("")
@blp.arguments(PayoutListQuerySchema, location="query")
@blp.response(200, PayoutPageSchema)
def ledger(query: dict[str, Any]) -> Any:
    """The payouts ledger, by status, creator, contract, campaign (read model)"""
    return listed(lists().payouts, query)


@blp.route("/totals")
@blp.arguments(TotalsQuerySchema, location="query")
@blp.response(200, TotalsSchema)
def totals(query: dict[str, Any]) -> Any:
    """Totals per currency: committed, due, requested, approved, paid, held, adjusted …"""
    filters = {k: (str(v) if v is not None else None) for k, v in query.items()}
    return {"currencies": lists().payout_totals(current_actor(), filters)}


@blp.route("/reconciliation")
@blp.response(200, ReconciliationSchema)
def reconciliation() -> Any:
    """What the last reconciliation with Stripe found wrong (the background worker runs it
    every KOLPACT_RECONCILE_SECONDS; `kolpact payouts reconcile` runs it now)"""
    found = services().reconciliation
    if found is None:
        raise ConfigurationError("Reconciliation needs a SQLite or PostgreSQL store.")
    return found.latest(current_actor())


@blp.route("/<payout_id>")
@blp.response(200, PayoutSchema)
def get_payout(payout_id: str) -> Any:
    """Read a payout with its attempts, approvals and hold or failure"""
    return versioned(payouts().get_payout(current_actor(), payout_id))


@blp.route("/<payout_id>/request-release", methods=["POST"])
@allowed(lambda: services().payouts.request_release)
@blp.arguments(ReleaseRequestSchema)
@blp.response(200, PayoutSchema)
def request_release(body: dict[str, Any], payout_id: str) -> Any:
    """Ask for a due payout to be paid (finance); another finance user approves"""
    return versioned(payouts().request_release(current_actor(), payout_id, body["rail"],
                                               body["reason"], expected_version(body)))


@blp.route("/<payout_id>/adjust", methods=["POST"])
@allowed(lambda: services().payouts.adjust)
@blp.arguments(AdjustmentSchema)
@blp.response(200, PayoutSchema)
def adjust(body: dict[str, Any], payout_id: str) -> Any:
    """Change the amount before it is paid, with a reason and its cause (voids approvals)"""
    return versioned(payouts().adjust(current_actor(), payout_id, body["amount"],
                                      body["reason"], body["cause"], expected_version(body)))


@blp.route("/<payout_id>/record-payment", methods=["POST"])
@allowed(lambda: services().payouts.record_offline_payment)
@blp.arguments(OfflinePaymentSchema)
@blp.response(200, PayoutSchema)
def record_payment(body: dict[str, Any], payout_id: str) -> Any:
    """Record an approved offline payment (bank wire, WeChat Pay, Alipay, platform order)"""
    return versioned(payouts().record_offline_payment(
        current_actor(), payout_id, body["reference"], body["proof"], expected_version(body)))


@blp.route("/<payout_id>/record-refund", methods=["POST"])
@allowed(lambda: payouts().record_refund)
@blp.arguments(RefundSchema)
@blp.response(200, PayoutSchema)
def record_refund(body: dict[str, Any], payout_id: str) -> Any:
    """Record that the creator paid back (part of) what this payout overpaid (owed_back)"""
    return versioned(payouts().record_refund(current_actor(), payout_id, body["amount"],
                                             body["reference"], expected_version(body)))


add_commands(blp, "payout_id", payouts, PayoutSchema, {
    "approve": ("approve", PayoutApprovalSchema,
                "Approve a requested release (a finance user other than the requester)"),
    "hold": ("hold", ReasonRequiredSchema, "Hold it, with a reason"),
    "release-hold": ("release_hold", ReasonRequiredSchema, "Release a hold, with a reason"),
    "waive": ("waive", ReasonRequiredSchema, "Waive it, with a reason"),
    "retry": ("retry", ReasonRequiredSchema, "Try a failed payout again (a new attempt)"),
})
