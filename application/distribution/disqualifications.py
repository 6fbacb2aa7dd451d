"""Disqualification for a breach (legal): the distributor is out of the program, and what
the ledger says they are owed — every commission they earned, less what refunds took
back, and the money their rewards carried — is forfeited, in the event and on the
ledger. No statement pays it later."""

from collections.abc import Callable
from typing import Any

from application.common.actor import Actor, requires
from application.distribution.programs import RULE_MAKERS, DistributionApp
from application.ports.read_models import ReadModelQueries


class Disqualifications:
    def __init__(self, distribution: DistributionApp, queries: ReadModelQueries,
                 catch_up: Callable[[], object]) -> None:
        """`catch_up` brings the ledger up to date with every order recorded so far."""
        self.distribution, self.queries, self.catch_up = distribution, queries, catch_up

    @requires(*RULE_MAKERS, action="disqualify distributors")
    def disqualify(self, actor: Actor, distributor_id: str, reason: str | None,
                   expected_version: int | None = None) -> dict[str, Any]:
        distributor = self.distribution.get_distributor(actor, distributor_id)
        self.catch_up()
        figures = self.queries.distribution_figures(distributor["program_id"]).get(
            distributor["id"], {})
        money = self.queries.distribution_reward_money(distributor["program_id"]).get(
            distributor["id"], 0)
        owed = figures.get("earned", 0) + figures.get("taken_back", 0) + money
        return self.distribution.disqualify(actor, distributor_id, reason, owed,
                                            expected_version)
