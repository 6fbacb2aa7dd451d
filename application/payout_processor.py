"""Pays approved payouts through the gateway, exactly once, whatever crashes in between.

For each payout: record the attempt (Submitted) before calling the rail, so a
crash after the call leaves a trace; call with the attempt's idempotency key,
so a repeated call cannot pay again; and before repeating an attempt found in
progress, ask the rail whether it already made that transfer (by metadata),
so even a call beyond the rail's idempotency window is not repeated. Rate
limits, the rail's own errors and timeouts are retried with backoff; a refusal
is recorded with the rail's code and message. A creator whose account cannot
receive transfers gets the payout held with that reason instead.
"""

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import IntegrityError

from application.actor import SYSTEM_USER
from application.gateway import GatewayRefused, PaymentGateway, Transfer, TransientGatewayError
from domain.creator import Creator
from domain.errors import DomainError
from domain.payout import Attempt, Payout, PayoutStatus, Rail

log = logging.getLogger(__name__)

TRIES = 5
FIRST_DELAY_SECONDS = 0.5
MAX_DELAY_SECONDS = 8.0


@dataclass
class Outcome:
    paid: int = 0
    failed: int = 0
    held: int = 0
    deferred: int = 0  # the rail kept failing transiently: tried again next round

    def add(self, other: "Outcome") -> "Outcome":
        return Outcome(self.paid + other.paid, self.failed + other.failed,
                       self.held + other.held, self.deferred + other.deferred)


class PayoutProcessor:
    def __init__(self, payouts: Any, gateway: PaymentGateway,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.payouts, self.gateway, self.sleep = payouts, gateway, sleep

    def pay_all(self, payout_ids: list[str]) -> Outcome:
        total = Outcome()
        for payout_id in payout_ids:
            total = total.add(self.pay(payout_id))
        return total

    def pay(self, payout_id: str) -> Outcome:
        payout: Payout = self.payouts._load(Payout, payout_id, "payout")
        if payout.rail not in (None, Rail.STRIPE):
            return Outcome()  # offline rails are paid by hand
        if payout.status is PayoutStatus.APPROVED:
            attempt = self._start(payout)
            if attempt is None:
                return Outcome(held=int(payout.status is PayoutStatus.HELD))
            return self._finish(payout_id, attempt, resumed=False)
        if payout.status is PayoutStatus.SUBMITTED and payout.current_attempt is not None:
            return self._finish(payout_id, payout.current_attempt, resumed=True)
        return Outcome()

    def _start(self, payout: Payout) -> Attempt | None:
        """Holds the payout if the creator cannot be paid; else records the attempt."""
        creator: Creator = self.payouts.creators._load(Creator, payout.creator_id, "creator")
        account_id = creator.profile.payout_account
        problem = None
        if account_id is None:
            problem = "The creator has no Stripe account yet; open one (onboarding) first."
        else:
            try:
                state = self.gateway.account(account_id)
            except TransientGatewayError:
                return None  # try the whole thing again next round
            except GatewayRefused as error:
                problem = f"Stripe refused the creator's account: {error.message}"
            else:
                self.payouts.note_payout_account(state, str(creator.id))
                if not state.can_receive:
                    problem = ("The creator's Stripe account cannot receive transfers yet"
                               + (f" (still due: {', '.join(state.requirements)})"
                                  if state.requirements else "") + ".")
        if problem is not None:
            self._hold(payout, problem)
            return None
        attempt = payout.submit(SYSTEM_USER)
        if not self._saved(payout):
            return None  # another processor took it
        return attempt

    def _finish(self, payout_id: str, attempt: Attempt, resumed: bool) -> Outcome:
        payout: Payout = self.payouts._load(Payout, payout_id, "payout")
        destination = self.payouts.creators._load(
            Creator, payout.creator_id, "creator").profile.payout_account
        try:
            made = self._with_backoff(lambda: self._transfer_once(payout, attempt, destination,
                                                                  resumed))
        except TransientGatewayError as error:
            log.warning("payout %s attempt %s deferred: %s", payout_id, attempt.number, error)
            return Outcome(deferred=1)
        except GatewayRefused as refusal:
            code, message = refusal.code, refusal.message
            return self._record(payout_id, lambda p: p.record_failure(
                SYSTEM_USER, attempt.number, code, message), Outcome(failed=1))
        return self._record(payout_id, lambda p: p.record_payment(SYSTEM_USER,
                                                                  made.transfer_id),
                            Outcome(paid=1))

    def _transfer_once(self, payout: Payout, attempt: Attempt, destination: str | None,
                       resumed: bool) -> Transfer:
        if resumed:  # the attempt may have reached the rail before a crash
            found = self.gateway.find_transfer(str(payout.id), attempt.number)
            if found is not None:
                return found
        if destination is None:
            raise GatewayRefused("no_destination", "The creator has no Stripe account.")
        return self.gateway.transfer(payout_id=str(payout.id), contract_id=payout.contract_id,
                                     attempt=attempt, amount=payout.amount,
                                     destination=destination)

    def _with_backoff(self, call: Callable[[], Transfer]) -> Transfer:
        delay = FIRST_DELAY_SECONDS
        for tries_left in range(TRIES - 1, -1, -1):
            try:
                return call()
            except TransientGatewayError:
                if not tries_left:
                    raise
            self.sleep(delay * (0.5 + random.random()))  # jitter: rivals do not retry in step
            delay = min(delay * 2, MAX_DELAY_SECONDS)
        raise AssertionError("unreachable")

    def _record(self, payout_id: str, change: Callable[[Payout], None],
                outcome: Outcome) -> Outcome:
        """Records what the rail said; a rival processor may have recorded it first."""
        for _ in range(3):
            payout: Payout = self.payouts._load(Payout, payout_id, "payout")
            try:
                change(payout)
            except DomainError:
                return Outcome()  # recorded already
            if self._saved(payout):
                return outcome
        return Outcome(deferred=1)

    def _hold(self, payout: Payout, reason: str) -> None:
        payout.hold(SYSTEM_USER, reason)
        self._saved(payout)

    def _saved(self, payout: Payout) -> bool:
        try:
            self.payouts.save(payout)
        except IntegrityError:
            return False
        return True
