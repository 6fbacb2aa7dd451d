"""A spreadsheet of creators, one row per platform handle: what each row says, and the
rows an export writes (which an import reads back).

Headers are matched loosely, in English or Chinese ("Followers", "粉丝数" ...); the
platform and handle columns are required, a new creator needs a name and a kind
too. Counts may be written "12,400" or "1.2万"; the engagement rate "3.25%" (or
3.25); categories separated by commas, 、 or semicolons; prices as
"short_video CNY 8000-12000; live_stream CNY 20000" in major units. Other columns
(such as an export's status, owner and cooperation record) are ignored.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from application.common.spreadsheets import columns_of as sheet_columns
from application.common.spreadsheets import count, header_key
from domain.creator_profile import MAX_BASIS_POINTS, CreatorKind
from domain.money import is_currency, major_units, minor_units
from domain.rules import Problems
from domain.vocabulary import DeliverableKind, Platform

COLUMNS: dict[str, tuple[str, ...]] = {
    "platform": ("platform", "平台", "渠道"),
    "handle": ("handle", "account", "username", "user name", "账号", "账号id", "帐号", "id"),
    "name": ("name", "display name", "creator", "nickname", "名称", "昵称", "达人", "达人昵称",
             "达人名称"),
    "kind": ("kind", "type", "kol/koc", "类型", "达人类型"),
    "followers": ("followers", "fans", "粉丝", "粉丝数", "粉丝量"),
    "engagement_rate": ("engagement rate", "engagement", "互动率"),
    "categories": ("categories", "category", "niche", "tags", "类目", "领域", "标签", "分类"),
    "prices": ("prices", "price", "rates", "报价", "价格"),
    "email": ("email", "e-mail", "邮箱", "电子邮箱"),
    "phone": ("phone", "mobile", "手机", "手机号", "电话"),
    "wechat": ("wechat", "wechat id", "微信", "微信号"),
}
HEADERS = {header_key(alias): column for column, aliases in COLUMNS.items()
           for alias in (*aliases, column)}
REQUIRED = ("platform", "handle")
CONTACT_FIELDS = {"email": "email", "phone": "phone", "wechat": "wechat_id"}

PLATFORM_NAMES = {
    **{platform.value: platform for platform in Platform},
    "抖音": Platform.DOUYIN, "小红书": Platform.XIAOHONGSHU, "红书": Platform.XIAOHONGSHU,
    "xhs": Platform.XIAOHONGSHU, "rednote": Platform.XIAOHONGSHU, "red": Platform.XIAOHONGSHU,
    "微博": Platform.WEIBO, "b站": Platform.BILIBILI, "哔哩哔哩": Platform.BILIBILI,
    "快手": Platform.KUAISHOU, "微信": Platform.WECHAT, "视频号": Platform.WECHAT,
    "公众号": Platform.WECHAT, "ins": Platform.INSTAGRAM, "ig": Platform.INSTAGRAM,
    "油管": Platform.YOUTUBE, "twitter": Platform.X, "脸书": Platform.FACEBOOK,
}
LIST_SEPARATORS = r"[,;，；、|]"
PRICE = re.compile(r"^(?P<format>[a-z_ ]+?)\s+(?P<currency>[A-Za-z]{3})\s+"
                   r"(?P<low>[\d.,]+)(?:\s*[-–~]\s*(?P<high>[\d.,]+))?$")

# What an export writes: the importable columns first, then what the directory knows.
EXPORT_HEADER = ("name", "kind", "platform", "handle", "followers", "engagement rate",
                 "categories", "prices", "status", "owner", "contracts", "published on time",
                 "published late", "last worked with", "kolpact id")


@dataclass(frozen=True)
class SheetRow:
    """One row, read: the handle it is about and what it says of the creator."""

    line: int
    platform: str
    handle: str
    profile: dict[str, Any] = field(default_factory=dict)  # profile fields given
    followers: int | None = None
    engagement_rate_bp: int | None = None
    problems: Problems = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        return handle_key(self.platform, self.handle)


def handle_key(platform: str, handle: str) -> tuple[str, str]:
    """'@Lin.Xiaomei' and 'lin.xiaomei' on one platform are one account."""
    return platform, handle.strip().lstrip("@").casefold()


def columns_of(header: tuple[str, ...]) -> tuple[dict[int, str], Problems]:
    return sheet_columns(header, HEADERS, REQUIRED)


def read_row(line: int, values: dict[str, str]) -> SheetRow:
    problems: Problems = {}
    profile: dict[str, Any] = {}
    platform = PLATFORM_NAMES.get(header_key(values.get("platform", "")))
    if platform is None:
        problems["platform"] = (f"'{values.get('platform', '')}' is not a platform (one of "
                                f"{', '.join(p.value for p in Platform)})")
    handle = values.get("handle", "")
    if not handle.lstrip("@"):
        problems["handle"] = "is empty"
    if values.get("name"):
        profile["display_name"] = values["name"]
    if values.get("kind"):
        if values["kind"].upper() in CreatorKind.__members__:
            profile["kind"] = values["kind"].upper()
        else:
            problems["kind"] = f"'{values['kind']}' is neither KOL nor KOC"
    if values.get("categories"):
        profile["categories"] = [part.strip() for part in
                                 re.split(LIST_SEPARATORS, values["categories"]) if part.strip()]
    if values.get("prices"):
        try:
            profile["price_ranges"] = prices(values["prices"])
        except ValueError as error:
            problems["prices"] = str(error)
    contact = {key: values[column] for column, key in CONTACT_FIELDS.items()
               if values.get(column)}
    if contact:
        profile["contact"] = contact
    followers = engagement = None
    if values.get("followers"):
        try:
            followers = count(values["followers"])
        except ValueError as error:
            problems["followers"] = str(error)
    if values.get("engagement_rate"):
        try:
            engagement = basis_points(values["engagement_rate"])
        except ValueError as error:
            problems["engagement_rate"] = str(error)
    return SheetRow(line, platform.value if platform else values.get("platform", ""),
                    handle.lstrip("@"), profile, followers, engagement, problems)


def basis_points(text: str) -> int:
    """'3.25%' or '3.25' -> 325."""
    try:
        value = Decimal(text.strip().removesuffix("%").strip()) * 100
    except InvalidOperation as error:
        raise ValueError(f"'{text}' is not a percentage such as 3.25%") from error
    if not value.is_finite() or not 0 <= value <= MAX_BASIS_POINTS:
        raise ValueError(f"'{text}' is not a percentage from 0% to 100%")
    return int(value.to_integral_value())


def prices(text: str) -> list[dict[str, Any]]:
    ranges = []
    for part in (p.strip() for p in re.split(r"[;；\n]", text)):
        if not part:
            continue
        match = PRICE.match(part)
        kind = match and match["format"].strip().replace(" ", "_").casefold()
        if match is None or kind not in DeliverableKind.__members__.values():
            raise ValueError(f"'{part}' is not a price such as 'short_video CNY 8000-12000' "
                             f"(formats: {', '.join(k.value for k in DeliverableKind)})")
        currency = match["currency"].upper()
        if not is_currency(currency):
            raise ValueError(f"'{currency}' is not an ISO-4217 currency code")
        low = minor_units(match["low"], currency)
        high = minor_units(match["high"], currency) if match["high"] else low
        ranges.append({"format": kind, "currency": currency, "min_amount": low,
                       "max_amount": high})
    return ranges


def export_rows(creator: dict[str, Any], owner: str | None) -> list[list[Any]]:
    """A directory row as spreadsheet rows: one per handle (one with none if it has none)."""
    cooperation = creator.get("cooperation") or {}
    common = [
        ", ".join(creator.get("category_list") or []),
        "; ".join(price_text(p) for p in creator.get("price_ranges") or []),
        creator["status"], owner or "", cooperation.get("contracts", 0),
        cooperation.get("on_time", 0), cooperation.get("late", 0),
        (cooperation.get("last_worked_with") or "")[:10], creator["creator_id"]]
    handles = creator.get("handles") or [{}]
    return [[creator["display_name"], creator["kind"], h.get("platform", ""),
             h.get("handle", ""), h.get("followers", ""),
             f"{Decimal(h['engagement_rate_bp']) / 100}%" if "engagement_rate_bp" in h else "",
             *common] for h in handles]


def price_text(price: dict[str, Any]) -> str:
    low, high = (major_units(price[k], price["currency"]) for k in ("min_amount", "max_amount"))
    amounts = f"{low}" if low == high else f"{low}-{high}"
    return f"{price['format']} {price['currency']} {amounts}"
