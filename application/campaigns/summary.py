"""A campaign's monthly summary, computed from the events up to one moment.

What its contracts delivered (on time, late, overdue), which shipments were delayed
and why, the extensions granted, the compliance problems caught, the make-good rules
breached and remedied, the money committed, paid and held per currency, the cost
lens (cost per engaged view, per follower gained, per order), and the next month's
plan: the goals not done yet, carried over, and the creators to renew or to drop,
each with the reasons. Every figure comes from the contract families as they stood
at `as_of` (never from a read model), so summarising again as of the same moment
gives the same document, byte for byte.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from application.common.wording import environment
from application.reading.metrics_reports import RATIOS, with_ratios
from domain.campaign_plan import GoalState, PlanWeek, Summary
from domain.contract import ContractStatus

SIGNED = (ContractStatus.ACTIVE.value, ContractStatus.COMPLETED.value)
PUBLISHED = ("published", "accepted")
SETTLED = ("waived", "cancelled")
BREACHED = ("breached", "remedy_applied")
RESULTS = ("engaged_views", "follows", "orders")  # what the cost lens divides by


@dataclass(frozen=True)
class Member:
    """One contract of the campaign: its family's state and trail as of the moment."""

    creator_name: str
    state: dict[str, Any]  # contract, deliverables, shipments, payouts, make-good rules
    trail: list[dict[str, Any]]


def summarise(brief: dict[str, Any], plan: Iterable[PlanWeek],
              check_ins: Iterable[Any], members: list[Member], as_of: datetime
              ) -> dict[str, Any]:
    """The summary's document: plain JSON, in a stable order."""
    today = as_of.date().isoformat()
    deliverables = [_deliverable(m, d, today) for m in members
                    for d in m.state["deliverables"]]
    return {
        "campaign": {"name": brief["name"], "promise": brief["promise"],
                     "starts_on": brief["starts_on"], "ends_on": brief["ends_on"]},
        "as_of": as_of.isoformat(),
        "contracts": [{"contract_id": m.state["contract"]["id"],
                       "title": m.state["contract"]["title"], "creator": m.creator_name,
                       "status": m.state["contract"]["status"]} for m in members],
        "deliverables": {"total": len(deliverables),
                         "on_time": sum(d["outcome"] == "on_time" for d in deliverables),
                         "late": sum(d["outcome"] == "late" for d in deliverables),
                         "overdue": sum(d["outcome"] == "overdue" for d in deliverables),
                         "items": deliverables},
        "shipments_delayed": [s for m in members for s in _delays(m)],
        "extensions_granted": [e for m in members for e in _extensions(m)],
        "compliance": _compliance(members),
        "make_goods": [r for m in members for r in _make_goods(m)],
        "money": _money(members),
        "next_month": {"goals_carried_over": _open_goals(plan, check_ins),
                       "creators": [_renewal(m, deliverables) for m in members]},
    }


def digest(document: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(document)).hexdigest()


def canonical(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def _deliverable(member: Member, item: dict[str, Any], today: str) -> dict[str, Any]:
    published = (item["published_at"] or "")[:10] or None
    due = item["due_date"]
    if item["status"] in SETTLED:
        outcome = item["status"]
    elif published is not None:
        outcome = "on_time" if published <= due else "late"
    else:
        outcome = "overdue" if due < today else "open"
    return {"contract_id": item["contract_id"], "creator": member.creator_name,
            "key": item["key"], "item": item["index"], "due_date": due,
            "published_on": published, "outcome": outcome,
            "days_extended": item["extended_days"], "figures": item["latest_figures"]}


def _events(member: Member, application: str, event: str) -> list[dict[str, Any]]:
    return [e for e in member.trail if e["application"] == application and e["event"] == event]


def _delays(member: Member) -> list[dict[str, Any]]:
    delayed: dict[str, list[str]] = {}
    for event in _events(member, "shipments", "Delayed"):
        delayed.setdefault(str(event["aggregate_id"]), []).append(event["reason"] or "")
    return [{"shipment_id": shipment_id, "creator": member.creator_name,
             "delays": len(reasons), "reasons": reasons}
            for shipment_id, reasons in delayed.items()]


def _extensions(member: Member) -> list[dict[str, Any]]:
    keys = {str(d["id"]): d["key"] for d in member.state["deliverables"]}
    return [{"creator": member.creator_name, "deliverable": keys.get(str(e["aggregate_id"])),
             "reason": e["reason"], "on": e["time"].isoformat()[:10]
             if isinstance(e["time"], datetime) else str(e["time"])[:10]}
            for e in _events(member, "deliverables", "DueDateExtended")]


def _compliance(members: list[Member]) -> dict[str, Any]:
    kinds: dict[str, int] = {}
    for member in members:
        for item in member.state["deliverables"]:
            for submission in item["submissions"]:
                for violation in submission["violations"]:
                    kinds[violation["kind"]] = kinds.get(violation["kind"], 0) + 1
    return {"caught": sum(kinds.values()), "by_kind": dict(sorted(kinds.items()))}


def _make_goods(member: Member) -> list[dict[str, Any]]:
    return [{"creator": member.creator_name, "rule": rule["key"], "status": rule["status"],
             "remedy": rule["term"]["remedy"]}
            for rule in member.state["make_good_rules"] if rule["status"] in BREACHED]


def _money(members: list[Member]) -> dict[str, dict[str, Any]]:
    """Per currency: fees of signed contracts (committed), payouts paid (net of what was
    reversed) and held, and what the committed money bought per result."""
    money: dict[str, dict[str, Any]] = {}
    results: dict[str, dict[str, int]] = {}
    for member in members:
        contract = member.state["contract"]
        fee = contract["terms"]["fee"]
        line = money.setdefault(fee["currency"], {"committed": 0, "paid": 0, "held": 0})
        totals = results.setdefault(fee["currency"], dict.fromkeys(RESULTS, 0))
        if contract["status"] in SIGNED:
            line["committed"] += fee["amount"]
        for payout in member.state["payouts"]:
            amount = payout["amount"]["amount"]
            paid = money.setdefault(payout["amount"]["currency"],
                                    {"committed": 0, "paid": 0, "held": 0})
            if payout["status"] in ("paid", "reversed"):
                paid["paid"] += amount - (payout["reversed_amount"] or {}).get("amount", 0)
            elif payout["status"] == "held":
                paid["held"] += amount
        for item in member.state["deliverables"]:
            for result in RESULTS:
                totals[result] += item["latest_figures"].get(result, 0)
    for currency, line in money.items():
        got = results.get(currency, dict.fromkeys(RESULTS, 0))
        ratios = with_ratios({"currency": currency, "cost": line["committed"], **got})
        line |= {"results": got, **{name: ratios[name] for name in RATIOS.values()}}
    return dict(sorted(money.items()))


def _open_goals(plan: Iterable[PlanWeek], check_ins: Iterable[Any]) -> list[dict[str, Any]]:
    """Each goal whose latest check-in is not done (or that no check-in reported)."""
    latest: dict[tuple[int, str], str] = {}
    for checked in check_ins:
        for line in checked.check_in.progress:
            latest[(checked.check_in.week, line.goal_key)] = line.state.value
    return [{"week": week.number, "goal": goal.key, "text": goal.text,
             "last_state": latest.get((week.number, goal.key))}
            for week in plan for goal in week.goals
            if latest.get((week.number, goal.key)) != GoalState.DONE.value]


def _renewal(member: Member, deliverables: list[dict[str, Any]]) -> dict[str, Any]:
    """Renew a creator who delivered on time and met their targets; drop one who was
    late, is overdue or breached a make-good rule; otherwise decide next month."""
    contract_id = member.state["contract"]["id"]
    theirs = [d for d in deliverables if d["contract_id"] == contract_id]
    reasons = [f"{d['key']} {d['outcome'].replace('_', ' ')}" for d in theirs
               if d["outcome"] in ("late", "overdue")]
    reasons += [f"make-good rule {r['rule']} breached" for r in _make_goods(member)]
    delivered = theirs and all(d["outcome"] in ("on_time", *SETTLED) for d in theirs)
    advice = "drop" if reasons else "renew" if delivered else "decide next month"
    waiting = "deliverables still open" if theirs else "the contract is not in force yet"
    return {"creator": member.creator_name, "contract_id": contract_id, "advice": advice,
            "reasons": reasons or (["every deliverable on time"] if delivered else [waiting])}


def summary_markdown(summary: Summary) -> str:
    """The summary for people, as Markdown (the console and the API render it to HTML)."""
    return _markdown.render(s=summary.document, number=summary.number,
                            digest=summary.digest) + "\n"


def summary_html(summary: Summary) -> str:
    """The same, as one self-contained HTML page."""
    return _page.render(title=f"{summary.document['campaign']['name']}: summary "
                              f"{summary.number}", body=Markup(summary_fragment(summary)))


def summary_fragment(summary: Summary) -> str:
    """The summary as HTML to put inside a page. Markdown-it escapes any HTML in it (a
    reason typed as <script> shows as text) and refuses javascript: links."""
    return str(_to_html.render(summary_markdown(summary)))


_markdown = environment().get_template("readable/campaign_summary.md")
_page = environment().get_template("readable/page.html")
_to_html = MarkdownIt("commonmark", {"html": False})
