"""Each person's home page: what needs them now, one section per list, for each of their
roles."""

from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers.response import Response

from application.errors import NotFound
from domain.identity import Role
from web.console import blp, current_actor, page, paged
from web.lists import lists
from web.services import services

SHOWN = 10  # rows per section; the section's own page has the rest


def me() -> str:
    return current_actor().user_id


def today() -> Any:
    return services().creators.clock.now().date()


@dataclass(frozen=True)
class Section:
    title: str
    kind: str  # the list it shows: contracts, deliverables, payouts, shipments, ...
    filters: dict[str, Any] = field(default_factory=dict)  # a function: asked each time
    sort: str = "-created_at"
    empty: str = "Nothing here."

    def filters_now(self) -> dict[str, Any]:
        return {k: v() if callable(v) else v for k, v in self.filters.items()}


SECTIONS: dict[Role, list[Section]] = {
    Role.LEGAL: [
        Section("Drafts", "contracts", {"status": "draft"}, empty="No drafts."),
        Section("Awaiting signature", "contracts", {"status": "sent_for_signature"},
                empty="Nothing is out for signature."),
        Section("Non-compliant drafts awaiting your decision", "deliverables",
                {"needs_legal": True}, "due_date", "No draft needs an override decision."),
        Section("Usage rights ending within 30 days", "usage_rights",
                {"expiring_within": 30}, "last_day", "No right ends within 30 days."),
    ],
    Role.OPS: [
        Section("Your follow-ups due", "creators", {"owner_id": me, "follow_up_by": today},
                "next_follow_up", "No creator of yours is waiting for a follow-up."),
        Section("Overdue deliverables", "deliverables", {"overdue": True}, "due_date",
                "Nothing is overdue."),
        Section("Due within 7 days", "deliverables", {"due_within_days": 7}, "due_date",
                "Nothing is due this week."),
        Section("Awaiting review", "deliverables", {"awaiting_review": True}, "due_date",
                "Nothing awaits review."),
        Section("Extension proposals", "deliverables", {"has_proposals": True}, "due_date",
                "No extension is proposed."),
        Section("Shipments late", "shipments", {"late": True}, "-updated_at",
                "No shipment is late."),
        Section("Shipments delayed", "shipments", {"state": "delayed"}, "-updated_at",
                "No shipment is delayed."),
        Section("Shipments on their way", "shipments", {"state": "in_transit"}, "-updated_at",
                "No shipment is on its way."),
    ],
    Role.FINANCE: [
        Section("Awaiting your approval", "payouts", {"awaiting_my_approval": True},
                "-updated_at", "Nothing awaits your approval."),
        Section("Due: ready to request", "payouts", {"status": "due"}, "-updated_at",
                "No payout is due."),
        Section("Failed", "payouts", {"status": "failed"}, "-updated_at",
                "No payout has failed."),
        Section("Held", "payouts", {"status": "held"}, "-updated_at", "No payout is held."),
    ],
    Role.AUDITOR: [
        Section("Recent activity", "activity", {}, "-time", "No activity yet."),
        Section("Hash-chain checks", "activity", {"aggregate": "ChainCheck"}, "-time",
                "No check yet: run one from a contract's history page."),
        Section("Audit exports", "activity", {"aggregate": "AuditExport"}, "-time",
                "Nothing exported yet."),
    ],
}


@blp.get("/home/<any(legal, ops, finance, auditor):role>/<int:number>")
def section(role: str, number: int) -> Response:
    """One home section's whole list, a page at a time."""
    actor, sections = current_actor(), SECTIONS[Role(role)]
    actor.require(Role(role), action="read this list")
    if not 0 <= number < len(sections):
        raise NotFound("No such list.")
    chosen = sections[number]
    return page("section.html", section=chosen, role=role, number=number,
                found=paged(getattr(lists(), chosen.kind), chosen.filters_now(), chosen.sort))


@blp.get("/home")
def home() -> Response:
    actor = current_actor()
    available = lists()
    shown = []
    for role in Role:
        if role not in actor.roles:
            continue
        for number, section in enumerate(SECTIONS.get(role, [])):
            listing = getattr(available, section.kind)(actor, filters=section.filters_now(),
                                                   sort=section.sort, limit=SHOWN)
            shown.append((role, number, section, listing.page))
    kolpact = services()
    reconciliation = kolpact.reconciliation.latest(actor) \
        if Role.FINANCE in actor.roles and kolpact.reconciliation is not None else None
    seals = kolpact.audit.seals(actor) if Role.AUDITOR in actor.roles else None
    return page("home.html", sections=shown, reconciliation=reconciliation,
                last_seal=seals[-1] if seals else None, auditing=seals is not None)
