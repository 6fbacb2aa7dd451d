"""Money as an integer amount of minor units in one ISO-4217 currency."""

from dataclasses import dataclass
from typing import Any

import pycountry

from domain.errors import InvalidValue


def is_currency(code: str) -> bool:
    return len(code) == 3 and code.isupper() and pycountry.currencies.get(alpha_3=code) is not None


@dataclass(frozen=True)
class Money:
    amount: int
    currency: str

    def problems(self, path: str = "") -> dict[str, str]:
        prefix = f"{path}." if path else ""
        errors = {}
        if not isinstance(self.amount, int) or isinstance(self.amount, bool) or self.amount < 0:
            errors[prefix + "amount"] = "must be a whole, non-negative number of minor units"
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
