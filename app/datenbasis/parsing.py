"""Reading uploaded tables (CSV or XLSX) into header and rows; every problem is a German message."""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

Cell = str | int | float | None

ALLOWED_SUFFIXES = (".csv", ".xlsx")


class UploadError(ValueError):
    """The file cannot be read as a table; the message is shown to the user as is."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Table:
    """A read table: normalised header names and the data rows with their row numbers."""

    header: list[str]
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)

    def column(self, name: str) -> int | None:
        """Index of the column ``name`` or None when it is missing."""
        return self.header.index(name) if name in self.header else None


def normalise_header(cell: Cell) -> str:
    """Header cells compare without case, surrounding blanks or a BOM."""
    return str(cell or "").strip().lstrip("\ufeff").strip().lower()


def read_table(data: bytes, filename: str) -> Table:
    """The first sheet of an XLSX or the whole CSV file as a table."""
    name = (filename or "").strip().lower()
    if not data:
        raise UploadError("Die Datei ist leer.")
    if not name.endswith(ALLOWED_SUFFIXES):
        raise UploadError(
            "Dieser Dateityp wird nicht unterstützt. Bitte laden Sie eine CSV-Datei (.csv) "
            "oder eine Excel-Datei (.xlsx) hoch.",
            status=415,
        )
    rows = _xlsx_rows(data) if name.endswith(".xlsx") else _csv_rows(data)
    return _to_table(rows)


def _to_table(rows: Iterable[list[Cell]]) -> Table:
    """Header from the first filled row; empty rows are skipped but keep their numbers."""
    numbered = enumerate(rows, start=1)  # row numbers as the spreadsheet shows them
    header: list[str] | None = None
    for _number, raw in numbered:
        if any(_filled(c) for c in raw):
            header = [normalise_header(c) for c in raw]
            break
    if header is None:
        raise UploadError("Die Datei enthält keine Kopfzeile und keine Daten.")
    table = Table(header=header)
    for number, raw in numbered:
        if any(_filled(c) for c in raw):
            table.rows.append((number, list(raw)))
    if not table.rows:
        raise UploadError("Die Datei enthält nur eine Kopfzeile, aber keine Datenzeilen.")
    return table


def _filled(cell: Cell) -> bool:
    """Whether a cell holds anything but blanks."""
    return cell is not None and (not isinstance(cell, str) or cell.strip() != "")


def _csv_rows(data: bytes) -> list[list[Cell]]:
    """Rows of a UTF-8 CSV with semicolon, comma or tab as separator."""
    if data.startswith(b"PK\x03\x04") or b"\x00" in data[:4096]:
        raise UploadError(
            "Die Datei ist keine CSV-Textdatei. Bitte speichern Sie die Tabelle als "
            "„CSV UTF-8“ oder laden Sie sie als .xlsx hoch.",
            status=415,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadError(
            "Die Datei ist nicht UTF-8-kodiert (ungültiges Zeichen an Position "
            f"{exc.start + 1}). Bitte speichern Sie sie in Excel als „CSV UTF-8 (durch "
            "Trennzeichen getrennt)“.",
            status=422,
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise UploadError(f"Die CSV-Datei ist fehlerhaft aufgebaut: {exc}", status=422) from exc


def _xlsx_rows(data: bytes) -> list[list[Cell]]:
    """Rows of the first sheet, values as Excel last calculated them."""
    if not data.startswith(b"PK\x03\x04"):
        raise UploadError(
            "Die Datei ist keine gültige Excel-Datei (.xlsx). Ältere .xls-Dateien bitte in "
            "Excel als .xlsx oder als CSV speichern.",
            status=415,
        )
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():  # openpyxl warns about sheet features it ignores
            warnings.simplefilter("ignore", UserWarning)
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
            workbook.close()
    except Exception as exc:  # any failure of the parser on a user's file means "unreadable"
        raise UploadError(
            "Die Excel-Datei ist beschädigt oder kann nicht gelesen werden.", status=422
        ) from exc
    return [[_xlsx_cell(c) for c in row] for row in rows]


def _xlsx_cell(cell: object) -> Cell:
    """Dates and other Excel types become text; numbers stay numbers."""
    if cell is None or isinstance(cell, str | int | float):
        return cell  # type: ignore[return-value]
    return str(cell)


def parse_number(cell: Cell) -> float:
    """A number written the German way (1.234,5) or the technical way (1234.5)."""
    if isinstance(cell, bool):
        raise ValueError(cell)
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell).strip().replace("\u00a0", "").replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(cell)
    return value


def parse_int(cell: Cell) -> int:
    """A whole number such as a year; 2024.0 from Excel is accepted."""
    value = parse_number(cell)
    if value != int(value):
        raise ValueError(cell)
    return int(value)


def cell_text(cell: Cell) -> str:
    """A cell as trimmed text; whole floats from Excel lose their '.0'."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()
