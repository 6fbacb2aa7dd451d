"""What a brand knows about a creator: reach per platform, niche, prices and contacts."""

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from domain.money import MAX_MINOR_UNITS, is_currency
from domain.rules import MAX_COUNT, Problems, check_name, check_texts
from domain.values import parse_checked, to_primitive
from domain.vocabulary import DeliverableKind, Platform

MAX_BASIS_POINTS = 10_000
STRIPE_ACCOUNT = re.compile(r"^acct_[A-Za-z0-9]{6,}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class CreatorKind(StrEnum):
    KOL = "KOL"  # key opinion leader: reach and authority
    KOC = "KOC"  # key opinion consumer: smaller, trusted, peer-level


@dataclass(frozen=True)
class Handle:
    platform: Platform
    handle: str
    followers: int = 0
    engagement_rate_bp: int = 0  # basis points: 325 is 3.25%


@dataclass(frozen=True)
class PriceRange:
    format: DeliverableKind
    currency: str
    min_amount: int
    max_amount: int


@dataclass(frozen=True)
class Contact:
    """Personal data of the creator it belongs to (its subject): kept encrypted at rest,
    and erased on request."""

    email: str | None = None
    phone: str | None = None
    wechat_id: str | None = None
    subject_id: str | None = None
    erased: bool = False

    @classmethod
    def erased_for(cls, subject_id: str) -> "Contact":
        return cls(subject_id=subject_id, erased=True)


@dataclass(frozen=True)
class CreatorProfile:
    display_name: str
    kind: CreatorKind
    handles: tuple[Handle, ...] = ()
    categories: tuple[str, ...] = ()
    price_ranges: tuple[PriceRange, ...] = ()
    contact: Contact = Contact()
    payout_account: str | None = None

    @classmethod
    def parse(cls, data: dict[str, Any]) -> "CreatorProfile":
        profile: CreatorProfile = parse_checked(cls, data, "profile")
        return profile

    def revised(self, changes: dict[str, Any]) -> "CreatorProfile":
        return self.parse({**to_primitive(self), **changes})

    def of_subject(self, subject_id: str) -> "CreatorProfile":
        """The contact details are the creator's own personal data."""
        return replace(self, contact=replace(self.contact, subject_id=subject_id))

    def problems(self) -> Problems:
        errors: Problems = {}
        errors |= check_name("display_name", self.display_name)
        for i, handle in enumerate(self.handles):
            errors |= _handle_problems(f"handles[{i}]", handle)
        if len({(h.platform, h.handle.casefold()) for h in self.handles}) != len(self.handles):
            errors["handles"] = "lists the same platform handle twice"
        errors |= check_texts("categories", self.categories)
        for i, price in enumerate(self.price_ranges):
            errors |= _price_problems(f"price_ranges[{i}]", price)
        if self.contact.email is not None and not EMAIL.match(self.contact.email):
            errors["contact.email"] = "is not an email address"
        if self.payout_account is not None and not STRIPE_ACCOUNT.match(self.payout_account):
            errors["payout_account"] = "must be a Stripe connected account id (acct_…)"
        return errors


def _handle_problems(path: str, handle: Handle) -> Problems:
    errors: Problems = {}
    if not handle.handle.strip():
        errors[f"{path}.handle"] = "must not be blank"
    if not 0 <= handle.followers <= MAX_COUNT:
        errors[f"{path}.followers"] = f"must be 0-{MAX_COUNT}"
    if not 0 <= handle.engagement_rate_bp <= MAX_BASIS_POINTS:
        errors[f"{path}.engagement_rate_bp"] = "must be 0-10000 basis points"
    return errors


def _price_problems(path: str, price: PriceRange) -> Problems:
    errors: Problems = {}
    if not is_currency(price.currency):
        errors[f"{path}.currency"] = f"'{price.currency}' is not an ISO-4217 currency code"
    if price.min_amount < 0 or price.max_amount < price.min_amount or \
            price.max_amount > MAX_MINOR_UNITS:
        errors[f"{path}.max_amount"] = ("must be at least min_amount, both non-negative and "
                                        f"at most {MAX_MINOR_UNITS}")
    return errors
