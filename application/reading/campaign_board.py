"""A campaign's board: each contract in it with its state, next item due, what is
overdue or awaiting review, shipments late and payouts awaiting approval; and the
budget against what is committed (the fees of signed contracts), paid and held, per
currency, with a warning before a signature would take the campaign over budget.

Read from the read models, so a write of a moment ago may not show yet.
"""

from typing import Any

from application.common.actor import READERS, Actor, requires
from application.common.clock import Clock
from application.common.links import ContractRecords, Records
from application.common.wording import money
from application.ports.read_models import CampaignFigures, ReadModelQueries
from application.reading.metrics_reports import with_ratios
from domain.campaign import Campaign
from domain.contract import Contract, ContractStatus

SIGNED = (ContractStatus.ACTIVE.value, ContractStatus.COMPLETED.value)  # fees committed


class CampaignBoards:
    def __init__(self, queries: ReadModelQueries, campaigns: Records,
                 contracts: ContractRecords, clock: Clock) -> None:
        self.queries, self.campaigns, self.contracts = queries, campaigns, contracts
        self.clock = clock

    @requires(*READERS, action="read campaign boards")
    def board(self, actor: Actor, campaign_id: str) -> dict[str, Any]:
        campaign: Campaign = self.campaigns.find_visible(actor, campaign_id)
        found = self._figures(campaign)
        return {"campaign_id": str(campaign.id), "name": campaign.brief.name,
                "status": campaign.status.value,
                "contracts": [contract_line(row, found) for row in found.contracts],
                "budget": budget_lines(campaign, found),
                "performance": self._performance(campaign, found)}

    def _performance(self, campaign: Campaign, found: CampaignFigures) -> dict[str, Any]:
        """The cost lens over the campaign's contracts: by creator and by deliverable kind."""
        scope = {"contract_ids": [c["contract_id"] for c in found.contracts]}
        brands = [campaign.brand_id]
        return {"by_creator": [with_ratios(r) for r in self.queries.lens_by_group(
                    brands, "creator", scope)],
                "by_kind": [with_ratios(r) for r in self.queries.lens_by_kind(brands, scope)]}

    @requires(*READERS, action="read contracts")
    def signing_warnings(self, actor: Actor, contract_id: str) -> list[str]:
        """Before the brand signs: whether the contract's fee takes its campaign over the
        budget in its currency (a warning; signing is legal's call)."""
        contract: Contract = self.contracts.find_visible(actor, contract_id)
        if contract.campaign_id is None or contract.status.value in SIGNED:
            return []
        campaign: Campaign = self.campaigns.find(contract.campaign_id)
        fee = contract.terms.fee
        committed = sum(row["fee_amount"] for row in self._figures(campaign).contracts
                        if row["status"] in SIGNED and row["currency"] == fee.currency
                        and row["contract_id"] != str(contract.id))
        budget = campaign.brief.budget_in(fee.currency)
        name = campaign.brief.name
        if budget is None:
            return [f"{name} has no budget in {fee.currency}: this fee is outside its plan."]
        if committed + fee.amount > budget:
            return [f"Signing takes {name} over its {fee.currency} budget: "
                    f"{money(committed, fee.currency)} is committed of "
                    f"{money(budget, fee.currency)}, and this contract adds "
                    f"{money(fee.amount, fee.currency)}."]
        return []

    def _figures(self, campaign: Campaign) -> CampaignFigures:
        return self.queries.campaign_figures([campaign.brand_id], str(campaign.id),
                                             self.clock.now().date())


def contract_line(row: dict[str, Any], found: CampaignFigures) -> dict[str, Any]:
    contract_id = row["contract_id"]
    return {"contract_id": contract_id, "creator_id": row["creator_id"],
            "creator_name": row["creator_name"], "title": row["title"],
            "status": row["status"], "active_since": row["active_since"],
            "fee": {"amount": row["fee_amount"], "currency": row["currency"]},
            **found.deliverables[contract_id],
            "late_shipments": found.late_shipments.get(contract_id, 0),
            "payouts_awaiting_approval": found.awaiting_approval.get(contract_id, 0)}


def budget_lines(campaign: Campaign, found: CampaignFigures) -> list[dict[str, Any]]:
    """Per currency: the budget, what signed contracts commit, what was paid and is held,
    and what remains of the budget once the commitments are met."""
    committed: dict[str, int] = {}
    for row in found.contracts:
        if row["status"] in SIGNED:
            committed[row["currency"]] = committed.get(row["currency"], 0) + row["fee_amount"]
    currencies = sorted({m.currency for m in campaign.brief.budget} | set(committed)
                        | set(found.money))
    lines = []
    for currency in currencies:
        budget = campaign.brief.budget_in(currency)
        spent = committed.get(currency, 0)
        lines.append({"currency": currency, "budget": budget, "committed": spent,
                      "paid": found.money.get(currency, {}).get("paid", 0),
                      "held": found.money.get(currency, {}).get("held", 0),
                      "remaining": None if budget is None else budget - spent,
                      "over_budget": budget is not None and spent > budget})
    return lines
