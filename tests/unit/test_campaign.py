"""Campaigns: the brief, the four-week plan, the lifecycle, check-ins and requirements."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from domain.campaign import Campaign, CampaignStatus
from domain.campaign_plan import (
    Brief,
    CheckIn,
    CreatorMix,
    CreatorRequirements,
    GoalProgress,
    GoalState,
    KeyDate,
    MidTermReview,
    PlanWeek,
    default_plan,
)
from domain.errors import InvalidTransition, InvalidValue
from domain.money import Money

STARTS = date(2026, 12, 7)
NOW = datetime(2026, 12, 9, 10, 0, tzinfo=UTC)
BRIEF = Brief(name="Winter serum launch", promise="Skin that stays calm all winter.",
              starts_on=STARTS, ends_on=STARTS + timedelta(days=27),
              angle="Dermatologist-led routines", call_to_action="Buy the serum on Tmall",
              mix=CreatorMix(kol=2, koc=20),
              budget=(Money(50_000_000, "CNY"), Money(1_000_000, "USD")))


def planned(**changes: object) -> Campaign:
    return Campaign.plan_campaign(actor="ops", brand_id="b", owner="ops",
                                  brief=replace(BRIEF, **changes))  # type: ignore[arg-type]


def running() -> Campaign:
    campaign = planned()
    campaign.start("ops", None)
    return campaign


def test_a_campaign_gets_the_four_week_rhythm_dated_from_its_first_day() -> None:
    campaign = planned()

    assert campaign.status is CampaignStatus.PLANNED
    assert [w.theme for w in campaign.plan] == [
        "Initiation and goals", "Content refinement", "Production and warm-up",
        "Publish, live support and data review"]
    assert campaign.plan[0].key_dates[0] == KeyDate("Kick-off", STARTS)
    assert campaign.plan[3].key_dates[-1].on == STARTS + timedelta(days=27)
    assert "creator-requirements" in campaign.plan[0].goal_keys()
    assert campaign.brief.budget_in("CNY") == 50_000_000 and campaign.brief.budget_in("EUR") \
        is None


def test_a_brief_is_checked_with_each_problem_named() -> None:
    with pytest.raises(InvalidValue) as refused:
        planned(name=" ", ends_on=STARTS - timedelta(days=1), mix=CreatorMix(kol=-1),
                budget=(Money(1, "CNY"), Money(2, "CNY"), Money(3, "ABC")))

    assert set(refused.value.errors) == {"name", "ends_on", "mix.kol", "budget",
                                         "budget[2].currency"}


def test_it_runs_planned_running_reviewing_closed() -> None:
    campaign = planned()

    campaign.start("ops", None)
    campaign.begin_review("ops", "Week 4 published")
    campaign.close("ops", None)

    assert campaign.status is CampaignStatus.CLOSED
    with pytest.raises(InvalidTransition, match="closed"):
        campaign.cancel("ops", "Too late")


def test_it_closes_only_after_a_review_and_is_cancelled_only_with_a_reason() -> None:
    campaign = running()

    with pytest.raises(InvalidTransition, match="only a campaign under review closes"):
        campaign.close("ops", None)
    with pytest.raises(InvalidValue, match="reason"):
        campaign.cancel("ops", " ")
    campaign.cancel("ops", "Product recall")

    assert campaign.status is CampaignStatus.CANCELLED
    with pytest.raises(InvalidTransition):
        campaign.revise_brief("ops", replace(BRIEF, name="Other"), None)


def test_a_week_of_the_plan_is_revised_and_an_unchanged_one_records_nothing() -> None:
    campaign = planned()
    week2 = replace(campaign.plan[1], key_dates=(KeyDate("Outlines approved",
                                                         STARTS + timedelta(days=12)),))

    campaign.revise_week("ops", week2, "Creator travelling")
    version = campaign.version
    campaign.revise_week("ops", week2, None)

    assert campaign.plan[1] == week2 and campaign.version == version
    with pytest.raises(InvalidValue) as refused:
        campaign.revise_week("ops", PlanWeek(5, " "), None)
    assert set(refused.value.errors) == {"week.number", "week.theme"}


def test_a_check_in_speaks_of_the_weeks_own_goals_while_the_campaign_runs() -> None:
    campaign = planned()
    on_track = CheckIn(week=1, progress=(
        GoalProgress("background", GoalState.DONE),
        GoalProgress("creator-requirements", GoalState.AT_RISK, "Two creators not answering")),
        adjustments="Call them on WeChat", risks=("Kick-off slips a day",))

    with pytest.raises(InvalidTransition, match="running"):
        campaign.check_in("ops", NOW, on_track)
    campaign.start("ops", None)
    campaign.check_in("ops", NOW, on_track)

    assert [(c.by, c.at, c.check_in.week) for c in campaign.check_ins] == [("ops", NOW, 1)]
    with pytest.raises(InvalidValue) as refused:
        campaign.check_in("ops", NOW, CheckIn(week=2, progress=(
            GoalProgress("background", GoalState.DONE),
            GoalProgress("progress", GoalState.DONE), GoalProgress("progress", GoalState.BEHIND))))
    assert set(refused.value.errors) == {"progress[0].goal_key", "progress[2].goal_key"}
    with pytest.raises(InvalidValue, match="from 1 to 4"):
        campaign.check_in("ops", NOW, CheckIn(week=9, progress=()))


def test_a_creators_requirements_are_kept_per_creator_for_legal() -> None:
    campaign = planned()
    asked = CreatorRequirements("k1", ideas=("Morning routine in a ski chalet",),
                                requirements=("Samples in size M and L",))

    campaign.record_requirements("ops", asked)
    version = campaign.version
    campaign.record_requirements("ops", asked)  # the same again: nothing new

    assert campaign.requirements == {"k1": asked} and campaign.version == version
    with pytest.raises(InvalidValue, match="at least one idea"):
        campaign.record_requirements("ops", CreatorRequirements("k2"))


def test_a_mid_term_review_and_a_handover_are_recorded() -> None:
    campaign = running()

    campaign.review_mid_term("ops", MidTermReview("Views behind on Douyin",
                                                  ("Move budget to Xiaohongshu",)))
    campaign.hand_over("ops", "ops-2", "Mia leaves the team")

    assert campaign.mid_term_review is not None and campaign.owner == "ops-2"
    with pytest.raises(InvalidValue, match="reason"):
        campaign.hand_over("ops-2", "ops", None)
    with pytest.raises(InvalidValue, match="already owns"):
        campaign.hand_over("ops", "ops-2", "Again")


def test_a_plan_must_hold_each_of_the_four_weeks_once() -> None:
    weeks = default_plan(STARTS)

    with pytest.raises(InvalidValue, match="weeks 1 to 4"):
        Campaign.plan_campaign(actor="ops", brand_id="b", owner="ops", brief=BRIEF,
                               plan=weeks[:3])
    with pytest.raises(InvalidValue, match="used twice"):
        Campaign.plan_campaign(actor="ops", brand_id="b", owner="ops", brief=BRIEF,
                               plan=(replace(weeks[0], goals=weeks[0].goals[:1] * 2),
                                     *weeks[1:]))
