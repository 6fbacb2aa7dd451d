"""A shop's export of attributed orders (CSV or XLSX), one row per order line: rows with
the same order id are the lines of one order. Headers in English or Chinese; amounts in
major units ("299.00"); the order time with its zone, or a date (the start of that day,
UTC). Every problem is named by the row it is on (`rows[7].sku`)."""

import re
from dataclasses import dataclass, field
from typing import Any

from application.common.spreadsheets import Sheet, columns_of, count, header_key, moment
from domain.money import is_currency, minor_units
from domain.rules import Problems

COLUMNS: dict[str, tuple[str, ...]] = {
    "order_id": ("order id", "order", "order no", "order number", "订单号", "订单编号", "订单id"),
    "sku": ("sku", "product", "product code", "商品编码", "商品sku", "货号"),
    "quantity": ("quantity", "qty", "数量", "购买数量"),
    "amount": ("amount", "total", "line total", "paid", "金额", "实付金额", "商品金额"),
    "currency": ("currency", "币种", "货币"),
    "placed_at": ("placed at", "order time", "time", "date", "下单时间", "订单时间", "付款时间"),
    "distributor": ("distributor", "tracking code", "code", "distributor id", "分销员",
                    "推广码", "分销码"),
}
HEADERS = {header_key(alias): column for column, aliases in COLUMNS.items()
           for alias in (*aliases, column)}
REQUIRED = ("order_id", "sku", "amount", "placed_at", "distributor")
ORDER_WIDE = ("placed_at", "currency", "distributor")


@dataclass
class SheetOrder:
    """An order as the sheet gives it, with the line each of its parts came from."""

    data: dict[str, Any]
    row_of_line: list[int] = field(default_factory=list)
    first_row: int = 0


def orders_of(sheet: Sheet, default_currency: str) -> tuple[list[SheetOrder], Problems]:
    columns, problems = columns_of(sheet.header, HEADERS, REQUIRED)
    if problems:
        return [], problems
    orders: dict[str, SheetOrder] = {}
    for row in sheet.rows:
        values = {columns[i]: cell for i, cell in enumerate(row.cells) if i in columns}
        line, row_problems = _line(values, default_currency)
        if row_problems:
            problems |= {f"rows[{row.line}].{k}": v for k, v in row_problems.items()}
            continue
        key = values["order_id"]
        whole = {k: line.pop(k) for k in ORDER_WIDE}  # the same on each of its rows
        if key not in orders:
            orders[key] = SheetOrder({"order_id": key, **whole, "lines": []},
                                     first_row=row.line)
        kept = orders[key]
        differing = [k for k, v in whole.items() if v != kept.data[k]]
        if differing:
            problems[f"rows[{row.line}].{differing[0]}"] = (
                f"differs from the order's first row (line {kept.first_row})")
            continue
        kept.data["lines"].append(line)
        kept.row_of_line.append(row.line)
    return list(orders.values()), problems


def row_problems(orders: list[SheetOrder], problems: Problems) -> Problems:
    """record_orders' problems (`orders[2].lines[0].sku`) as the rows they are on."""
    found: Problems = {}
    for path, message in problems.items():
        match = re.match(r"^orders\[(\d+)\](?:\.lines\[(\d+)\])?\.?(.*)$", path)
        if match is None:
            found[path] = message
            continue
        order = orders[int(match[1])]
        row = order.row_of_line[int(match[2])] if match[2] else order.first_row
        found[f"rows[{row}].{match[3] or 'order'}"] = message
    return found


def _line(values: dict[str, str], default_currency: str) -> tuple[dict[str, Any], Problems]:
    problems: Problems = {}
    currency = (values.get("currency") or default_currency).upper()
    if not is_currency(currency):
        problems["currency"] = f"'{currency}' is not an ISO-4217 currency code"
    line: dict[str, Any] = {"sku": values.get("sku", ""), "currency": currency,
                            "distributor": values.get("distributor", "")}
    for name in ("order_id", "sku", "distributor"):
        if not values.get(name):
            problems[name] = "is empty"
    try:
        line["quantity"] = count(values.get("quantity") or "1")
    except ValueError as error:
        problems["quantity"] = str(error)
    if "currency" not in problems:  # an amount's decimals depend on its currency
        try:
            line["amount"] = minor_units(values.get("amount", ""), currency)
        except ValueError as error:
            problems["amount"] = str(error)
    try:
        line["placed_at"] = moment(values.get("placed_at", ""))
    except ValueError as error:
        problems["placed_at"] = str(error)
    return line, problems
