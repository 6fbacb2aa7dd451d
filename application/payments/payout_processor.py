"""Pays approved payouts through the gateway, exactly once, whatever crashes in between.

For each payout: record the attempt (Submitted) before calling the rail, so a
crash after the call leaves a trace; call with the attempt's idempotency key,
so a repeated call cannot pay again; and before repeating an attempt found in
progress, or using a new attempt's key, ask the rail whether it already made a
transfer for the payout (by its transfer group), so a lost answer, or one beyond
the rail's idempotency window, is never paid again.

An answer that says nothing about the request (a 5xx, a timeout, 401/403/429)
never closes an attempt as failed: the payout is tried again in a later round
with backoff, never by sleeping here, so one stuck payout does not slow the
others. Answers that may be a saved 5xx replayed under the key are bounded:
after MAX_UNANSWERED of them the rail is asked for the transfer, and only when
it holds none is the attempt closed, so that a retry may use a new key. A
refusal is recorded with the rail's code and message. A creator whose account
cannot receive transfers gets the payout held with that reason instead.
"""

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from eventsourcing.persistence import (
    ConnectionUnavailableError,
    IntegrityError,
    OperationalError,
)

from application.common.actor import SYSTEM_USER
from application.infrastructure.postgres_store import ConnectionsExhausted
from application.payments.payouts import PayoutsApp
from application.ports.payment_gateway import (
    GatewayRefused,
    PaymentGateway,
    RailBusy,
    Transfer,
    TransientGatewayError,
)
from domain.creator import Creator
from domain.errors import DomainError
from domain.payout import Attempt, Payout, PayoutStatus, Rail

log = logging.getLogger(__name__)

MAX_UNANSWERED = 5  # same-key answers that say nothing, before the rail is asked
FIRST_DELAY_SECONDS = 1.0
MAX_DELAY_SECONDS = 300.0
NO_ANSWER = "no_answer"


@dataclass
class Outcome:
    paid: int = 0
    failed: int = 0
    held: int = 0
    deferred: int = 0  # no answer from the rail: tried again in a later round

    def add(self, other: "Outcome") -> "Outcome":
        return Outcome(self.paid + other.paid, self.failed + other.failed,
                       self.held + other.held, self.deferred + other.deferred)


@dataclass
class Backoff:
    attempt: int
    unanswered: int  # transfer answers that may be a saved 5xx (429s and 401s do not count)
    turned_away: int  # 429s, 401s and look-ups that failed
    not_before: float


class PayoutProcessor:
    def __init__(self, payouts: PayoutsApp, gateway: PaymentGateway,
                 now: Callable[[], float] = time.monotonic,
                 first_delay: float = FIRST_DELAY_SECONDS) -> None:
        self.payouts, self.gateway, self.now = payouts, gateway, now
        self.first_delay = first_delay
        self.backoff: dict[str, Backoff] = {}

    def pay_all(self, payout_ids: list[str]) -> Outcome:
        total = Outcome()
        for payout_id in payout_ids:
            total = total.add(self.pay(payout_id))
        return total

    def pay(self, payout_id: str) -> Outcome:
        payout: Payout = self.payouts.find(payout_id)
        if payout.rail not in (None, Rail.STRIPE):
            return Outcome()  # offline rails are paid by hand
        waiting = self.backoff.get(payout_id)
        if waiting is not None and waiting.not_before > self.now():
            return Outcome(deferred=1)
        try:
            return self._pay(payout)
        except TransientGatewayError as error:  # a look-up: ask again later
            return self._no_answer(payout, error, same_key=False)
        except (ConnectionUnavailableError, OperationalError, ConnectionsExhausted):
            # Our own store was too busy to write: like a crash at this point, the next
            # round picks the payout up where its records say it is (looking the transfer
            # up first if an attempt was under way).
            log.warning("store busy; payout %s waits for the next round", payout_id)
            return Outcome(deferred=1)

    def _pay(self, payout: Payout) -> Outcome:
        if payout.status is PayoutStatus.APPROVED:
            if payout.attempts and self._found(payout, attempt=None):
                return Outcome(paid=1)  # a lost answer paid an earlier attempt
            attempt = self._start(payout)
            if attempt is None:
                return Outcome(held=int(payout.status is PayoutStatus.HELD))
            return self._finish(str(payout.id), attempt, resumed=False)
        if payout.status is PayoutStatus.SUBMITTED and payout.current_attempt is not None:
            return self._finish(str(payout.id), payout.current_attempt, resumed=True)
        if payout.money_may_be_on_its_way and self._found(payout, attempt=None):
            return Outcome(paid=1)  # held while submitted: what Stripe made is still paid
        return Outcome()

    def _found(self, payout: Payout, attempt: int | None) -> bool:
        """Records a transfer the rail made for this payout that kolpact had not."""
        made = self.gateway.find_transfer(str(payout.id), attempt)
        if made is None:
            return False
        self._record(str(payout.id), lambda p: p.record_found_transfer(
            SYSTEM_USER, made.transfer_id, made.amount, made.attempt), Outcome(paid=1))
        return True

    def _start(self, payout: Payout) -> Attempt | None:
        """Holds the payout if the creator cannot be paid; else records the attempt."""
        creator: Creator = self.payouts.creator(payout.creator_id)
        account_id = creator.profile.payout_account
        problem = None
        if account_id is None:
            problem = "The creator has no Stripe account yet; open one (onboarding) first."
        else:
            try:
                state = self.gateway.account(account_id)
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
        payout: Payout = self.payouts.find(payout_id)
        destination = self.payouts.creator(payout.creator_id).profile.payout_account
        # A resumed attempt may have reached the rail before a crash or a lost answer.
        made = self.gateway.find_transfer(payout_id, attempt.number) if resumed else None
        try:
            if made is None:
                made = self._transfer(payout, attempt, destination)
        except GatewayRefused as refusal:
            code, message = refusal.code, refusal.message
            self.backoff.pop(payout_id, None)
            return self._record(payout_id, lambda p: p.record_failure(
                SYSTEM_USER, attempt.number, code, message), Outcome(failed=1))
        except TransientGatewayError as error:
            return self._no_answer(payout, error, same_key=not isinstance(error, RailBusy))
        self.backoff.pop(payout_id, None)
        transfer_id = made.transfer_id
        recorded = self._record(payout_id, lambda p: p.record_payment(SYSTEM_USER,
                                                                      transfer_id),
                                Outcome(paid=1))
        if not recorded.paid and self.payouts.find(payout_id).reference == transfer_id:
            return Outcome(paid=1)  # the transfer's webhook recorded it a moment before
        return recorded

    def _transfer(self, payout: Payout, attempt: Attempt, destination: str | None
                  ) -> Transfer:
        if destination is None:
            raise GatewayRefused("no_destination", "The creator has no Stripe account.")
        return self.gateway.transfer(payout_id=str(payout.id), contract_id=payout.contract_id,
                                     attempt=attempt, amount=payout.amount,
                                     destination=destination)

    def _no_answer(self, payout: Payout, error: TransientGatewayError, same_key: bool
                   ) -> Outcome:
        """Tries again later; after too many answers to the transfer that may be a saved
        5xx (`same_key`), closes the attempt if Stripe holds no transfer for the payout."""
        payout_id, attempt = str(payout.id), len(payout.attempts)
        waiting = self.backoff.get(payout_id)
        if waiting is None or waiting.attempt != attempt:
            waiting = Backoff(attempt, 0, 0, 0.0)
        if same_key:
            waiting.unanswered += 1
            log.warning("payout %s attempt %s: no answer: %s", payout_id, attempt, error)
        else:
            waiting.turned_away += 1
            log.log(logging.ERROR if isinstance(error, RailBusy) else logging.WARNING,
                    "payout %s: Stripe did not act on the request: %s", payout_id, error)
        tries = waiting.unanswered + waiting.turned_away
        delay = min(self.first_delay * 2 ** (tries - 1), MAX_DELAY_SECONDS)
        waiting.not_before = self.now() + delay * (0.5 + random.random())  # rivals not in step
        self.backoff[payout_id] = waiting
        if waiting.unanswered >= MAX_UNANSWERED:
            return self._close_unanswered(payout_id, waiting)
        return Outcome(deferred=1)

    def _close_unanswered(self, payout_id: str, waiting: Backoff) -> Outcome:
        payout: Payout = self.payouts.find(payout_id)
        if payout.current_attempt is None:
            return Outcome(deferred=1)
        try:
            if self._found(payout, attempt=None):
                self.backoff.pop(payout_id, None)
                return Outcome(paid=1)
        except TransientGatewayError:
            return Outcome(deferred=1)  # cannot tell yet: keep the attempt open
        self.backoff.pop(payout_id, None)
        message = (f"Stripe gave no answer to attempt {waiting.attempt} after "
                   f"{waiting.unanswered} tries and holds no transfer for this payout; "
                   "a retry uses a new key.")
        return self._record(payout_id, lambda p: p.record_failure(
            SYSTEM_USER, waiting.attempt, NO_ANSWER, message), Outcome(failed=1))

    def _record(self, payout_id: str, change: Callable[[Payout], None],
                outcome: Outcome) -> Outcome:
        """Records what the rail said; a rival processor (or the webhook of the transfer)
        may have recorded it first."""
        for _ in range(3):
            payout: Payout = self.payouts.find(payout_id)
            try:
                change(payout)
            except DomainError:
                return Outcome()  # recorded already
            if self._saved(payout):
                if payout.owed_back:  # a cut landed while in flight: settle it
                    self.payouts.settle_overpayment(payout_id)
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
