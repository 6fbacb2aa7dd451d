"""Demo data: one brand, a user per role with tokens, creators, two contracts (one active,
with its deliverables) and a shipment of samples on its way, a campaign half run, and a
KOC distribution program with a month of orders."""

import secrets
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from application.bootstrap import Services
from application.common.actor import Actor, system_actor
from application.demo_distribution import seed_program
from application.errors import NotFound, Unauthenticated
from domain.deliverable import Stage

DEMO_URL = "https://brand.example/payouts/onboarding"
ROLES = {"legal": ["legal"], "ops": ["ops"], "finance": ["finance"],
         "finance_approver": ["finance"], "auditor": ["auditor"], "admin": ["admin"]}

CREATORS: list[dict[str, Any]] = [
    {"display_name": "Lin Xiaomei", "kind": "KOL", "categories": ["beauty", "skincare"],
     "handles": [{"platform": "xiaohongshu", "handle": "linxiaomei", "followers": 820_000,
                  "engagement_rate_bp": 410},
                 {"platform": "douyin", "handle": "xiaomei.lin", "followers": 1_250_000,
                  "engagement_rate_bp": 280}],
     "price_ranges": [{"format": "short_video", "currency": "CNY", "min_amount": 3_000_000,
                       "max_amount": 5_000_000}],
     "contact": {"email": "agent@linxiaomei.example", "wechat_id": "lxm_agent"}},
    {"display_name": "Chen Hao Reviews", "kind": "KOL", "categories": ["tech", "gadgets"],
     "handles": [{"platform": "bilibili", "handle": "chenhao", "followers": 430_000,
                  "engagement_rate_bp": 520}]},
    {"display_name": "Ava Stone", "kind": "KOL", "categories": ["lifestyle"],
     "handles": [{"platform": "instagram", "handle": "avastone", "followers": 310_000,
                  "engagement_rate_bp": 350}]},
    {"display_name": "Zhou Ling", "kind": "KOC", "categories": ["skincare"],
     "handles": [{"platform": "xiaohongshu", "handle": "zhouling_daily", "followers": 8_400,
                  "engagement_rate_bp": 760}]},
    {"display_name": "Wang Jun", "kind": "KOC", "categories": ["food", "family"],
     "handles": [{"platform": "weibo", "handle": "wangjun_eats", "followers": 5_100,
                  "engagement_rate_bp": 690}]},
]


def demo_terms(today: date) -> dict[str, Any]:
    due = today + timedelta(days=21)
    return {
        "fee": {"amount": 4_000_000, "currency": "CNY"},
        "deliverables": [
            {"key": "video-1", "kind": "short_video", "platform": "douyin", "due_date": due,
             "spec": {"video_length_seconds": 60}},
            {"key": "note-1", "kind": "post", "platform": "xiaohongshu", "due_date": due,
             "spec": {"image_count": 6}},
        ],
        "usage_rights": [{"key": "repost", "channels": ["organic_repost", "paid_ads"],
                          "territories": ["CN"], "starts": "on_publication",
                          "duration_days": 90}],
        "approved_claims": ["Hydrates for 24 hours"],
        "required_disclosures": ["广告", "#ad"],
        "flagged_categories": ["health"],
        "tracking": {"landing_url": "https://shop.example.com/winter-serum",
                     "campaign_code": "winter-serum"},
        "milestones": [
            {"key": "signing", "label": "On signature", "amount": 1_200_000,
             "trigger": "on_signature"},
            {"key": "video", "label": "Video accepted", "amount": 2_800_000,
             "trigger": "on_deliverable_accepted", "deliverable_key": "video-1"},
        ],
        "make_goods": [{"key": "views", "deliverable_key": "video-1", "metric": "views",
                        "threshold": 200_000, "window_days": 7, "remedy": "fee_reduction",
                        "milestone_key": "video", "percent": "20"}],
        "buffer_days": 3,
    }


def seed_demo(services: Services) -> dict[str, Any]:
    """Seeds a fresh demo brand; each call makes a new one, so it can run again safely."""
    system, suffix = system_actor(), secrets.token_hex(3)
    brand_id = services.identity.register_brand(system, f"Demo Beauty Co. ({suffix})")
    tokens = {}
    for label, roles in ROLES.items():
        user_id = services.identity.register_user(
            system, f"{label.replace('_', '.')}+{suffix}@demo.kolpact.test",
            label.replace("_", " ").title(), roles, [brand_id])
        tokens[label] = services.identity.issue_token(system, user_id, "demo")[1]
    legal = services.identity.authenticate(tokens["legal"])
    ops = services.identity.authenticate(tokens["ops"])
    creators = [services.creators.register_creator(ops, profile)["id"] for profile in CREATORS]
    terms = demo_terms(services.contracts.clock.now().date())
    draft = services.contracts.draft_contract(legal, creators[3], "Winter serum seeding (KOC)",
                                              terms, campaign="Winter serum launch")
    active = services.contracts.draft_contract(legal, creators[0], "Winter serum hero video",
                                               terms, campaign="Winter serum launch")["id"]
    services.contracts.send_for_signature(legal, active)
    services.contracts.sign_for_brand(legal, active, "Demo Legal", "Head of Legal")
    services.contracts.record_creator_acceptance(ops, active, "Lin Xiaomei")
    services.run_policies()  # the active contract's deliverables exist from the start
    deliverables = [d["id"] for d in services.deliverables.deliverables_of(
        ops, services.contracts.repository.get(UUID(active)))]
    shipment = ship_samples(services, ops, active, deliverables[0])
    if services.payouts.gateway is not None:  # the contracted creators can be paid at once
        for creator_id in (creators[0], creators[3]):
            services.payouts.open_payout_account(ops, creator_id, "CN", None, DEMO_URL,
                                                 DEMO_URL)
    payouts = [p["id"] for p in services.payouts.payouts_of(
        legal, services.contracts.repository.get(UUID(active)))]
    missed = published_short_of_target(services, legal, ops, creators[1], terms)
    campaign = campaign_half_run(services, ops, [draft["id"], active, missed], creators[3])
    remember_creators(services, ops, creators)
    distribution = seed_program(services, legal, ops)
    return {"brand_id": brand_id, "tokens": tokens, "creators": creators,
            "campaign": campaign, **distribution,
            "contracts": {"draft": draft["id"], "active": active, "missed_target": missed},
            "deliverables": [str(d) for d in deliverables], "shipment": shipment,
            "payouts": [str(p) for p in payouts]}


def published_short_of_target(services: Services, legal: Actor, ops: Actor, creator_id: str,
                              terms: dict[str, Any]) -> str:
    """A contract whose video went live nine days ago and reached 150,000 views of the
    200,000 its make-good rule asks for in seven days: the background worker finds the
    window closed and takes 20 % off the video's milestone. Its engaged views, followers
    gained and orders give the campaign's cost lens something to divide by."""
    contract_id = str(services.contracts.draft_contract(
        legal, creator_id, "Winter serum teaser (published)", terms,
        campaign="Winter serum launch")["id"])
    services.contracts.send_for_signature(legal, contract_id)
    services.contracts.sign_for_brand(legal, contract_id, "Demo Legal", "Head of Legal")
    services.contracts.record_creator_acceptance(ops, contract_id, "Creator")
    services.run_policies()
    app, now = services.deliverables, services.deliverables.clock.now()
    video = next(d for d in app.deliverables_of(
        ops, services.contracts.repository.get(UUID(contract_id))) if d["key"] == "video-1")
    for stage, content in ((Stage.OUTLINE, "Teaser outline #ad 广告"),
                           (Stage.DRAFT, "Hydrates for 24 hours. #ad 广告")):
        app.submit(ops, video["id"], stage, content)
        app.approve(ops, video["id"], stage)
    app.publish(ops, video["id"], "https://www.douyin.com/video/7300000000000000001",
                now - timedelta(days=9))
    app.record_metrics(ops, video["id"], {"source": "douyin export",
                                          "measured_at": now - timedelta(days=3),
                                          "counts": {"views": 150_000, "likes": 4_200,
                                                     "engaged_views": 36_000,
                                                     "follows": 850, "orders": 120}})
    services.run_policies()
    return contract_id


def campaign_half_run(services: Services, ops: Actor, contract_ids: list[str],
                      drafting_for: str) -> str:
    """The winter push, ten days into its four weeks: weeks 1 and 2 checked in on, the
    three contracts in it, and the ideas of the creator whose contract is still a draft
    recorded for legal."""
    today = services.campaigns.clock.now().date()
    starts = today - timedelta(days=10)
    campaign_id = str(services.campaigns.plan_campaign(ops, {
        "name": "Winter serum launch", "promise": "Skin that stays calm all winter.",
        "angle": "Dermatologist-led morning routines in the cold",
        "call_to_action": "Buy the serum on Tmall before 12.12",
        "mix": {"kol": 2, "koc": 10}, "starts_on": starts,
        "ends_on": starts + timedelta(days=27),
        "budget": [{"amount": 30_000_000, "currency": "CNY"}]})["id"])
    campaigns = services.campaigns
    campaigns.start_campaign(ops, campaign_id, "Kick-off call held")
    campaigns.record_requirements(ops, campaign_id, {
        "creator_id": drafting_for, "ideas": ["A ski-chalet morning routine"],
        "requirements": ["Samples in 30 ml and 50 ml", "No filming before 10 am"]})
    campaigns.check_in(ops, campaign_id, {"week": 1, "progress": [
        {"goal_key": goal, "state": "done"} for goal in
        ("background", "expected-results", "creator-requirements", "preliminary-plan")]})
    campaigns.check_in(ops, campaign_id, {
        "week": 2, "progress": [
            {"goal_key": "themes-formats", "state": "done"},
            {"goal_key": "progress", "state": "at_risk",
             "note": "The hero video's samples are still on their way"}],
        "adjustments": "Shoot the teaser first", "risks": ["Samples arrive late"]})
    for contract_id in contract_ids:
        services.contracts.join_campaign(ops, contract_id, campaign_id)
    return campaign_id


def remember_creators(services: Services, ops: Actor, creators: list[str]) -> None:
    """Ops own the brand's creators, with notes and contacts (Lin Xiaomei is waiting for a
    follow-up today), and two folders of them."""
    today = services.creators.clock.now().date()
    for creator_id in creators:
        services.creators.assign_owner(ops, creator_id, ops.user_id)
    services.creators.add_note(ops, creators[0], "Films at home in Shanghai; prefers WeChat "
                                                 "voice notes to calls")
    services.creators.log_contact(ops, creators[0], {
        "channel": "wechat", "summary": "Confirmed the hero video's date; asked for the "
                                        "50 ml serum as a spare", "next_follow_up": today})
    services.creators.log_contact(ops, creators[3], {
        "channel": "email", "summary": "Sent the seeding brief and the draft terms",
        "next_follow_up": today + timedelta(days=3)})
    services.creators.create_folder(ops, "Winter push KOLs", creators[:2])
    services.creators.create_folder(ops, "Skincare KOCs Shanghai", creators[3:])


def ship_samples(services: Services, ops: Actor, contract_id: str, deliverable_id: str) -> str:
    """Serum for the hero video, on its way: delay it to see an extension proposed."""
    shipment = services.shipments.prepare(
        ops, contract_id,
        [{"sku": "SERUM-30ML", "quantity": 2},
         {"sku": "SERUM-50ML", "quantity": 1, "spare": True, "alternative_to": "SERUM-30ML"}],
        {"recipient": "Lin Xiaomei", "line1": "88 Huaihai Middle Rd", "city": "Shanghai",
         "country": "CN", "postal_code": "200020"}, [deliverable_id])
    eta = services.shipments.clock.now().date() + timedelta(days=3)
    services.shipments.dispatch(ops, shipment["id"], "SF Express", "SF1029384756", eta)
    return str(shipment["id"])


def demo_still_present(services: Services, seeded: dict[str, Any]) -> bool:
    """Whether an earlier seed's brand is still in this store (the store may be new)."""
    try:
        services.identity.get_brand(seeded["brand_id"])
        services.identity.authenticate(seeded["tokens"]["legal"])
    except (NotFound, Unauthenticated, KeyError, TypeError):
        return False
    return True
