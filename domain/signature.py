"""A party's signature on one exact version of a contract's terms."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.errors import InvalidValue
from domain.rules import check_name

MAX_NAME_LENGTH = 200
CLOCK_SKEW = timedelta(minutes=5)


class Party(StrEnum):
    BRAND = "brand"
    CREATOR = "creator"


@dataclass(frozen=True)
class Signature:
    party: Party
    name: str
    title: str | None
    signed_at: datetime
    terms_version: int
    terms_hash: str

    @classmethod
    def parse(cls, *, party: Party, name: str, title: str | None, signed_at: datetime,
              sent_at: datetime, now: datetime, terms_version: int,
              terms_hash: str) -> "Signature":
        """Checks who signed and when: never before the terms were sent, never in the future."""
        errors = check_name("name", name, MAX_NAME_LENGTH)
        if signed_at.tzinfo is None:
            errors["signed_at"] = "must include a timezone"
        elif signed_at > now + CLOCK_SKEW:
            errors["signed_at"] = "is in the future"
        elif signed_at < sent_at - CLOCK_SKEW:
            errors["signed_at"] = f"is before the terms were sent for signature ({sent_at})"
        if errors:
            raise InvalidValue(errors)
        return cls(party=party, name=name.strip(), title=(title or "").strip() or None,
                   signed_at=signed_at, terms_version=terms_version, terms_hash=terms_hash)
