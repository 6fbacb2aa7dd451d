"""/api/v1/audit: chain checks, seals, and checking an exported bundle (auditors).

A contract family's export is at /api/v1/contracts/{id}/audit-export.
"""

from typing import Any

from flask import request

from web.auth import allowed, current_actor
from web.blueprint import Blueprint
from web.schemas.audit import (
    BundleCheckSchema,
    PublicKeySchema,
    SealListSchema,
    VerificationRequestSchema,
    VerificationSchema,
)
from web.services import services

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit",
                description="Tamper-evident history: chain checks, seals and exports.")


@blp.route("/verifications", methods=["POST"])
@allowed(lambda: services().audit.verify)
@blp.arguments(VerificationRequestSchema)
@blp.response(201, VerificationSchema)
def verify(body: dict[str, Any]) -> Any:
    """Check the hash chain of a contract family and every seal (auditor or legal); the
    check is recorded. The whole store is checked by the installation's operators, with
    `kolpact audit verify`"""
    contract_id = body["contract_id"]
    return services().audit.verify(current_actor(),
                                   None if contract_id is None else str(contract_id))


@blp.route("/seals")
@blp.response(200, SealListSchema)
def seals() -> Any:
    """Every recorded seal (made with `kolpact audit seal`)"""
    return {"seals": services().audit.seals(current_actor())}


@blp.route("/export-checks", methods=["POST"])
@allowed(lambda: services().audit.check_bundle)
@blp.doc(requestBody={"content": {"application/zip": {"schema": {
    "type": "string", "format": "binary"}}}, "required": True})
@blp.response(200, BundleCheckSchema)
def check_export() -> Any:
    """Check an exported bundle (the zip as the body) as an outside auditor would; the
    check is recorded"""
    return services().audit.check_bundle(current_actor(), request.get_data())


@blp.route("/public-key")
@blp.response(200, PublicKeySchema)
def public_key() -> Any:
    """The key audit exports are signed with: give it to your auditors (null: unsigned)"""
    return {"public_key": services().audit.public_key()}
