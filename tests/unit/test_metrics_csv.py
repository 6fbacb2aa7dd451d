"""Platform CSV exports become metric snapshots, or are refused whole with every row's errors."""

from datetime import UTC, datetime

import pytest

from application.content.metrics_csv import count, read_metrics_csv
from domain.errors import InvalidValue
from domain.money import Money

DOUYIN_EXPORT = """\ufeff作品标题,Deliverable,日期,播放量,点赞数,评论数,分享数,收藏数,\
成交金额,币种,订单数
晨间护肤,kolpactcode,2026-11-20,1.2万,"3,400",120,45,300,1234.50,CNY,18
晨间护肤,kolpactcode,2026-11-21T09:00:00+08:00,15000,3600,130,50,320,,,
"""


def test_a_chinese_platform_export_is_read_with_its_own_headers_and_number_styles() -> None:
    rows = read_metrics_csv(DOUYIN_EXPORT, default_source="douyin export")

    first, second = rows
    assert (first.line, first.deliverable) == (2, "kolpactcode")
    assert first.snapshot.source == "douyin export"
    assert first.snapshot.measured_at == datetime(2026, 11, 20, tzinfo=UTC)
    assert first.snapshot.counts == {"views": 12000, "likes": 3400, "comments": 120,
                                     "shares": 45, "saves": 300, "orders": 18}
    assert first.snapshot.revenue == Money(123450, "CNY")
    assert second.snapshot.measured_at.utcoffset() is not None
    assert second.snapshot.revenue is None


def test_every_bad_row_is_reported_with_its_line_and_column() -> None:
    text = ("deliverable,measured_at,source,views,revenue,currency\n"
            "d1,2026-11-20,manual,12k,10.00,CNY\n"
            "d2,yesterday,manual,lots,10.00,\n"
            ",2026-11-20,manual,-5,1.234,CNY\n")

    with pytest.raises(InvalidValue) as refused:
        read_metrics_csv(text)

    assert set(refused.value.errors) == {
        "rows[3].measured_at", "rows[3].views", "rows[3].currency",
        "rows[4].deliverable", "rows[4].views", "rows[4].revenue"}


@pytest.mark.parametrize(("text", "field"), [
    ("", "file"),
    ("title,views\nx,1\n", "file"),
    ("deliverable,views\nd1,1\n", "file.measured_at"),
    ("deliverable,date,views\nd1,2026-11-20,1\n", "source"),
    ("deliverable,date,source,views,播放量\nd1,2026-11-20,m,1,1\n", "file.views"),
    ("deliverable,date,source,views\n", "file"),
])
def test_a_file_without_what_it_needs_is_refused(text: str, field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        read_metrics_csv(text)

    assert field in refused.value.errors


@pytest.mark.parametrize(("text", "value"), [
    ("12,400", 12400), ("1.2万", 12000), ("3.5w", 35000), ("2k", 2000), ("1亿", 10**8),
    ("0", 0)])
def test_counts_are_read_as_platforms_write_them(text: str, value: int) -> None:
    assert count(text) == value


@pytest.mark.parametrize("text", ["-1", "1.5", "many", "nan", "inf", "1e30"])
def test_a_count_must_be_a_whole_number(text: str) -> None:
    with pytest.raises(ValueError):
        count(text)
