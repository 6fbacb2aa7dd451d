"""The payout worker: `kolpact payouts process`, also run by `kolpact serve --with-projections`.

Each round: date milestones whose day has come fall due and bonuses whose window
closed are calculated (bring_payouts_due, which the background worker also runs
without a gateway); approved and submitted Stripe payouts are paid (see
payout_processor). Which payouts to look at comes from the payouts ledger; the
payout records themselves decide what happens.
"""

from collections.abc import Sequence
from typing import Any

from application.bootstrap import Services
from application.infrastructure.settings import ConfigurationError
from application.payments.payout_processor import Outcome, PayoutProcessor
from application.payments.reconciliation import Mismatch
from projections.registry import ReadModels


class PayoutWorker:
    def __init__(self, services: Services) -> None:
        ledger(services)
        if services.payouts.gateway is None:
            raise ConfigurationError("No payment gateway is configured: set "
                                     "KOLPACT_STRIPE_API_KEY.")
        self.services = services
        self.processor = PayoutProcessor(services.payouts, services.payouts.gateway)

    def run_once(self) -> Outcome:
        bring_payouts_due(self.services)
        payable = ledger_ids(self.services, "(status IN ('approved', 'submitted') OR "
                                            "held_from = 'submitted') AND "
                                            "(rail IS NULL OR rail = 'stripe')")
        return self.processor.pay_all(payable)


def bring_payouts_due(services: Services) -> dict[str, int]:
    """Dated milestones whose day has come fall due; bonuses whose window closed are
    calculated. Returns how many of each."""
    ledger(services).catch_up(["payouts_ledger"])
    today = services.payouts.clock.now().date()
    dated = ledger_ids(services, "status = 'scheduled' AND trigger = 'on_date' AND "
                                 "due_date <= %s AND kind = 'milestone'", [today.isoformat()])
    bonuses = ledger_ids(services, "kind = 'bonus' AND (status = 'scheduled' OR "
                                   "(status = 'held' AND held_from = 'scheduled'))")
    return {"fell_due": services.payouts.fall_due_on(today, dated),
            "bonuses_settled": services.payouts.settle_bonuses(bonuses)}


def reconcile(services: Services) -> list[Mismatch]:
    """Stripe's transfers against every payout recorded as paid (see reconcile)."""
    if services.payouts.gateway is None or services.read_models is None:
        raise ConfigurationError("Reconciling needs KOLPACT_STRIPE_API_KEY and a SQLite or "
                                 "PostgreSQL store.")
    ledger(services).catch_up(["payouts_ledger"])
    paid = ledger_ids(services, "status IN ('paid', 'reversed')")
    found: list[Mismatch] = services.reconciliation.run(services.payouts.gateway, paid)
    return found


def ledger_ids(services: Services, condition: str, params: Sequence[Any] = ()) -> list[str]:
    rows = ledger(services)["payouts_ledger"].view.read(
        f"SELECT payout_id FROM {{payouts_ledger}} WHERE {condition} ORDER BY updated_at",
        list(params))
    return [row["payout_id"] for row in rows]


def ledger(services: Services) -> ReadModels:
    """The read models the worker finds its payouts in."""
    if services.read_models is None:
        raise ConfigurationError("The payout worker needs a SQLite or PostgreSQL store.")
    return services.read_models
