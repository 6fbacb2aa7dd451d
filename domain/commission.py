"""What an attributed order earns: one commission line per order line for whoever sold
it, and one more for their recruiter where the product has a second-level rate; what a
refund or a cancellation takes back: exactly what those lines accrued.

Amounts are integer minor units; a commission is the line's amount times the rate in
basis points, rounded down (a fraction of a fen is never paid). The rate is the one the
program's rules gave the product when the order was placed, and it stays on the line.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from domain.errors import InvalidValue
from domain.money import MAX_MINOR_UNITS, is_currency
from domain.program_rules import MAX_BASIS_POINTS, ProgramRules
from domain.rules import MAX_COUNT, Problems

MAX_ORDER_ID = 100
MAX_LINES = 200


@dataclass(frozen=True)
class OrderLine:
    sku: str
    quantity: int
    amount: int  # the line's total, minor units


@dataclass(frozen=True)
class Order:
    order_id: str  # the shop's own id: an order is recorded once
    placed_at: datetime
    currency: str
    lines: tuple[OrderLine, ...]

    def problems(self) -> Problems:
        errors: Problems = {}
        if not 0 < len(self.order_id.strip()) <= MAX_ORDER_ID:
            errors["order_id"] = f"must be 1-{MAX_ORDER_ID} characters"
        if self.placed_at.tzinfo is None:
            errors["placed_at"] = "needs a time zone"
        if not is_currency(self.currency):
            errors["currency"] = f"'{self.currency}' is not an ISO-4217 currency code"
        if not 0 < len(self.lines) <= MAX_LINES:
            errors["lines"] = f"an order has 1-{MAX_LINES} lines"
        for i, line in enumerate(self.lines):
            if not 0 < line.quantity <= MAX_COUNT:
                errors[f"lines[{i}].quantity"] = f"must be 1-{MAX_COUNT}"
            if not 0 <= line.amount <= MAX_MINOR_UNITS:
                errors[f"lines[{i}].amount"] = f"must be 0-{MAX_MINOR_UNITS} minor units"
        return errors

    @property
    def amount(self) -> int:
        return sum(line.amount for line in self.lines)


@dataclass(frozen=True)
class CommissionLine:
    line: int  # the order line it is for, from 1
    sku: str
    distributor_id: str
    tier: int  # 1: who sold it; 2: the recruiter of who sold it
    sales: int  # the order line's amount (negative in a reversal)
    rate_bp: int
    commission: int  # minor units (negative in a reversal)


def commission(amount: int, rate_bp: int) -> int:
    """Rounded down: never more than the rate times the amount."""
    return amount * rate_bp // MAX_BASIS_POINTS


def commission_lines(order: Order, rules: ProgramRules, seller_id: str,
                     recruiter_id: str | None) -> tuple[CommissionLine, ...]:
    """Raises InvalidValue for a product the rules give no rate, or another currency."""
    errors: Problems = {}
    if order.currency != rules.currency:
        errors["currency"] = f"the program pays in {rules.currency}, not {order.currency}"
    lines: list[CommissionLine] = []
    for number, line in enumerate(order.lines, start=1):
        rate = rules.rate_for(line.sku)
        if rate is None:
            errors[f"lines[{number - 1}].sku"] = (f"'{line.sku}' is not in the program's "
                                                 "commission table")
            continue
        lines.append(CommissionLine(number, line.sku, seller_id, 1, line.amount,
                                    rate.rate_bp, commission(line.amount, rate.rate_bp)))
        if recruiter_id is not None and rate.second_level_bp:
            lines.append(CommissionLine(number, line.sku, recruiter_id, 2, line.amount,
                                        rate.second_level_bp,
                                        commission(line.amount, rate.second_level_bp)))
    if errors:
        raise InvalidValue(errors)
    return tuple(lines)


def reversal(accrued: tuple[CommissionLine, ...], order_lines: set[int] | None = None
             ) -> tuple[CommissionLine, ...]:
    """What a refund of the order (or of those of its lines) takes back: each line's
    accrual, negated, nothing rounded again."""
    return tuple(replace(line, sales=-line.sales, commission=-line.commission)
                 for line in accrued if order_lines is None or line.line in order_lines)
