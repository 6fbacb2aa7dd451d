"""Legal drafts a contract on a page: the creator, the fee, the deliverables, the payment
schedule, the usage rights and what must and may be said, as the API's terms. Each
field is named by its place in the terms (`deliverables[0].due_date`), so a problem the
terms' own rules find is shown next to the field it concerns."""

from typing import Any

from flask import request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers.response import Response

from domain.errors import InvalidValue
from domain.money import minor_units
from domain.obligations import MilestoneTrigger, RightStart
from domain.vocabulary import Channel, DeliverableKind, Platform
from web.console import blp, current_actor, page, require
from web.console.actions import acted, field
from web.lists import lists
from web.services import services

ROWS = 3  # rows of deliverables and milestones on the page; blank ones are left out
CURRENCIES = ("CNY", "USD", "EUR", "HKD", "JPY", "KRW", "SGD", "GBP")


@blp.get("/contracts/new")
def new_contract() -> Response:
    require("contracts.draft_contract")  # the page is nothing but its form
    creators = lists().creators(current_actor(), filters={}, sort="display_name", limit=200)
    return page("draft.html", creators=creators.page.items, rows=range(ROWS),
                currencies=CURRENCIES, kinds=list(DeliverableKind), platforms=list(Platform),
                triggers=list(MilestoneTrigger), channels=list(Channel),
                starts=list(RightStart))


@blp.post("/contracts/new")
def draft_contract() -> Response:
    def draft() -> Any:
        return services().contracts.draft_contract(
            current_actor(), field("creator_id") or "", field("title") or "",
            terms_from(request.form), field("campaign"))
    return acted("draft", draft, lambda drafted: url_for("console.contract",
                                                         contract_id=drafted["id"]),
                 "Drafted.", record=None, back=url_for("console.new_contract"))


def terms_from(form: MultiDict[str, str]) -> dict[str, Any]:
    """The terms as the API takes them; amounts typed in major units ('12,000.50')."""
    errors: dict[str, str] = {}
    currency = form.get("fee.currency", "CNY")

    def amount(name: str) -> int | None:
        text = form.get(name, "").strip()
        if not text:
            return None
        try:
            return minor_units(text, currency)
        except ValueError as error:
            errors[name] = str(error)
            return None

    def text(name: str) -> str:
        return form.get(name, "").strip()

    deliverables = [{"key": text(f"deliverables[{i}].key"),
                     "kind": text(f"deliverables[{i}].kind"),
                     "platform": text(f"deliverables[{i}].platform"),
                     "due_date": text(f"deliverables[{i}].due_date"),
                     "quantity": int(text(f"deliverables[{i}].quantity") or 1)
                     if text(f"deliverables[{i}].quantity").isdigit() else 1,
                     "review_required": f"deliverables[{i}].review_required" in form,
                     "description": text(f"deliverables[{i}].description")}
                    for i in range(ROWS) if text(f"deliverables[{i}].key")]
    milestones = [{"key": text(f"milestones[{i}].key"), "label": text(f"milestones[{i}].label"),
                   "amount": amount(f"milestones[{i}].amount"),
                   "trigger": text(f"milestones[{i}].trigger"),
                   **optional(deliverable_key=text(f"milestones[{i}].deliverable_key"),
                              due_date=text(f"milestones[{i}].due_date"))}
                  for i in range(ROWS) if text(f"milestones[{i}].key")]
    rights = [{"key": text("usage_rights[0].key"), "channels": form.getlist(
        "usage_rights[0].channels"), "territories": lines(text("usage_rights[0].territories")),
        "starts": text("usage_rights[0].starts"),
        **optional(duration_days=int(text("usage_rights[0].duration_days"))
                   if text("usage_rights[0].duration_days").isdigit() else "")}] \
        if text("usage_rights[0].key") else []
    terms = {"fee": {"amount": amount("fee.amount"), "currency": currency},
             "deliverables": deliverables, "milestones": milestones, "usage_rights": rights,
             "required_disclosures": lines(text("required_disclosures")),
             "approved_claims": lines(text("approved_claims")),
             "buffer_days": int(text("buffer_days")) if text("buffer_days").isdigit() else 0}
    if errors:
        raise InvalidValue(errors)
    return terms


def lines(text: str) -> list[str]:
    """One item a line (or comma-separated, for short lists)."""
    parts = text.splitlines() if "\n" in text else text.split(",")
    return [part.strip() for part in parts if part.strip()]


def optional(**values: Any) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value not in ("", None)}
