"""An app over a real store, a brand with one user per role, and a client that speaks for them."""

import uuid
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import Any

import pytest
from flask.testing import FlaskClient

from application.bootstrap import Services
from application.common.actor import system_actor
from application.payments.payouts import payout_id
from application.rights.make_goods import rule_id
from application.rights.usage_rights import right_id
from domain.deliverable import Stage
from doubles.stripe_server import StripeState
from tests.builders import (
    SHIPPED_ITEMS,
    SHIPPING_ADDRESS,
    Team,
    creator_profile,
    event_count,
    family_terms,
    given_active_contract,
    given_campaign,
    given_creator,
    given_draft,
    given_team,
    valid_terms,
)
from tests.payments import in_process_gateway
from web import create_app

API = "/api/v1"
LANDING_URL = "https://shop.example.com/serum?lang=zh"


def tracked_terms() -> dict[str, Any]:
    return family_terms(tracking={"landing_url": LANDING_URL, "campaign_code": "spring"},
                        buffer_days=3)


class Api:
    """Calls the API as a role of the team (or with explicit headers)."""

    def __init__(self, client: FlaskClient, services: Services, team: Team) -> None:
        self.client, self.services, self.team = client, services, team

    def call(self, method: str, path: str, role: str | None = "legal", json: Any = None,
             headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        all_headers = dict(headers or {})
        if role is not None:
            all_headers["Authorization"] = f"Bearer {self.team.tokens[role]}"
        return self.client.open(API + path, method=method, json=json, headers=all_headers,
                                **kwargs)

    def events(self) -> int:
        return event_count(self.services)


PROGRAM_RULES = {"currency": "CNY",
                 "commissions": [{"sku": "SERUM-30", "rate_bp": 2000, "second_level_bp": 500}],
                 "levels": [{"key": "bronze", "name": "Bronze"}]}


class World:
    """Records in the states the endpoints need, made only when a test asks for them."""

    def __init__(self, services: Services, team: Team) -> None:
        self.services, self.team = services, team

    @cached_property
    def creator(self) -> str:
        return given_creator(self.services, self.team)

    @cached_property
    def paused_creator(self) -> str:
        creator_id = given_creator(self.services, self.team)
        self.services.creators.pause(self.team.ops, creator_id)
        return creator_id

    @cached_property
    def draft(self) -> str:
        return given_draft(self.services, self.team)

    @cached_property
    def sent(self) -> str:
        contract_id = given_draft(self.services, self.team)
        self.services.contracts.send_for_signature(self.team.legal, contract_id)
        return contract_id

    @cached_property
    def active(self) -> str:
        return given_active_contract(self.services, self.team)

    @cached_property
    def amending(self) -> str:
        contract_id = given_active_contract(self.services, self.team)
        self.services.contracts.propose_amendment(self.team.legal, contract_id,
                                                  valid_terms(fee=120_000), reason="More")
        return contract_id

    @cached_property
    def owned_creator(self) -> str:
        """A creator ops own, in the directory already."""
        creator_id = given_creator(self.services, self.team)
        self.services.creators.assign_owner(self.team.ops, creator_id, self.team.ops.user_id)
        assert self.services.read_models is not None
        self.services.read_models.catch_up()
        return creator_id

    def hand_over_body(self) -> dict[str, Any]:
        """Ops leave: their creators (one, at least) go to legal."""
        assert self.owned_creator
        return {"from_user_id": self.team.ops.user_id, "to_user_id": self.team.legal.user_id,
                "reason": "Leaving"}

    @cached_property
    def folder(self) -> str:
        return str(self.services.creators.create_folder(self.team.ops, "Beauty KOCs")["id"])

    @cached_property
    def campaign(self) -> str:
        return given_campaign(self.services, self.team)

    @cached_property
    def running_campaign(self) -> str:
        campaign_id = given_campaign(self.services, self.team)
        self.services.campaigns.start_campaign(self.team.ops, campaign_id)
        return campaign_id

    @cached_property
    def program(self) -> str:
        return str(self.services.distribution.create_program(self.team.legal, "Glow KOCs",
                                                             PROGRAM_RULES)["id"])

    @cached_property
    def koc(self) -> str:
        profile = {**creator_profile("Lin"), "kind": "KOC"}
        return str(self.services.creators.register_creator(self.team.ops, profile)["id"])

    @cached_property
    def distributor(self) -> str:
        return str(self.services.distribution.enrol(self.team.ops, self.program, self.koc,
                                                    "external")["id"])

    @cached_property
    def order(self) -> str:
        """A recorded order's shop id."""
        body = self.order_body()
        self.services.distribution.record_orders(self.team.ops, self.program, body["orders"])
        return str(body["orders"][0]["order_id"])

    def order_body(self) -> dict[str, Any]:
        """One new order of the distributor's."""
        return {"orders": [{"order_id": f"T-{uuid.uuid4().hex[:8]}",
                            "placed_at": datetime.now(UTC).isoformat(), "currency": "CNY",
                            "distributor": self.distributor,
                            "lines": [{"sku": "SERUM-30", "quantity": 1, "amount": 29_900}]}]}

    @property
    def brand(self) -> str:
        return self.team.brand_id

    @cached_property
    def user(self) -> str:
        return str(self.services.identity.register_user(
            system_actor(), f"new-{uuid.uuid4().hex[:8]}@brand.test", "New User", ["ops"],
            [self.team.brand_id]))

    @cached_property
    def token(self) -> str:
        return self.services.identity.issue_token(system_actor(), self.user, "test")[0]

    def user_body(self) -> dict[str, Any]:
        return {"email": f"hire-{uuid.uuid4().hex[:8]}@brand.test", "name": "New Hire",
                "roles": ["legal"], "brand_ids": [self.team.brand_id]}

    def _new_deliverable(self) -> str:
        contract_id = given_active_contract(self.services, self.team, tracked_terms())
        self.services.run_policies()
        contract = self.services.contracts.repository.get(uuid.UUID(contract_id))
        (owed,) = self.services.deliverables.deliverables_of(self.team.ops, contract)
        return str(owed["id"])

    @cached_property
    def deliverable(self) -> str:
        return self._new_deliverable()

    @cached_property
    def outline_submitted(self) -> str:
        deliverable_id = self._new_deliverable()
        self.services.deliverables.submit(self.team.ops, deliverable_id, Stage.OUTLINE,
                                          "Outline #ad")
        return deliverable_id

    @cached_property
    def draft_submitted(self) -> str:
        deliverable_id = self.outline_submitted
        self.services.deliverables.approve(self.team.ops, deliverable_id, Stage.OUTLINE)
        self.services.deliverables.submit(self.team.ops, deliverable_id, Stage.DRAFT,
                                          "Draft #ad")
        return deliverable_id

    @cached_property
    def published(self) -> str:
        deliverable_id = self.draft_submitted
        self.services.deliverables.approve(self.team.ops, deliverable_id, Stage.DRAFT)
        self.services.deliverables.publish(self.team.ops, deliverable_id,
                                           "https://www.douyin.com/video/1")
        return deliverable_id

    @cached_property
    def shipment(self) -> str:
        contract_id = given_active_contract(self.services, self.team)
        return str(self.services.shipments.prepare(self.team.ops, contract_id, SHIPPED_ITEMS,
                                                   SHIPPING_ADDRESS)["id"])

    @cached_property
    def payout(self) -> str:
        """The due payout of an active contract (its signing milestone)."""
        contract_id = self.services.deliverables.get_deliverable(
            self.team.ops, self._new_deliverable())["contract_id"]
        return str(payout_id(contract_id, "signing"))

    @cached_property
    def right(self) -> str:
        """The usage right an active contract grants (90 days of reposts and ads in CN)."""
        contract_id = self.services.deliverables.get_deliverable(
            self.team.ops, self.deliverable)["contract_id"]
        return str(right_id(contract_id, "repost"))

    @cached_property
    def rule(self) -> str:
        """The armed make-good rule of an active contract."""
        contract_id = self.services.deliverables.get_deliverable(
            self.team.ops, self.deliverable)["contract_id"]
        return str(rule_id(contract_id, "views"))

    @cached_property
    def requested_payout(self) -> str:
        """A payout whose release the second finance user requested."""
        self.services.payouts.request_release(self.team.finance2, self.payout)
        return self.payout

    @cached_property
    def proposed(self) -> str:
        """A deliverable whose shipment was delayed two days: an extension is proposed."""
        deliverable_id = self._new_deliverable()
        contract_id = str(self.services.deliverables.get_deliverable(
            self.team.ops, deliverable_id)["contract_id"])
        shipment = self.services.shipments.prepare(self.team.ops, contract_id, SHIPPED_ITEMS,
                                                   SHIPPING_ADDRESS, [deliverable_id])
        eta = date.today() + timedelta(days=3)
        self.services.shipments.dispatch(self.team.ops, shipment["id"], "SF", "SF1", eta)
        self.services.shipments.delay(self.team.ops, shipment["id"], "Customs",
                                      eta + timedelta(days=2))
        self.services.run_policies()
        return deliverable_id

    def shipment_body(self) -> dict[str, Any]:
        return {"contract_id": given_active_contract(self.services, self.team),
                "items": SHIPPED_ITEMS, "address": SHIPPING_ADDRESS}

    def make(self, *records: str) -> None:
        """Creates the named records now, before a test starts counting or listing."""
        for record in records:
            getattr(self, record)

    def new_contract_body(self) -> dict[str, Any]:
        return {"creator_id": self.creator, "title": "Spring drop", "terms": valid_terms()}

    def creator_body(self) -> dict[str, Any]:
        return creator_profile("New Creator")


SHARED_APPS: dict[int, tuple[Services, FlaskClient]] = {}  # one app per shared store


@pytest.fixture
def api(durable_services: Services) -> Api:
    durable_services.payouts.gateway = in_process_gateway(StripeState())
    client = SHARED_APPS.get(id(durable_services), (None, None))[1]
    if client is None:
        client = create_app({"KOLPACT_SERVICES": durable_services, "TESTING": True}
                            ).test_client()
        if getattr(durable_services, "shared", False):
            SHARED_APPS[id(durable_services)] = (durable_services, client)
    return Api(client, durable_services, given_team(durable_services))


@pytest.fixture
def world(api: Api) -> World:
    return World(api.services, api.team)
