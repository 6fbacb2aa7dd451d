"""Reads a platform's CSV export of content metrics into snapshots, one per row.

Headers are matched loosely, in English or Chinese ("Views", "播放量", "点赞数" ...);
counts may be written "12,400" or "1.2万". A date without a time means the start
of that day (UTC). Every problem is reported with the row's line number in the
file (the header is line 1), and nothing is returned unless every row is good.
"""

from dataclasses import dataclass

from application.common.spreadsheets import Sheet, columns_of, count, header_key, moment, read_csv
from domain.errors import InvalidValue
from domain.metrics import COUNTED, MetricSnapshot
from domain.money import Money, is_currency, minor_units
from domain.rules import Problems
from domain.vocabulary import Metric

MAX_ROWS = 10_000

COLUMNS: dict[str, tuple[str, ...]] = {
    "deliverable": ("deliverable", "deliverable id", "tracking code", "code", "kolpact code",
                    "交付物", "交付物id", "追踪码", "跟踪码"),
    "measured_at": ("measured at", "date", "time", "timestamp", "日期", "时间", "统计时间",
                    "统计日期"),
    "source": ("source", "platform", "来源", "平台"),
    "currency": ("currency", "币种", "货币"),
    "revenue": ("revenue", "gmv", "sales", "成交金额", "销售额", "gmv金额"),
    Metric.VIEWS: ("views", "plays", "video views", "reads", "播放量", "观看量", "观看次数",
                   "阅读量", "浏览量"),
    Metric.ENGAGED_VIEWS: ("engaged views", "有效播放", "有效播放量", "完播次数"),
    Metric.LIKES: ("likes", "点赞", "点赞数", "点赞量"),
    Metric.COMMENTS: ("comments", "评论", "评论数", "评论量"),
    Metric.SHARES: ("shares", "reposts", "分享", "分享数", "转发", "转发数"),
    Metric.SAVES: ("saves", "collects", "favorites", "收藏", "收藏数"),
    Metric.FOLLOWS: ("follows", "new followers", "followers gained", "涨粉", "新增粉丝",
                     "涨粉数"),
    Metric.CLICKS: ("clicks", "link clicks", "点击", "点击量", "点击数"),
    Metric.QR_SCANS: ("qr scans", "scans", "扫码", "扫码次数"),
    Metric.MINI_PROGRAM_OPENS: ("mini program opens", "miniprogram opens", "小程序打开",
                                "小程序打开次数"),
    Metric.ORDERS: ("orders", "订单", "订单数", "订单量", "成交订单数"),
    Metric.REDEMPTIONS: ("redemptions", "coupon redemptions", "核销", "核销数"),
}


HEADERS = {header_key(alias): column for column, aliases in COLUMNS.items()
           for alias in (*aliases, str(column))}


@dataclass(frozen=True)
class MetricsRow:
    line: int  # in the file; the header is line 1
    deliverable: str  # a deliverable's id or its tracking code
    snapshot: MetricSnapshot


def read_metrics_csv(text: str, default_source: str | None = None) -> list[MetricsRow]:
    rows, errors = read_rows(text, default_source)
    if errors:
        raise InvalidValue(errors)
    return rows


def read_rows(text: str, default_source: str | None = None
              ) -> tuple[list[MetricsRow], Problems]:
    """The good rows, and the problems of the others (by `rows[line].column`). A file
    that cannot be read at all (no header, no rows, missing columns) raises."""
    return _read_rows(read_csv(text, MAX_ROWS), default_source)


def _read_rows(sheet: Sheet, default_source: str | None) -> tuple[list[MetricsRow], Problems]:
    columns, errors = columns_of(sheet.header, HEADERS)
    if "deliverable" not in columns.values():
        errors["file"] = "needs a column naming the deliverable (its id or tracking code)"
    if "measured_at" not in columns.values():
        errors["file.measured_at"] = "needs a column with the date or time measured"
    if "source" not in columns.values() and not (default_source or "").strip():
        errors["source"] = "name the source (a column, or the import's source)"
    if errors:
        raise InvalidValue(errors)
    rows: list[MetricsRow] = []
    for row in sheet.rows:
        values = {columns[i]: cell for i, cell in enumerate(row.cells) if i in columns}
        try:
            rows.append(_row(row.line, values, default_source or ""))
        except InvalidValue as error:
            errors |= {f"rows[{row.line}].{field}": message
                       for field, message in error.errors.items()}
    return rows, errors


def _row(line: int, values: dict[str, str], default_source: str) -> MetricsRow:
    errors: Problems = {}
    counts: dict[str, int] = {}
    for metric in COUNTED:
        if values.get(metric.value):
            try:
                counts[metric.value] = count(values[metric.value])
            except ValueError as error:
                errors[metric.value] = str(error)
    revenue = None
    if values.get("revenue"):
        currency = values.get("currency", "").upper()
        if not is_currency(currency):
            errors["currency"] = "give the revenue's ISO-4217 currency (a currency column)"
        else:
            try:
                revenue = Money(minor_units(values["revenue"], currency), currency)
            except ValueError as error:
                errors["revenue"] = str(error)
    measured_at = None
    try:
        measured_at = moment(values.get("measured_at", ""))
    except ValueError as error:
        errors["measured_at"] = str(error)
    if not values.get("deliverable"):
        errors["deliverable"] = "is empty"
    if errors or measured_at is None:
        raise InvalidValue(errors)
    return MetricsRow(line, values["deliverable"], MetricSnapshot(
        source=values.get("source") or default_source, measured_at=measured_at,
        counts=counts, revenue=revenue))
