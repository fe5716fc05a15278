"""Spreadsheet exports for German users: XLSX and CSV (semicolon, UTF-8 with BOM).

Text never turns into a formula: XLSX cells holding text are typed as strings, CSV cells
starting with a formula character get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_row(sheet: Any, row: int, values: Iterable[Any], bold: bool = False) -> None:
    """One worksheet row; text cells are strings whatever they start with."""
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        elif hasattr(value, "year"):
            cell.number_format = "DD.MM.YYYY HH:MM"
        if bold:
            cell.font = Font(bold=True)


def xlsx_bytes(title: str, kopf: list[str], rows: Iterable[list[Any]], width: int = 28) -> bytes:
    """A workbook with one sheet: bold header row, frozen, fixed column width."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    write_row(sheet, 1, kopf, bold=True)
    for index, row in enumerate(rows, start=2):
        write_row(sheet, index, row)
    sheet.freeze_panes = "A2"
    for column in range(1, len(kopf) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_safe(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula; German dates and decimals."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return value


def csv_bytes(kopf: list[str], rows: Iterable[list[Any]]) -> bytes:
    """The table as CSV for German spreadsheet programs."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([csv_safe(v) for v in kopf])
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
