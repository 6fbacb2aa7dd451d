"""/api/v1/contracts: drafting, signing, amending and closing contracts."""

from typing import Any

from flask import Response
from flask.views import MethodView

from web.auth import allowed, current_actor
from web.blueprint import Blueprint
from web.command_routes import add_commands
from web.idempotency import request_key
from web.lists import listed, lists
from web.schemas.campaigns import JoinCampaignSchema
from web.schemas.common import CommandSchema, ReasonRequiredSchema
from web.schemas.contracts import (
    AmendmentSchema,
    BrandSignatureSchema,
    ContractQuerySchema,
    ContractSchema,
    CreatorAcceptanceSchema,
    HistoryQuerySchema,
    HistorySchema,
    TermsRevisionSchema,
    TermsVersionsSchema,
)
from web.schemas.deliverables import DeliverableListSchema
from web.schemas.lists import ContractListQuerySchema, ContractPageSchema
from web.schemas.make_goods import ContractRulesSchema
from web.schemas.payouts import ContractPayoutsSchema
from web.schemas.usage_rights import ContractRightsSchema
from web.services import services
from web.versions import expected_version, versioned

blp = Blueprint("contracts", __name__, url_prefix="/api/v1/contracts",
                description="Brand-creator contracts and their full history (legal).")


def contracts() -> Any:
    return services().contracts


@blp.route("")
class Contracts(MethodView):
    @blp.arguments(ContractListQuerySchema, location="query")
    @blp.response(200, ContractPageSchema)
    def get(self, query: dict[str, Any]) -> Any:
        """List contracts (contracts overview read model)"""
        return listed(lists().contracts, query)

    @allowed(lambda: contracts().draft_contract)
    @blp.arguments(ContractSchema)
    @blp.response(201, ContractSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Draft a contract"""
        view = contracts().draft_contract(
            current_actor(), str(body["creator_id"]), body["title"], body["terms"],
            campaign=body["campaign"], brand_id=body["brand_id"] and str(body["brand_id"]),
            request_key=request_key(),
            campaign_id=body["campaign_id"] and str(body["campaign_id"]))
        return versioned(view, 201, {"Location": f"/api/v1/contracts/{view['id']}"})


@blp.route("/<contract_id>")
class ContractResource(MethodView):
    @blp.arguments(ContractQuerySchema, location="query")
    @blp.response(200, ContractSchema)
    def get(self, query: dict[str, Any], contract_id: str) -> Any:
        """Read a contract, now or as it stood at a version or a moment"""
        return versioned(contracts().get_contract(current_actor(), contract_id,
                                                  version=query["version"],
                                                  as_of=query["as_of"]))


@blp.route("/<contract_id>/history")
@blp.arguments(HistoryQuerySchema, location="query")
@blp.response(200, HistorySchema)
def history(query: dict[str, Any], contract_id: str) -> Any:
    """The contract family's trail (contract, deliverables, shipments, payouts, rights,
    rules): what, when, who in which role, why and which fields changed"""
    return services().audit.contract_history(current_actor(), contract_id, query["as_of"])


@blp.route("/<contract_id>/audit-export")
@blp.response(200, description="A zip: events.jsonl (every event of the family with its "
              "link hashes), report.html and manifest.json. Check it offline with "
              "`kolpact audit verify-export FILE`. The export is recorded.")
def audit_export(contract_id: str) -> Any:
    """Export the contract family's audit trail as a verifiable bundle"""
    bundle = services().audit.export(current_actor(), contract_id)
    return Response(bundle.content, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="audit-{contract_id}.zip"',
        "X-Audit-Digest": bundle.digest, "Cache-Control": "no-store"})


@blp.route("/<contract_id>/deliverables")
@blp.response(200, DeliverableListSchema)
def deliverables_of(contract_id: str) -> Any:
    """The deliverables the contract owes (created when it becomes active)"""
    return {"contract_id": contract_id,
            "deliverables": services().contract_parts.deliverables_of(current_actor(), contract_id)}


@blp.route("/<contract_id>/payouts")
@blp.response(200, ContractPayoutsSchema)
def payouts_of(contract_id: str) -> Any:
    """The payouts the contract's milestones owe (created when it becomes active)"""
    return {"contract_id": contract_id,
            "payouts": services().contract_parts.payouts_of(current_actor(), contract_id)}


@blp.route("/<contract_id>/usage-rights")
@blp.response(200, ContractRightsSchema)
def usage_rights_of(contract_id: str) -> Any:
    """The usage rights the signed terms grant, as they stand today"""
    return {"contract_id": contract_id,
            "usage_rights": services().contract_parts.usage_rights_of(current_actor(), contract_id)}


@blp.route("/<contract_id>/make-goods")
@blp.response(200, ContractRulesSchema)
def make_goods_of(contract_id: str) -> Any:
    """The make-good rules of the signed terms: window, figures, outcome, remedy"""
    return {"contract_id": contract_id,
            "make_goods": services().contract_parts.make_goods_of(current_actor(), contract_id)}


@blp.route("/<contract_id>/terms-versions")
@blp.response(200, TermsVersionsSchema)
def terms_versions(contract_id: str) -> Any:
    """Every version of the terms, drafts and amendments included, and which one is in force"""
    versions = contracts().terms_versions(current_actor(), contract_id)
    return {"contract_id": contract_id, "versions": versions}


@blp.route("/<contract_id>/terms", methods=["PUT"])
@allowed(lambda: contracts().revise_terms)
@blp.arguments(TermsRevisionSchema)
@blp.response(200, ContractSchema)
def revise_terms(body: dict[str, Any], contract_id: str) -> Any:
    """Replace the terms of a draft (or of terms sent but not yet signed)"""
    return versioned(contracts().revise_terms(current_actor(), contract_id, body["terms"],
                                              expected_version(body), body["reason"]))


@blp.route("/<contract_id>/send-for-signature", methods=["POST"])
@allowed(lambda: contracts().send_for_signature)
@blp.arguments(CommandSchema)
@blp.response(200, ContractSchema)
def send_for_signature(body: dict[str, Any], contract_id: str) -> Any:
    """Send the draft terms to both parties for signature"""
    return versioned(contracts().send_for_signature(current_actor(), contract_id,
                                                    expected_version(body), body["reason"]))


@blp.route("/<contract_id>/sign", methods=["POST"])
@allowed(lambda: contracts().sign_for_brand)
@blp.arguments(BrandSignatureSchema)
@blp.response(200, ContractSchema)
def sign_for_brand(body: dict[str, Any], contract_id: str) -> Any:
    """Sign the terms awaiting signature on behalf of the brand; `warnings` says if the fee
    takes the contract's campaign over its budget"""
    warnings = signing_warnings(contract_id)
    signed = contracts().sign_for_brand(current_actor(), contract_id, body["name"],
                                        body["title"], expected_version(body))
    return versioned({**signed, "warnings": warnings})


def signing_warnings(contract_id: str) -> list[str]:
    """What the campaign's budget says of this contract's fee (none without read models)."""
    boards = services().campaign_boards
    return [] if boards is None else boards.signing_warnings(current_actor(), contract_id)


@blp.route("/<contract_id>/creator-acceptance", methods=["POST"])
@allowed(lambda: contracts().record_creator_acceptance)
@blp.arguments(CreatorAcceptanceSchema)
@blp.response(200, ContractSchema)
def record_creator_acceptance(body: dict[str, Any], contract_id: str) -> Any:
    """Record that the creator accepted the terms awaiting signature"""
    return versioned(contracts().record_creator_acceptance(
        current_actor(), contract_id, body["name"], body["accepted_at"], expected_version(body)))


@blp.route("/<contract_id>/amendments", methods=["POST"])
@allowed(lambda: contracts().propose_amendment)
@blp.arguments(AmendmentSchema)
@blp.response(200, ContractSchema)
def propose_amendment(body: dict[str, Any], contract_id: str) -> Any:
    """Propose new terms for an active contract; they apply once both parties sign"""
    return versioned(contracts().propose_amendment(current_actor(), contract_id, body["terms"],
                                                   body["reason"], expected_version(body)))


@blp.route("/<contract_id>/campaign", methods=["POST"])
@allowed(lambda: contracts().join_campaign)
@blp.arguments(JoinCampaignSchema)
@blp.response(200, ContractSchema)
def join_campaign(body: dict[str, Any], contract_id: str) -> Any:
    """Put the contract in one of the brand's open campaigns (one at a time)"""
    return versioned(contracts().join_campaign(current_actor(), contract_id,
                                               str(body["campaign_id"]), expected_version(body)))


add_commands(blp, "contract_id", contracts, ContractSchema, {
    "leave-campaign": ("leave_campaign", ReasonRequiredSchema,
                       "Take the contract out of its campaign (reason required)"),
    "withdraw-amendment": ("withdraw_amendment", ReasonRequiredSchema,
                           "Withdraw the amendment awaiting signature"),
    "terminate": ("terminate", ReasonRequiredSchema, "Terminate the contract (reason required)"),
    "cancel": ("cancel", ReasonRequiredSchema, "Cancel an unsigned contract (reason required)"),
    "complete": ("complete", CommandSchema, "Complete an active contract"),
})
