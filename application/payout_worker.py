"""The payout worker: `kolpact payouts process`, also run by `kolpact serve --with-projections`.

Each round: date milestones whose day has come fall due; approved and submitted
Stripe payouts are paid (see payout_processor). Which payouts to look at comes
from the payouts ledger; the payout records themselves decide what happens.
"""

import time
from collections.abc import Callable
from typing import Any

from application.payout_processor import Outcome, PayoutProcessor
from application.settings import ConfigurationError


class PayoutWorker:
    def __init__(self, services: Any, sleep: Callable[[float], None] = time.sleep) -> None:
        if services.read_models is None:
            raise ConfigurationError("The payout worker needs a SQLite or PostgreSQL store.")
        if services.payouts.gateway is None:
            raise ConfigurationError("No payment gateway is configured: set "
                                     "KOLPACT_STRIPE_API_KEY.")
        self.services = services
        self.ledger = services.read_models["payouts_ledger"]
        self.processor = PayoutProcessor(services.payouts, services.payouts.gateway, sleep)

    def run_once(self) -> Outcome:
        self.services.read_models.catch_up([self.ledger.name])
        today = self.services.payouts.clock.now().date()
        dated = self._ids("status = 'scheduled' AND trigger = 'on_date' AND due_date <= %s",
                          [today.isoformat()])
        self.services.payouts.fall_due_on(today, dated)
        payable = self._ids("status IN ('approved', 'submitted') AND "
                            "(rail IS NULL OR rail = 'stripe')", [])
        return self.processor.pay_all(payable)

    def _ids(self, condition: str, params: list[Any]) -> list[str]:
        rows = self.ledger.view.read(f"SELECT payout_id FROM {{payouts_ledger}} WHERE "
                                     f"{condition} ORDER BY updated_at", params)
        return [row["payout_id"] for row in rows]
