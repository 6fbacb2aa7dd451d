"""Given-steps shared by the tests: valid terms, a brand with one user per role, records."""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from application.bootstrap import Services, build_services
from application.common.actor import Actor, system_actor
from application.infrastructure.settings import Settings
from domain.deliverable import Stage

ROLES = ("legal", "ops", "finance", "auditor", "admin")


def valid_terms(fee: int = 100_000, currency: str = "CNY", **overrides: Any) -> dict[str, Any]:
    due = (date.today() + timedelta(days=30)).isoformat()
    terms = {
        "fee": {"amount": fee, "currency": currency},
        "deliverables": [{"key": "video-1", "kind": "short_video", "platform": "douyin",
                          "due_date": due, "spec": {"video_length_seconds": 60}}],
        "milestones": [
            {"key": "signing", "label": "On signature", "amount": fee // 2,
             "trigger": "on_signature"},
            {"key": "accepted", "label": "Video accepted", "amount": fee - fee // 2,
             "trigger": "on_deliverable_accepted", "deliverable_key": "video-1"},
        ],
        "required_disclosures": ["#ad"],
    }
    return {**terms, **overrides}


REPOST_RIGHT = {"key": "repost", "channels": ["organic_repost", "paid_ads"],
                "territories": ["CN"], "starts": "on_signature", "duration_days": 90}
VIEWS_RULE = {"key": "views", "deliverable_key": "video-1", "metric": "views",
              "threshold": 100_000, "window_days": 7, "remedy": "repost"}


def family_terms(**overrides: Any) -> dict[str, Any]:
    """Terms that give rise to every kind of record: deliverable, payouts, right, rule."""
    return valid_terms(**{"usage_rights": [REPOST_RIGHT], "make_goods": [VIEWS_RULE],
                          **overrides})


def creator_profile(name: str = "Mia Chen") -> dict[str, Any]:
    return {"display_name": name, "kind": "KOL",
            "handles": [{"platform": "douyin", "handle": f"h{uuid.uuid4().hex[:8]}",
                         "followers": 120_000, "engagement_rate_bp": 310}]}


@dataclass
class Team:
    """A brand and one user (with a token) per role, plus a second legal and finance user."""

    brand_id: str
    actors: dict[str, Actor]
    tokens: dict[str, str]

    def __getattr__(self, role: str) -> Actor:
        try:
            return self.actors[role]
        except KeyError:
            raise AttributeError(role) from None


def given_team(services: Services, dual_control: bool = False) -> Team:
    system, suffix = system_actor(), uuid.uuid4().hex[:8]
    brand_id = services.identity.register_brand(system, f"Brand {suffix}", dual_control)
    actors, tokens = {}, {}
    for label, role in [(r, r) for r in ROLES] + [("legal2", "legal"), ("finance2", "finance")]:
        user_id = services.identity.register_user(
            system, f"{label}-{suffix}@brand.test", label.title(), [role], [brand_id])
        tokens[label] = services.identity.issue_token(system, user_id, "test")[1]
        actors[label] = services.identity.authenticate(tokens[label])
    return Team(brand_id, actors, tokens)


def given_creator(services: Services, team: Team) -> str:
    return str(services.creators.register_creator(team.ops, creator_profile())["id"])


def given_draft(services: Services, team: Team, terms: dict[str, Any] | None = None,
                **overrides: Any) -> str:
    creator_id = given_creator(services, team)
    return str(services.contracts.draft_contract(team.legal, creator_id, "Winter launch",
                                                 terms or valid_terms(**overrides))["id"])


def given_active_contract(services: Services, team: Team,
                          terms: dict[str, Any] | None = None) -> str:
    contract_id = given_draft(services, team, terms)
    services.contracts.send_for_signature(team.legal, contract_id)
    services.contracts.sign_for_brand(team.legal, contract_id, "Lee Legal")
    services.contracts.record_creator_acceptance(team.ops, contract_id, "Mia Chen")
    return contract_id


SHIPPED_ITEMS = [{"sku": "SERUM-30ML", "quantity": 2}]
SHIPPING_ADDRESS = {"recipient": "Mia Chen", "line1": "1 Nanjing Rd", "city": "Shanghai",
                    "country": "CN", "phone": "+86 138 0000 0000"}


def given_shipment(services: Services, team: Team, contract_id: str) -> str:
    return str(services.shipments.prepare(team.ops, contract_id, SHIPPED_ITEMS,
                                          SHIPPING_ADDRESS)["id"])


def event_count(services: Services) -> int:
    """How many events the whole store holds: bad input must never change it."""
    return sum(app.recorder.max_notification_id() or 0
               for app in services.applications().values())


def events_in(settings: Settings) -> int:
    """event_count of the store the settings name, opened for the count (as a command
    run in another process would leave it)."""
    services = build_services(settings)
    try:
        return event_count(services)
    finally:
        services.close()


def given_published(services: Services, team: Team, contract_id: str) -> str:
    """The contract's (one) deliverable, reviewed and published; returns its id."""
    services.run_policies()
    app = services.deliverables
    (owed,) = app.deliverables_of(team.ops, services.contracts.repository.get(
        uuid.UUID(contract_id)))
    for stage in (Stage.OUTLINE, Stage.DRAFT):
        app.submit(team.ops, owed["id"], stage, "Morning routine #ad")
        app.approve(team.ops, owed["id"], stage)
    app.publish(team.ops, owed["id"], "https://www.douyin.com/video/1")
    return str(owed["id"])


BONUS = {"deliverable_key": "video-1", "window_days": 14, "rate_metric": "orders",
         "rate": 1_500, "tier_metric": "engaged_views",
         "tiers": [{"at_least": 100_000, "amount": 50_000},
                   {"at_least": 500_000, "amount": 200_000}], "cap": 300_000}


def bonus_terms() -> dict[str, Any]:
    terms = valid_terms()
    terms["milestones"][1]["bonus"] = BONUS
    return terms


def given_bonus_results(services: Services, team: Team, **counts: int) -> str:
    """An active contract with a bonus, its video published with these figures; the id."""
    contract_id = given_active_contract(services, team, bonus_terms())
    published = given_published(services, team, contract_id)
    services.deliverables.record_metrics(team.ops, published, {
        "source": "douyin export", "measured_at": services.deliverables.clock.now(),
        "counts": counts})
    services.run_policies()
    return contract_id


def campaign_brief(**changes: Any) -> dict[str, Any]:
    starts = date.today() + timedelta(days=7)
    return {"name": "Winter serum launch", "promise": "Skin that stays calm all winter.",
            "starts_on": starts.isoformat(), "ends_on": (starts + timedelta(days=27)).isoformat(),
            "angle": "Dermatologist-led routines", "call_to_action": "Buy on Tmall",
            "mix": {"kol": 2, "koc": 10},
            "budget": [{"amount": 50_000_000, "currency": "CNY"}], **changes}


def given_campaign(services: Services, team: Team, **changes: Any) -> str:
    return str(services.campaigns.plan_campaign(team.ops, campaign_brief(**changes))["id"])
