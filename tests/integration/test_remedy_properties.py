"""Whatever order the worker's rounds, the policies' catch-ups, new metrics, the passing of
time and legal's waivers come in, a breached rule's remedy is applied at most once, a fee
never goes below zero, and a rule legal waived leaves no remedy in force (one applied
while the waiver was on its way is given back)."""

from collections import Counter
from uuid import UUID

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from application.bootstrap import build_services
from application.errors import ApplicationError
from application.infrastructure.settings import Settings
from application.payments.payouts import payout_id
from application.rights.make_goods import CAUSE, WAIVED, rule_id
from domain.errors import DomainError
from domain.make_good import MakeGoodRule, RuleStatus
from domain.usage_right import UsageRight
from tests.builders import given_active_contract, given_published, given_team, valid_terms
from tests.clock import FakeClock

RULES = [  # two money remedies on the same milestone, and one that owes content
    {"key": "views", "deliverable_key": "video-1", "metric": "views", "threshold": 200_000,
     "window_days": 7, "remedy": "fee_reduction", "milestone_key": "accepted",
     "percent": "60"},
    {"key": "orders", "deliverable_key": "video-1", "metric": "orders", "threshold": 500,
     "window_days": 7, "remedy": "refund", "milestone_key": "accepted", "amount": 45_000},
    {"key": "likes", "deliverable_key": "video-1", "metric": "likes", "threshold": 1_000,
     "window_days": 10, "remedy": "repost"},
    {"key": "saves", "deliverable_key": "video-1", "metric": "saves", "threshold": 100,
     "window_days": 7, "remedy": "rights_extension", "extension_days": 30},
]
RIGHT = {"key": "repost", "channels": ["organic_repost"], "territories": ["CN"],
         "starts": "on_signature", "duration_days": 90}
RACE = ["advance", "advance", "evaluate", "policies", "waive"]
STEPS = st.lists(st.sampled_from(["evaluate", "policies", "advance", "measure", "waive"]),
                 min_size=1, max_size=14)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(steps=RACE, picks=[0] * 14)  # the fee reduction, applied as the waiver was given
@example(steps=RACE, picks=[2] * 14)  # the repost
@example(steps=RACE, picks=[3] * 14)  # the rights extension
@given(steps=STEPS, picks=st.lists(st.integers(0, 3), min_size=14, max_size=14))
def test_a_remedy_is_applied_at_most_once_whatever_happens_around_it(
        steps: list[str], picks: list[int]) -> None:
    services = build_services(Settings(database_url="memory://"), FakeClock())
    team = given_team(services)
    contract_id = given_active_contract(services, team, valid_terms(make_goods=RULES,
                                                                  usage_rights=[RIGHT]))
    published = given_published(services, team, contract_id)
    services.run_policies()
    rules = [str(rule_id(contract_id, rule["key"])) for rule in RULES]

    for step, pick in zip([*steps, "advance", "evaluate", "policies", "policies"], picks * 2,
                          strict=False):
        try:
            if step == "evaluate":
                services.make_goods.evaluate_due(rules)
            elif step == "policies":
                services.run_policies()
            elif step == "advance":
                services.make_goods.clock.advance(days=4)
            elif step == "measure":
                services.deliverables.record_metrics(team.ops, published, {
                    "source": "douyin", "measured_at": services.deliverables.clock.now(),
                    "counts": {"views": 90_000 * pick, "likes": 400 * pick,
                               "saves": 40 * pick}})
            else:
                services.make_goods.waive(team.legal, rules[pick], "Outage during the window")
        except (DomainError, ApplicationError):
            pass  # refused (e.g. waiving an applied remedy): nothing to check here

    events = [app.mapper.to_domain_event(n)
              for app in (services.make_goods, services.payouts, services.usage_rights)
              for n in app.recorder.select_notifications(start=1, limit=100_000)]
    applied = Counter(e.originator_id for e in events
                      if isinstance(e, MakeGoodRule.RemedyApplied))
    changes = Counter()  # type: ignore[var-annotated]
    for e in events:
        if isinstance(e, UsageRight.Extended):
            changes[e.extension.cause] += e.extension.days
    payout = services.payouts.repository.get(payout_id(contract_id, "accepted"))
    for cause, change in payout.adjustments:
        changes[cause] += change
    owed = services.deliverables.deliverables_of(team.ops, services.contracts.repository.get(
        UUID(contract_id)))
    reposts = [d for d in owed if d["key"].endswith("-repost")]

    assert all(n == 1 for n in applied.values())
    assert 0 <= payout.amount.amount <= 50_000
    assert len(reposts) <= 1
    for rule in (services.make_goods.repository.get(UUID(r)) for r in rules):
        remedy = changes[CAUSE.format(rule_id=rule.id)] + changes[WAIVED.format(rule_id=rule.id)]
        key = rule.term.key
        if rule.status is RuleStatus.WAIVED:
            assert remedy == 0
            assert key != "likes" or all(d["status"] == "cancelled" for d in reposts)
        elif rule.status is RuleStatus.REMEDY_APPLIED and key == "likes":
            assert [d["status"] for d in reposts] == ["pending"]
        elif rule.status is RuleStatus.REMEDY_APPLIED and key == "saves":
            assert remedy == 30
        elif rule.status is RuleStatus.REMEDY_APPLIED:  # money: unless nothing was left
            assert remedy < 0 or payout.amount.amount == 0
    services.close()
