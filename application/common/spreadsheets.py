"""Spreadsheets people bring and take away, read as rows of text and written back.

Files come as CSV — UTF-8 with or without a byte-order mark, or GB18030 (which
GBK is part of) as Chinese Excel saves it; commas, semicolons or tabs — or as
XLSX workbooks (the first sheet). Rows keep their line number in the file (the
header is line 1), so every problem can point at its row; blank rows are
skipped, as spreadsheets leave them at the end.

What is written is CSV in UTF-8 with a byte-order mark (so Excel shows Chinese
right) or XLSX; a text cell that a spreadsheet would run as a formula is written
with a leading apostrophe (CSV injection), which reading takes off again.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.errors import InvalidValue
from domain.rules import MAX_COUNT

CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
MEDIA_TYPES = {CSV: "text/csv; charset=utf-8",
               XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
ZIP_SIGNATURE = b"PK\x03\x04"  # an XLSX workbook is a zip archive
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
GUARDED = re.compile(r"^'+[=+\-@\t\r]")  # as written: one apostrophe more than the text


@dataclass(frozen=True)
class Row:
    line: int  # in the file; the header is line 1
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Sheet:
    format: str  # CSV or XLSX: what came in is what an error file goes back as
    header: tuple[str, ...]
    rows: tuple[Row, ...]


def header_key(name: str) -> str:
    """'Display_Name ' and 'display name' are one column; so are '粉丝数' and ' 粉丝数'."""
    return re.sub(r"[\s_\-]+", " ", name.strip().lstrip("\ufeff").casefold()).strip()


def columns_of(header: Sequence[str], names: dict[str, str], required: Sequence[str] = ()
               ) -> tuple[dict[int, str], dict[str, str]]:
    """Which column (by position) each header names, through `names` (header_key of an
    alias -> column); a column named twice, or a required one missing, is a problem."""
    columns: dict[int, str] = {}
    problems: dict[str, str] = {}
    for i, name in enumerate(header):
        column = names.get(header_key(name))
        if column is None:
            continue  # files carry many other columns
        if column in columns.values():
            problems[f"file.{column}"] = f"two columns mean {column}; keep one"
        columns[i] = column
    for column in required:
        if column not in columns.values():
            problems[f"file.{column}"] = f"needs a {column.replace('_', ' ')} column"
    return columns, problems


def decoded(raw: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), GB18030 as Chinese spreadsheets save, or
    UTF-16 with its byte-order mark (Excel's 'Unicode text')."""
    marked = ("utf-16",) if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else ()
    for encoding in (*marked, "utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidValue({"file": "is neither UTF-8 nor GB18030 (GBK) text"})


def count(text: str) -> int:
    """'12,400' -> 12400; '1.2万' or '1.2w' -> 12000; '3k' -> 3000."""
    cleaned = text.replace(",", "").replace(" ", "").casefold()
    factor = 1
    for suffix, times in (("万", 10_000), ("w", 10_000), ("亿", 10**8), ("k", 1_000),
                          ("m", 1_000_000)):
        if cleaned.endswith(suffix):
            cleaned, factor = cleaned[:-len(suffix)], times
            break
    try:
        value = Decimal(cleaned) * factor
    except InvalidOperation as error:
        raise ValueError(f"'{text}' is not a count") from error
    if not value.is_finite() or value < 0 or value > MAX_COUNT \
            or value != value.to_integral_value():
        raise ValueError(f"'{text}' is not a whole count, zero or more")
    return int(value)


def moment(text: str) -> datetime:
    if not text:
        raise ValueError("is empty")
    try:
        if re.fullmatch(r"\d{4}[-/]\d{1,2}[-/]\d{1,2}", text):
            year, month, day = (int(part) for part in re.split(r"[-/]", text))
            return datetime.combine(date(year, month, day), datetime.min.time(), UTC)
        parsed = datetime.fromisoformat(text.replace("/", "-"))
    except ValueError as error:
        raise ValueError(f"'{text}' is not a date (2026-11-20) or time "
                         "(2026-11-20T09:00:00+08:00)") from error
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def read_sheet(raw: bytes, max_rows: int) -> Sheet:
    """A CSV file or an XLSX workbook, told apart by their first bytes."""
    if raw.startswith(ZIP_SIGNATURE):
        return _sheet(XLSX, _workbook_rows(raw), max_rows)
    return read_csv(decoded(raw), max_rows)


def read_csv(text: str, max_rows: int) -> Sheet:
    first_line = text.split("\n", 1)[0]
    try:
        dialect: Any = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return _sheet(CSV, csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter),
                      max_rows)
    except csv.Error as error:
        raise InvalidValue({"file": f"is not readable as CSV ({error})"}) from error


def _sheet(format: str, lines: Iterable[Sequence[str]], max_rows: int) -> Sheet:
    numbered = enumerate(lines, start=1)
    header = next((cells for _, cells in numbered if any(c.strip() for c in cells)), None)
    if header is None:
        raise InvalidValue({"file": "is empty; the first line must name the columns"})
    if any("\x00" in cell for cell in header):
        raise InvalidValue({"file": "contains NUL characters"})
    rows: list[Row] = []
    for line, cells in numbered:
        if not any(cell.strip() for cell in cells):
            continue
        if any("\x00" in cell for cell in cells):
            raise InvalidValue({f"rows[{line}]": "contains NUL characters"})
        if len(rows) >= max_rows:
            raise InvalidValue({"file": f"has more than {max_rows} rows; split it"})
        cleaned = (cell.strip() for cell in cells)  # a workbook's text cells are never run
        rows.append(Row(line, tuple(_unguarded(c) if format == CSV else c for c in cleaned)))
    if not rows:
        raise InvalidValue({"file": "has no rows under its header"})
    return Sheet(format, tuple(cell.strip() for cell in header), tuple(rows))


def _workbook_rows(raw: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook  # only when a workbook comes

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise InvalidValue({"file": "is not a readable XLSX workbook"}) from error
    try:
        sheet = workbook.worksheets[0]
        for cells in sheet.iter_rows():
            yield [_text(cell.value, getattr(cell, "number_format", "")) for cell in cells]
    finally:
        workbook.close()


def _text(value: Any, number_format: str) -> str:
    """A workbook cell as the text a person sees: 12400, not 12400.0; 3.25%, not 0.0325."""
    if isinstance(value, int | float) and not isinstance(value, bool) \
            and "%" in (number_format or ""):
        return f"{_text(Decimal(repr(value)) * 100, '')}%"
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float | Decimal):
        exact = Decimal(repr(value)) if isinstance(value, float) else value
        return str(int(exact)) if exact == exact.to_integral_value() else \
            str(exact.normalize())
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _unguarded(cell: str) -> str:
    return cell[1:] if GUARDED.match(cell) else cell


def _guarded(cell: Any) -> Any:
    if isinstance(cell, str) and (cell.startswith(FORMULA_START) or GUARDED.match(cell)):
        return "'" + cell
    return cell


def write_sheet(format: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Cells may be text or numbers (kept as numbers in a workbook)."""
    if format == XLSX:
        return _workbook(header, rows)
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([_guarded(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def _workbook(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(header))
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, str):  # control characters: a workbook cannot hold them
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever it starts with
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
