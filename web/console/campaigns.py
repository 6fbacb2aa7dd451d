"""Campaigns: the brand's list, and one campaign's page: its brief, the board of its
contracts, the budget, the four-week plan with each week's check-ins, the mid-term
review, each creator's requirements (legal drafts from them), and its history; with
the forms ops run it by, and legal's way into a contract in it."""

from datetime import date
from typing import Any

from flask import request, url_for
from markupsafe import Markup
from werkzeug.wrappers.response import Response

from application.infrastructure.settings import ConfigurationError
from domain.campaign import CampaignStatus
from domain.campaign_plan import GoalState
from domain.errors import InvalidValue
from domain.money import minor_units
from web.console import blp, by_status, current_actor, page, require
from web.console.actions import acted, colleague_field, day_field, expected_version, field
from web.console.contracts import changed_since
from web.console.terms_form import lines
from web.lists import lists
from web.services import services

OPEN = ("planned", "running", "reviewing")
MOVES = {"start": ("start_campaign", "Started."), "review": ("begin_review", "Review begun."),
         "close": ("close_campaign", "Closed."), "cancel": ("cancel_campaign", "Cancelled.")}


@blp.get("/campaigns")
def campaigns() -> Response:
    return by_status("campaigns.html", lists().campaigns, [s.value for s in CampaignStatus],
                     "-starts_on")


@blp.get("/campaigns/<campaign_id>")
def campaign(campaign_id: str) -> Response:
    actor, kolpact = current_actor(), services()
    shown = kolpact.campaigns.get_campaign(actor, campaign_id)
    history = kolpact.campaigns.campaign_history(actor, campaign_id)
    boards = kolpact.campaign_boards
    if boards is None:
        raise ConfigurationError("Campaign boards need a SQLite or PostgreSQL store.")
    creators = lists().creators(actor, filters={}, sort="display_name", limit=200)
    return page("campaign.html", campaign=shown, board=boards.board(actor, campaign_id),
                history=list(reversed(history)), states=[s.value for s in GoalState],
                creators=creators.page.items, changed=changed_since(lambda: history))


@blp.post("/campaigns/<campaign_id>/<any(start, review, close, cancel):move>")
def move_campaign(campaign_id: str, move: str) -> Response:
    use_case, message = MOVES[move]
    command = getattr(services().campaigns, use_case)
    return _campaign_form(campaign_id, move, message, lambda: command(
        current_actor(), campaign_id, field("reason"), expected_version()))


@blp.post("/campaigns/<campaign_id>/hand-over")
def hand_over_campaign(campaign_id: str) -> Response:
    return _campaign_form(campaign_id, "hand-over", "Handed over.", lambda: services(
    ).campaigns.hand_over(current_actor(), campaign_id, colleague_field("email"),
                          field("reason"), expected_version()))


@blp.post("/campaigns/<campaign_id>/check-ins/<int:week>")
def check_in(campaign_id: str, week: int) -> Response:
    """One state (and a note) per goal of the week; goals left unmarked are not reported."""
    keys = request.form.getlist("goal_key")
    progress = [{"goal_key": key, "state": state, "note": field(f"note.{key}") or ""}
                for key in keys if (state := field(f"state.{key}"))]
    return _campaign_form(campaign_id, f"check-in-{week}", f"Week {week} checked in on.",
                          lambda: services().campaigns.check_in(current_actor(), campaign_id, {
                              "week": week, "progress": progress,
                              "adjustments": field("adjustments") or "",
                              "risks": lines(field("risks") or "")}, expected_version()))


@blp.post("/campaigns/<campaign_id>/mid-term-review")
def review_mid_term(campaign_id: str) -> Response:
    return _campaign_form(campaign_id, "mid-term", "Mid-term review recorded.", lambda: services(
    ).campaigns.review_mid_term(current_actor(), campaign_id, {
        "summary": field("summary") or "", "decisions": lines(field("decisions") or "")},
        expected_version()))


@blp.post("/campaigns/<campaign_id>/requirements")
def record_requirements(campaign_id: str) -> Response:
    return _campaign_form(campaign_id, "requirements", "Requirements recorded.",
                          lambda: services().campaigns.record_requirements(
                              current_actor(), campaign_id, {
                                  "creator_id": field("creator_id") or "",
                                  "ideas": lines(field("ideas") or ""),
                                  "requirements": lines(field("requirements") or "")},
                              expected_version()))


@blp.post("/campaigns/<campaign_id>/summaries")
def record_summary(campaign_id: str) -> Response:
    return acted("summary", lambda: services().campaign_summaries.record_summary(
        current_actor(), campaign_id, None, expected_version()),
        lambda written: url_for("console.summary", campaign_id=campaign_id,
                                number=written["number"]),
        "Summary written.", record=campaign_id,
        back=url_for("console.campaign", campaign_id=campaign_id))


@blp.get("/campaigns/<campaign_id>/summaries/<int:number>")
def summary(campaign_id: str, number: int) -> Response:
    """One summary, as people read it; `?check=1` writes it again from the events up to
    its moment and says whether it comes out the same."""
    actor, summaries = current_actor(), services().campaign_summaries
    shown = summaries.get_summary(actor, campaign_id, number)
    check = summaries.reproduce(actor, campaign_id, number) if request.args.get("check") \
        else None
    return page("summary.html", summary=shown, check=check,
                body=Markup(summaries.report(actor, campaign_id, number, "fragment")))


@blp.post("/contracts/<contract_id>/campaign")
def join_campaign(contract_id: str) -> Response:
    return acted("join", lambda: services().contracts.join_campaign(
        current_actor(), contract_id, field("campaign_id") or "", expected_version()),
        url_for("console.contract", contract_id=contract_id), "Now in the campaign.",
        record=contract_id)


@blp.post("/contracts/<contract_id>/leave-campaign")
def leave_campaign(contract_id: str) -> Response:
    return acted("leave", lambda: services().contracts.leave_campaign(
        current_actor(), contract_id, field("reason"), expected_version()),
        url_for("console.contract", contract_id=contract_id), "Out of the campaign.",
        record=contract_id)


def _campaign_form(campaign_id: str, form: str, message: str, do: Any) -> Response:
    return acted(form, do, url_for("console.campaign", campaign_id=campaign_id), message,
                 record=campaign_id)


# Planning: the brief (a new campaign, or revised) and a week of the plan.

@blp.get("/campaigns/new")
def new_campaign() -> Response:
    require("campaigns.plan_campaign")  # the page is nothing but its form
    return page("campaign_new.html")


@blp.post("/campaigns/new")
def plan_campaign() -> Response:
    return acted("brief", lambda: services().campaigns.plan_campaign(
        current_actor(), brief_from(request.form)),
        lambda planned: url_for("console.campaign", campaign_id=planned["id"]),
        "Planned, on the four-week rhythm.", record=None,
        back=url_for("console.new_campaign"))


@blp.post("/campaigns/<campaign_id>/brief")
def revise_brief(campaign_id: str) -> Response:
    return _campaign_form(campaign_id, "brief", "Brief revised.", lambda: services(
    ).campaigns.revise_brief(current_actor(), campaign_id, brief_from(request.form),
                             field("reason"), expected_version()))


@blp.post("/campaigns/<campaign_id>/weeks/<int:week>")
def revise_week(campaign_id: str, week: int) -> Response:
    return _campaign_form(campaign_id, f"week-{week}", f"Week {week} revised.", lambda: services(
    ).campaigns.revise_week(current_actor(), campaign_id, week_from(week, request.form),
                            field("reason"), expected_version()))


def brief_from(form: Any) -> dict[str, Any]:
    """The brief as the API takes it; the budget one amount a line ('300,000.00 CNY')."""
    budget, errors = [], {}
    for line in lines((form.get("budget") or "").replace(",", "")):
        amount, _, currency = line.rpartition(" ")
        try:
            budget.append({"amount": minor_units(amount, currency.upper()),
                           "currency": currency.upper()})
        except ValueError:
            errors["budget"] = f"'{line}': write the amount and the currency, such as " \
                               "'300000.00 CNY'"
    if errors:
        raise InvalidValue(errors)
    return {"name": field("name") or "", "promise": field("promise") or "",
            "angle": field("angle") or "", "call_to_action": field("call_to_action") or "",
            "mix": {"kol": _count("mix.kol"), "koc": _count("mix.koc")},
            "starts_on": day_field("starts_on"), "ends_on": day_field("ends_on"), "budget": budget}


def week_from(number: int, form: Any) -> dict[str, Any]:
    """A week: its goals one a line ('key: what'), its key dates one a line
    ('2026-12-24 Publication')."""
    goals, key_dates, errors = [], [], {}
    for line in (form.get("goals") or "").splitlines():
        if line.strip():
            key, _, text = line.partition(":")
            goals.append({"key": key.strip(), "text": text.strip()})
    for line in (form.get("key_dates") or "").splitlines():
        if line.strip():
            day, _, label = line.strip().partition(" ")
            try:
                key_dates.append({"on": date.fromisoformat(day), "label": label.strip()})
            except ValueError:
                errors["key_dates"] = f"'{line.strip()}': start with the date, YYYY-MM-DD"
    if errors:
        raise InvalidValue(errors)
    return {"number": number, "theme": field("theme") or "", "goals": goals,
            "key_dates": key_dates}


def _count(name: str) -> int:
    text = request.form.get(name, "").strip() or "0"
    if not text.isdigit():
        raise InvalidValue({name: "must be a whole number"})
    return int(text)
