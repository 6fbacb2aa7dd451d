"""Money as an integer amount of minor units in one ISO-4217 currency."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry

from domain.errors import InvalidValue

MAX_MINOR_UNITS = 10**15  # any one amount; sums of many still fit a 64-bit column

# Currencies with no minor unit, as payment processors count them.
ZERO_DECIMAL = frozenset(("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "MGA", "PYG",
                          "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"))


def minor_units(amount: str, currency: str) -> int:
    """'1234.50' CNY -> 123450; raises ValueError for text that is not such an amount."""
    try:
        value = Decimal(amount.replace(",", "").strip())
    except InvalidOperation as error:
        raise ValueError(f"'{amount}' is not an amount") from error
    scaled = value * (1 if currency in ZERO_DECIMAL else 100)
    if not value.is_finite() or scaled != scaled.to_integral_value():
        raise ValueError(f"'{amount}' has more decimals than {currency} allows")
    return int(scaled)


def major_units(amount: int, currency: str) -> Decimal:
    """123450 CNY -> Decimal('1234.50'): minor_units the other way round."""
    return Decimal(amount) / (1 if currency in ZERO_DECIMAL else 100)


def is_currency(code: str) -> bool:
    return len(code) == 3 and code.isupper() and pycountry.currencies.get(alpha_3=code) is not None


@dataclass(frozen=True)
class Money:
    amount: int
    currency: str

    def problems(self, path: str = "") -> dict[str, str]:
        prefix = f"{path}." if path else ""
        errors = {}
        if not isinstance(self.amount, int) or isinstance(self.amount, bool) or \
                not 0 <= self.amount <= MAX_MINOR_UNITS:
            errors[prefix + "amount"] = ("must be a whole, non-negative number of minor units, "
                                         f"at most {MAX_MINOR_UNITS}")
        if not is_currency(self.currency):
            errors[prefix + "currency"] = f"'{self.currency}' is not an ISO-4217 currency code"
        return errors

    def to_dict(self) -> dict[str, Any]:
        return {"amount": self.amount, "currency": self.currency}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Money":
        return cls(amount=data["amount"], currency=data["currency"])

    @classmethod
    def parse(cls, data: dict[str, Any], path: str = "") -> "Money":
        money = cls.from_dict(data)
        errors = money.problems(path)
        if errors:
            raise InvalidValue(errors)
        return money

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} (minor units)"
