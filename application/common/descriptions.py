"""Descriptions of aggregates as plain dicts of values: what use cases hand to web/ and the CLI.

Value objects (terms, signatures) stay typed so that response schemas can document them.
"""

from dataclasses import asdict, fields
from datetime import date
from functools import singledispatch
from typing import Any

from eventsourcing.domain import Aggregate

from domain.campaign import Campaign
from domain.contract import Contract
from domain.creator import Creator
from domain.deliverable import Deliverable
from domain.identity import Brand, User
from domain.money import Money
from domain.payout import Payout
from domain.shipment import Shipment
from domain.tracking import tracking_code
from domain.usage_right import UsageRight


def _record(aggregate: Aggregate) -> dict[str, Any]:
    return {
        "id": str(aggregate.id),
        "version": aggregate.version,
        "created_at": aggregate.created_on,
        "updated_at": aggregate.modified_on,
    }


def describe_brand(brand: Brand) -> dict[str, Any]:
    return {**_record(brand), "name": brand.name, "dual_control": brand.dual_control,
            "two_approvers_above": [{"amount": amount, "currency": currency} for
                                    currency, amount in sorted(brand.two_approvers_above.items())]}


def describe_user(user: User) -> dict[str, Any]:
    return {**_record(user), "email": user.email, "name": user.name,
            "roles": list(user.roles), "brand_ids": list(user.brand_ids),
            "active": user.active}


def describe_creator(creator: Creator) -> dict[str, Any]:
    profile = {f.name: getattr(creator.profile, f.name) for f in fields(creator.profile)}
    return {**_record(creator), "brand_id": creator.brand_id, "status": creator.status.value,
            **profile, "payout_account_ready": creator.payout_account_ready,
            "personal_data_erased": creator.personal_data_erased,
            "owner_id": creator.owner, "next_follow_up": creator.next_follow_up,
            "notes": [{"by": n.by, "at": n.at, "text": n.note.text, "erased": n.note.erased}
                      for n in creator.notes],
            "contacts": [{"by": c.by, "channel": c.contact.channel.value, "at": c.contact.at,
                          "summary": c.contact.summary.text,
                          "erased": c.contact.summary.erased,
                          "next_follow_up": c.contact.next_follow_up}
                         for c in creator.contacts],
            "payout_requirements": list(creator.payout_requirements)}


def describe_deliverable(deliverable: Deliverable) -> dict[str, Any]:
    return {**_record(deliverable), "brand_id": deliverable.brand_id,
            "contract_id": deliverable.contract_id, "creator_id": deliverable.creator_id,
            "key": deliverable.term.key, "index": deliverable.index, "term": deliverable.term,
            "status": deliverable.status.value, "submissions": list(deliverable.submissions),
            "url": deliverable.url, "published_at": deliverable.published_at,
            "due_date": deliverable.due_date, "extended_days": deliverable.extended_days,
            "buffer_days": deliverable.buffer_days, "review_days": deliverable.review_days,
            "campaign": deliverable.campaign,
            "proposals": [{**asdict(p), "open": p.number in deliverable.open_proposals}
                          for p in deliverable.proposals],
            "metrics_recorded": len(deliverable.metrics),
            "latest_figures": deliverable.latest_counts(),
            "tracking": None if deliverable.tracking is None else {
                "code": tracking_code(str(deliverable.id)),
                "landing_url": deliverable.tracked_link()}}


def describe_shipment(shipment: Shipment) -> dict[str, Any]:
    return {**_record(shipment), "brand_id": shipment.brand_id,
            "contract_id": shipment.contract_id, "creator_id": shipment.creator_id,
            "deliverable_ids": list(shipment.deliverable_ids), "items": list(shipment.items),
            "address": shipment.address, "status": shipment.status.value,
            "carrier": shipment.carrier, "tracking_number": shipment.tracking_number,
            "eta": shipment.eta, "delivered_at": shipment.delivered_at}


def describe_payout(payout: Payout) -> dict[str, Any]:
    return {**_record(payout), "brand_id": payout.brand_id, "contract_id": payout.contract_id,
            "creator_id": payout.creator_id, "campaign": payout.campaign,
            "milestone": payout.milestone, "bonus": payout.is_bonus,
            "calculation": payout.calculation, "amount": payout.amount,
            "status": payout.status.value, "due_cause": payout.due_cause,
            "rail": payout.rail.value if payout.rail else None,
            "requested_by": payout.requested_by, "approvals_needed": payout.approvals_needed,
            "approved_by": list(payout.approved_by), "attempts": list(payout.attempts),
            "reference": payout.reference, "hold_reason": payout.hold_reason,
            "failure": None if payout.failure is None else {
                "code": payout.failure[0], "message": payout.failure[1]},
            "reversed_amount": payout.reversed_amount,
            "held_from": payout.held_from.value if payout.held_from else None,
            "cuts_awaiting_outcome": _money_or_none(sum(c for _, c in payout.deferred),
                                                    payout.amount.currency),
            "owed_back": _money_or_none(payout.owed_back, payout.amount.currency)}


def _money_or_none(amount: int, currency: str) -> Money | None:
    return Money(amount, currency) if amount else None


def describe_usage_right(right: UsageRight, today: date) -> dict[str, Any]:
    """`last_day` and `days_left` as the right stands today."""
    last = right.last_day(today)
    return {**_record(right), "brand_id": right.brand_id, "contract_id": right.contract_id,
            "creator_id": right.creator_id, "campaign": right.campaign, "key": right.term.key,
            "term": right.term, "status": right.status.value, "granted_on": right.granted_on,
            "starts_on": right.starts_on, "last_day": last,
            "days_left": None if last is None else (last - today).days,
            "extensions": list(right.extensions),
            "revoked": None if right.revoked is None else {
                "on": right.revoked[0], "reason": right.revoked[1]}}


def describe_campaign(campaign: Campaign) -> dict[str, Any]:
    return {**_record(campaign), "brand_id": campaign.brand_id, "status": campaign.status.value,
            "owner_id": campaign.owner, "brief": campaign.brief, "plan": list(campaign.plan),
            "check_ins": list(campaign.check_ins), "mid_term_review": campaign.mid_term_review,
            "requirements": [campaign.requirements[k] for k in sorted(campaign.requirements)],
            "summaries": [{"number": s.number, "as_of": s.as_of, "digest": s.digest,
                           "written_by": s.by} for s in campaign.summaries]}


def describe_contract(contract: Contract) -> dict[str, Any]:
    return {
        **_record(contract),
        "brand_id": contract.brand_id,
        "creator_id": contract.creator_id,
        "title": contract.title,
        "campaign": contract.campaign,
        "campaign_id": contract.campaign_id,
        "status": contract.status.value,
        "terms_version": contract.terms_version,
        "terms_hash": contract.terms.fingerprint(),
        "terms": contract.terms,
        "proposed_amendment": None if contract.proposed_terms is None else {
            "terms_version": contract.latest_version,
            "terms_hash": contract.proposed_terms.fingerprint(),
            "terms": contract.proposed_terms,
        },
        "awaiting_signature_version": contract.version_awaiting_signature(),
        "signatures_collected": list(contract.awaiting.values()),
        "signatures_in_force": list(contract.signed.values()),
    }


@singledispatch
def describe(record: Any) -> dict[str, Any]:
    """The description of any record, by its type."""
    raise TypeError(f"no description for {type(record).__name__}")


for _kind, _describe in ((Brand, describe_brand), (User, describe_user),
                         (Creator, describe_creator), (Deliverable, describe_deliverable),
                         (Shipment, describe_shipment), (Contract, describe_contract),
                         (Payout, describe_payout), (Campaign, describe_campaign)):
    describe.register(_kind, _describe)
