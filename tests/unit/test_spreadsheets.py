"""Spreadsheets read and written: what is written reads back cell for cell, in CSV and
XLSX, whatever the text (Chinese, commas, quotes, line breaks, text a spreadsheet would
run as a formula); a creator row's prices and engagement read back as written."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from application.common.spreadsheets import CSV, XLSX, count, decoded, read_sheet, write_sheet
from application.creators.creator_sheet import basis_points, price_text, prices
from domain.errors import InvalidValue
from domain.vocabulary import DeliverableKind

# Text as people type it into a cell: any printable character, no control characters
# (which XLSX cannot hold), not blank (a blank row is skipped as the end of a sheet).
CELL = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")) | st.sampled_from(
    ["\n", ",", '"', "=", "+", "-", "@", "'", "万", "、"]), min_size=1, max_size=20
    ).filter(lambda text: text.strip() == text and text != "")


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([CSV, XLSX]),
       st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=5))
@example(CSV, [["'=1", "''-x", "=SUM(A1)"]])
@example(XLSX, [["'=1", "''-x", "=SUM(A1)"]])
def test_what_is_written_reads_back_cell_for_cell(format: str, rows: list[list[str]]) -> None:
    written = write_sheet(format, ["a", "b", "c"], rows)

    sheet = read_sheet(written, 100)

    assert sheet.format == format and sheet.header == ("a", "b", "c")
    assert [list(row.cells) for row in sheet.rows] == rows


@given(st.integers(min_value=0, max_value=10_000))
def test_an_engagement_rate_reads_back_in_basis_points(bp: int) -> None:
    from decimal import Decimal

    assert basis_points(f"{Decimal(bp) / 100}%") == bp


@given(st.sampled_from(list(DeliverableKind)), st.sampled_from(["CNY", "USD", "JPY"]),
       st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=10**9))
def test_a_price_reads_back_as_written(kind: DeliverableKind, currency: str, low: int,
                                       extra: int) -> None:
    price = {"format": kind.value, "currency": currency, "min_amount": low,
             "max_amount": low + extra}

    assert prices(price_text(price)) == [price]


def test_counts_and_encodings_people_use() -> None:
    assert (count("1.2万"), count("12,400"), count("3k")) == (12_000, 12_400, 3_000)
    text = "达人昵称,平台\n林小美,小红书\n"
    for raw in (text.encode("gbk"), text.encode("utf-8-sig"), text.encode("utf-16")):
        assert decoded(raw) == text


def test_a_sheet_that_cannot_be_read_says_why() -> None:
    for raw, problem in [(b"", "is empty"), (b"a,b\n\n", "no rows"),
                         (b"a,b\n1,\x002\n", "NUL"), (b"PK\x03\x04junk", "XLSX")]:
        with pytest.raises(InvalidValue, match=problem):
            read_sheet(raw, 10)
    with pytest.raises(InvalidValue, match="more than 2 rows"):
        read_sheet(b"a\n1\n2\n3\n", 2)


def test_a_workbook_leaves_out_the_control_characters_it_cannot_hold() -> None:
    written = write_sheet(XLSX, ["name"], [["Mia\x07 Chen"]])

    assert read_sheet(written, 10).rows[0].cells == ("Mia Chen",)
