"""/api/v1/metrics: platform CSV imports (ops) and summaries (every reader)."""

from typing import Any

from application.common.spreadsheets import decoded
from web.auth import allowed, current_actor
from web.blueprint import Blueprint
from web.schemas.metrics import (
    CostLensQuerySchema,
    CostLensSchema,
    ImportQuerySchema,
    ImportResultSchema,
    SummaryQuerySchema,
    SummarySchema,
)
from web.services import reading, services
from web.uploads import file_body, uploaded_file

blp = Blueprint("metrics", __name__, url_prefix="/api/v1/metrics",
                description="Content metrics: CSV imports, summaries and the cost lens.")

@blp.route("/imports", methods=["POST"])
@allowed(lambda: services().deliverables.import_metrics)
@blp.arguments(ImportQuerySchema, location="query")
@blp.response(201, ImportResultSchema)
@blp.doc(requestBody=file_body("text/csv"))
def import_csv(query: dict[str, Any]) -> Any:
    """Import a platform's CSV export: every row is recorded, or none (422 with each
    row's problems)"""
    result = services().deliverables.import_metrics(current_actor(), uploaded_text(),
                                                    query["source"])
    return result, 201


def uploaded_text() -> str:
    return decoded(uploaded_file())


@blp.route("/summary")
@blp.arguments(SummaryQuerySchema, location="query")
@blp.response(200, SummarySchema)
def summary(query: dict[str, Any]) -> Any:
    """What the content achieved, for one deliverable, contract or campaign (read model)"""
    return reports().summary(current_actor(), **as_text(query))


@blp.route("/cost-lens")
@blp.arguments(CostLensQuerySchema, location="query")
@blp.response(200, CostLensSchema)
def cost_lens(query: dict[str, Any]) -> Any:
    """Cost per engaged view, per follower gained and per order, by campaign, creator,
    contract or deliverable, per currency (read model)"""
    by = query.pop("by")
    return reports().cost_lens(current_actor(), by, **as_text(query))


def reports() -> Any:
    return reading("metrics", "Metric reports")


def as_text(query: dict[str, Any]) -> dict[str, str | None]:
    return {k: (str(v) if v is not None else None) for k, v in query.items()}
