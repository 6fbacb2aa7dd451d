"""Shipment: product sent to a creator for a contract's content.

prepared -> dispatched -> delivered, with delayed (reason, new ETA) while in
transit, and returned or lost. Items include spare sizes and alternatives,
marked as such, so ops can see what the creator may send back.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.attributed import AttributedEvent, required_reason
from domain.errors import HasStatus, InvalidValue
from domain.rules import Problems, check_positive

MAX_UNITS = 10_000  # of one item in one shipment

CLOCK_SKEW = timedelta(minutes=5)


class ShipmentStatus(StrEnum):
    PREPARED = "prepared"
    DISPATCHED = "dispatched"
    DELAYED = "delayed"
    DELIVERED = "delivered"
    RETURNED = "returned"
    LOST = "lost"


IN_TRANSIT = (ShipmentStatus.DISPATCHED, ShipmentStatus.DELAYED)


@dataclass(frozen=True)
class ShipmentItem:
    sku: str
    quantity: int = 1
    size: str | None = None
    spare: bool = False  # an extra size in case the first does not fit
    alternative_to: str | None = None  # the SKU this one may replace

    def problems(self, path: str) -> Problems:
        errors = check_positive(f"{path}.quantity", self.quantity, at_most=MAX_UNITS)
        if not self.sku.strip():
            errors[f"{path}.sku"] = "must not be blank"
        return errors


@dataclass(frozen=True)
class Address:
    """Personal data of the creator the shipment goes to (its subject): kept encrypted at
    rest, and erased on request."""

    recipient: str
    line1: str
    city: str
    country: str
    phone: str | None = None
    line2: str | None = None
    postal_code: str | None = None
    subject_id: str | None = None
    erased: bool = False

    @classmethod
    def erased_for(cls, subject_id: str) -> "Address":
        return cls(recipient="", line1="", city="", country="", subject_id=subject_id,
                   erased=True)


class Shipment(Aggregate, HasStatus):
    class Event(AttributedEvent):
        pass

    class Prepared(Event, Aggregate.Created):
        brand_id: str
        contract_id: str
        creator_id: str
        deliverable_ids: tuple[str, ...]
        items: tuple[ShipmentItem, ...]
        address: Address

    class Dispatched(Event):
        carrier: str
        tracking_number: str
        eta: date

    class Delayed(Event):
        eta: date
        days_later: int = 0  # than the ETA before this delay

    class Delivered(Event):
        delivered_at: datetime

    class Returned(Event):
        pass

    class Lost(Event):
        pass

    @event(Prepared)
    def __init__(self, actor: str, reason: str | None, brand_id: str, contract_id: str,
                 creator_id: str, deliverable_ids: tuple[str, ...],
                 items: tuple[ShipmentItem, ...], address: Address) -> None:
        self.brand_id, self.contract_id, self.creator_id = brand_id, contract_id, creator_id
        self.deliverable_ids, self.items, self.address = deliverable_ids, items, address
        self.status = ShipmentStatus.PREPARED
        self.carrier: str | None = None
        self.tracking_number: str | None = None
        self.eta: date | None = None
        self.delivered_at: datetime | None = None

    @classmethod
    def prepare(cls, *, actor: str, brand_id: str, contract_id: str, creator_id: str,
                deliverable_ids: tuple[str, ...], items: tuple[ShipmentItem, ...],
                address: Address, id: Any = None) -> "Shipment":
        errors: Problems = {} if items else {"items": "ship at least one item"}
        for i, item in enumerate(items):
            errors |= item.problems(f"items[{i}]")
        skus = {item.sku for item in items}
        errors |= {f"items[{i}].alternative_to": f"'{item.alternative_to}' is not in this "
                   "shipment" for i, item in enumerate(items)
                   if item.alternative_to is not None and item.alternative_to not in skus}
        if not (address.recipient.strip() and address.line1.strip() and address.city.strip()):
            errors["address"] = "needs a recipient, a street line and a city"
        if errors:
            raise InvalidValue(errors)
        return cls._create(cls.Prepared, id=id, actor=actor, reason=None, brand_id=brand_id,
                           contract_id=contract_id, creator_id=creator_id,
                           deliverable_ids=deliverable_ids, items=items,
                           address=replace(address, subject_id=creator_id))

    def dispatch(self, actor: str, carrier: str, tracking_number: str, eta: date,
                 today: date) -> None:
        self._require(self.status is ShipmentStatus.PREPARED, "dispatch")
        errors = {} if carrier.strip() else {"carrier": "must not be blank"}
        if not tracking_number.strip():
            errors["tracking_number"] = "must not be blank"
        if eta < today:
            errors["eta"] = "is in the past"
        if errors:
            raise InvalidValue(errors)
        self._dispatched(actor=actor, reason=None, carrier=carrier.strip(),
                         tracking_number=tracking_number.strip(), eta=eta)

    def delay(self, actor: str, reason: str | None, eta: date) -> None:
        """A new, later ETA while in transit; linked deliverables may need more time."""
        reason = required_reason(reason, "record a delay")
        self._require(self.status in IN_TRANSIT, "record a delay")
        if self.eta is not None and eta <= self.eta:
            raise InvalidValue({"eta": f"must be later than the current ETA ({self.eta})"})
        self._delayed(actor=actor, reason=reason, eta=eta,
                      days_later=(eta - self.eta).days if self.eta else 0)

    def days_late(self, original_eta: date) -> int:
        return max(0, (self.eta - original_eta).days) if self.eta else 0

    def deliver(self, actor: str, delivered_at: datetime, now: datetime) -> None:
        self._require(self.status in IN_TRANSIT, "record delivery")
        if delivered_at > now + CLOCK_SKEW:
            raise InvalidValue({"delivered_at": "is in the future"})
        self._delivered(actor=actor, reason=None, delivered_at=delivered_at)

    def mark_returned(self, actor: str, reason: str | None) -> None:
        reason = required_reason(reason, "record a return")
        self._require(self.status in (*IN_TRANSIT, ShipmentStatus.DELIVERED), "record a return")
        self._returned(actor=actor, reason=reason)

    def mark_lost(self, actor: str, reason: str | None) -> None:
        reason = required_reason(reason, "record a loss")
        self._require(self.status in IN_TRANSIT, "record a loss")
        self._lost(actor=actor, reason=reason)


    @event(Dispatched)
    def _dispatched(self, actor: str, reason: str | None, carrier: str, tracking_number: str,
                    eta: date) -> None:
        self.status, self.carrier, self.tracking_number, self.eta = (
            ShipmentStatus.DISPATCHED, carrier, tracking_number, eta)

    @event(Delayed)
    def _delayed(self, actor: str, reason: str | None, eta: date, days_later: int = 0) -> None:
        self.status, self.eta = ShipmentStatus.DELAYED, eta

    @event(Delivered)
    def _delivered(self, actor: str, reason: str | None, delivered_at: datetime) -> None:
        self.status, self.delivered_at = ShipmentStatus.DELIVERED, delivered_at

    @event(Returned)
    def _returned(self, actor: str, reason: str | None) -> None:
        self.status = ShipmentStatus.RETURNED

    @event(Lost)
    def _lost(self, actor: str, reason: str | None) -> None:
        self.status = ShipmentStatus.LOST
