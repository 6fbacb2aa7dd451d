"""What the applications that follow contracts keep for one contract: its deliverables,
payouts, usage rights and make-good rules, for a caller who may see the contract."""

from collections.abc import Callable
from typing import Any

from application.common.actor import Actor
from application.common.links import (
    ContractRecords,
    DeliverableRecords,
    PayoutRecords,
    RightRecords,
    RuleRecords,
)
from domain.contract import Contract


class ContractParts:
    def __init__(self, contracts: ContractRecords, deliverables: DeliverableRecords,
                 payouts: PayoutRecords, usage_rights: RightRecords,
                 make_goods: RuleRecords) -> None:
        self.contracts, self.deliverables, self.payouts = contracts, deliverables, payouts
        self.usage_rights, self.make_goods = usage_rights, make_goods

    def deliverables_of(self, actor: Actor, contract_id: str) -> list[dict[str, Any]]:
        return self._of(actor, contract_id, self.deliverables.deliverables_of)

    def payouts_of(self, actor: Actor, contract_id: str) -> list[dict[str, Any]]:
        return self._of(actor, contract_id, self.payouts.payouts_of)

    def usage_rights_of(self, actor: Actor, contract_id: str) -> list[dict[str, Any]]:
        return self._of(actor, contract_id, self.usage_rights.rights_of)

    def make_goods_of(self, actor: Actor, contract_id: str) -> list[dict[str, Any]]:
        return self._of(actor, contract_id, self.make_goods.rules_of)

    def _of(self, actor: Actor, contract_id: str,
            read: Callable[[Actor, Contract], list[dict[str, Any]]]) -> list[dict[str, Any]]:
        # Another brand's contract is not found, before anything of it is read.
        return read(actor, self.contracts.find_visible(actor, contract_id))
