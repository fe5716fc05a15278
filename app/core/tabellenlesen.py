"""Reading uploaded tables (CSV or XLSX) row by row; every problem is a German message.

In core because the data imports and the master-data bulk import share it.

``sniff_upload`` runs in the web request and only looks at the bytes (type, encoding, zip
directory): it is cheap for any file size. ``open_table`` runs in the import job and streams
the rows (openpyxl's read-only mode, ``csv.reader`` over the decoded text), so a file with a
million rows is read only up to the configured row limit.
"""

from __future__ import annotations

import codecs
import csv
import io
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from app.core.zahlen import ZahlFehler, format_zahl, is_missing, parse_zahl

Cell = str | int | float | None

ALLOWED_SUFFIXES = (".csv", ".xlsx")
XLSX_MAX_UNPACKED = 200 * 1024 * 1024  # sheet XML of far more rows than the row limit allows

UTF8 = "UTF-8"
UTF8_BOM = "UTF-8 mit BOM (Excel „CSV UTF-8“)"
UTF16 = "UTF-16 (Excel „Unicode-Text“)"
CP1252 = "Windows-1252 (Excel „CSV (Trennzeichen-getrennt)“)"
LATIN9 = "ISO-8859-15 (Latin-9)"
XLSX = "Excel-Arbeitsmappe (.xlsx)"

# Bytes where Windows-1252 and ISO-8859-15 differ, and which reading is likelier in German
# data: € Š š ž are letters or currency, ´ ¼ ½ ¾ are typed in German text; ¤ ¦ ¨ ¸ Ž Œ œ Ÿ rarely.
_LATIN9_LIKELY = frozenset(b"\xa4\xa6\xa8\xb8")
_CP1252_LIKELY = frozenset(b"\xb4\xbc\xbd\xbe")
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")


class UploadError(ValueError):
    """The file cannot be read as a table; the message is shown to the user as is."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class TableSource:
    """A table being read: its header, the numbered data rows as they stream, the encoding."""

    header: list[str]
    rows: Iterator[tuple[int, list[Cell]]]
    kodierung: str
    geschaetzt: int | None = None  # data rows expected (for a progress bar), if known

    def column(self, name: str) -> int | None:
        """Index of the column ``name`` or None when it is missing."""
        return self.header.index(name) if name in self.header else None


@dataclass
class Table:
    """A fully read table (small files, tests): header and rows with their row numbers."""

    header: list[str]
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)

    def column(self, name: str) -> int | None:
        return self.header.index(name) if name in self.header else None


def normalise_header(cell: Cell) -> str:
    """Header cells compare without case, surrounding blanks or a BOM."""
    return str(cell or "").strip().lstrip("\ufeff").strip().lower()


# --------------------------------------------------------------------------- in the request


def sniff_upload(data: bytes, filename: str) -> str:
    """Check type and encoding from the bytes alone; returns the encoding's name."""
    name = (filename or "").strip().lower()
    if not data:
        raise UploadError("Die Datei ist leer.")
    if not name.endswith(ALLOWED_SUFFIXES):
        raise UploadError(
            "Dieser Dateityp wird nicht unterstützt. Bitte laden Sie eine CSV-Datei (.csv) "
            "oder eine Excel-Datei (.xlsx) hoch.",
            status=415,
        )
    if name.endswith(".xlsx"):
        _check_xlsx_container(data)
        return XLSX
    return decode_text(data)[1]


def _check_xlsx_container(data: bytes) -> None:
    """A zip with a workbook whose unpacked size stays bounded (no zip bomb)."""
    if not data.startswith(b"PK\x03\x04"):
        raise UploadError(
            "Die Datei ist keine gültige Excel-Datei (.xlsx). Ältere .xls-Dateien bitte in "
            "Excel als .xlsx oder als CSV speichern.",
            status=415,
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UploadError(
            "Die Excel-Datei ist beschädigt oder kann nicht gelesen werden.", status=422
        ) from exc
    if not any(e.filename == "xl/workbook.xml" for e in entries):
        raise UploadError(
            "Die Excel-Datei ist beschädigt oder kann nicht gelesen werden.", status=422
        )
    if len(entries) > 1000 or sum(e.file_size for e in entries) > XLSX_MAX_UNPACKED:
        raise UploadError(
            "Die Excel-Datei ist entpackt zu groß. Bitte teilen Sie die Daten auf mehrere "
            "Dateien auf oder laden Sie sie als CSV hoch.",
            status=413,
        )


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of its encoding (UTF-8, UTF-16, Windows-1252, …)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16", UTF16), UTF16
    if data.startswith(b"PK\x03\x04") or b"\x00" in data[:4096]:
        raise UploadError(
            "Die Datei ist keine CSV-Textdatei. Bitte speichern Sie die Tabelle als "
            "„CSV UTF-8“ oder laden Sie sie als .xlsx hoch.",
            status=415,
        )
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[3:], "utf-8", UTF8_BOM), UTF8_BOM
    try:
        return data.decode("utf-8"), UTF8
    except UnicodeDecodeError:
        pass
    high = frozenset(data) - frozenset(range(0x80))
    if high & _CP1252_UNDEFINED:
        raise UploadError(
            "Die Zeichenkodierung der Datei wurde nicht erkannt (weder UTF-8 noch "
            "Windows-1252/ISO-8859-15). Bitte speichern Sie sie in Excel als „CSV UTF-8 "
            "(durch Trennzeichen getrennt)“.",
            status=422,
        )
    if not any(0x80 <= b <= 0x9F for b in high) and len(high & _LATIN9_LIKELY) > len(
        high & _CP1252_LIKELY
    ):
        return data.decode("iso8859_15"), LATIN9
    return data.decode("cp1252"), CP1252


def _decode(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise UploadError(
            f"Die Datei ist als {name} gekennzeichnet, enthält aber ein ungültiges Zeichen "
            f"an Position {exc.start + 1}.",
            status=422,
        ) from exc


# --------------------------------------------------------------------------- in the import job


def open_table(data: bytes, filename: str, max_rows: int) -> TableSource:
    """The header and a stream of at most ``max_rows`` data rows (more is an UploadError)."""
    kodierung = sniff_upload(data, filename)
    if kodierung == XLSX:
        raw, geschaetzt = _xlsx_rows(data)
    else:
        text = decode_text(data)[0]
        raw, geschaetzt = _csv_rows(text), max(text.count("\n") - 1, 1)
    numbered = enumerate(raw, start=1)  # row numbers as the spreadsheet shows them
    header = _header(numbered)
    return TableSource(header, _data_rows(numbered, max_rows), kodierung, geschaetzt)


def read_table(data: bytes, filename: str, max_rows: int = 10**9) -> Table:
    """The whole table at once (small files: tests, the benchmark's baseline)."""
    source = open_table(data, filename, max_rows)
    table = Table(header=source.header, rows=list(source.rows))
    if not table.rows:
        raise UploadError("Die Datei enthält nur eine Kopfzeile, aber keine Datenzeilen.")
    return table


def _header(numbered: Iterator[tuple[int, list[Cell]]]) -> list[str]:
    """The first filled row, normalised."""
    for _number, raw in numbered:
        if any(_filled(c) for c in raw):
            return [normalise_header(c) for c in raw]
    raise UploadError("Die Datei enthält keine Kopfzeile und keine Daten.")


def _data_rows(
    numbered: Iterator[tuple[int, list[Cell]]], max_rows: int
) -> Iterator[tuple[int, list[Cell]]]:
    """Filled rows with their numbers; empty rows are skipped; stops beyond the row limit."""
    count = 0
    for number, raw in numbered:
        if not any(_filled(c) for c in raw):
            continue
        count += 1
        if count > max_rows:
            raise UploadError(
                f"Die Datei hat mehr als {format_zahl(max_rows)} Datenzeilen (Zeile {number}). "
                "Bitte teilen Sie sie auf mehrere Dateien auf.",
                status=413,
            )
        yield number, raw


def _filled(cell: Cell) -> bool:
    """Whether a cell holds anything but blanks."""
    return cell is not None and (not isinstance(cell, str) or cell.strip() != "")


def _csv_rows(text: str) -> Iterator[list[Cell]]:
    """Rows of CSV text with semicolon, comma or tab as separator (from the first line)."""
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        raise UploadError(
            f"Die CSV-Datei ist fehlerhaft aufgebaut (ab Zeile {reader.line_num}): {exc}",
            status=422,
        ) from exc


def _xlsx_rows(data: bytes) -> tuple[Iterator[list[Cell]], int | None]:
    """Rows of the first sheet streamed in read-only mode, values as Excel last calculated them."""
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():  # openpyxl warns about sheet features it ignores
            warnings.simplefilter("ignore", UserWarning)
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            geschaetzt = sheet.max_row - 1 if sheet.max_row else None
    except Exception as exc:  # any failure of the parser on a user's file means "unreadable"
        raise UploadError(
            "Die Excel-Datei ist beschädigt oder kann nicht gelesen werden.", status=422
        ) from exc

    def rows() -> Iterator[list[Cell]]:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                for row in sheet.iter_rows(values_only=True):
                    yield [_xlsx_cell(c) for c in row]
        except UploadError:
            raise
        except Exception as exc:  # a broken sheet part shows up only while reading
            raise UploadError(
                "Die Excel-Datei ist beschädigt oder kann nicht gelesen werden.", status=422
            ) from exc
        finally:
            workbook.close()

    return rows(), geschaetzt


def _xlsx_cell(cell: object) -> Cell:
    """Dates and other Excel types become text; numbers stay numbers."""
    if cell is None or isinstance(cell, str | int | float):
        return cell  # type: ignore[return-value]
    return str(cell)


# --------------------------------------------------------------------------- cells


def cell_text(cell: Cell) -> str:
    """A cell as trimmed text; whole floats from Excel lose their '.0'."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def cell_missing(cell: Cell) -> bool:
    """Empty or a statistical sign for "no value" (-, ., x, …)."""
    return cell is None or (isinstance(cell, str) and is_missing(cell))


def parse_number(cell: Cell) -> float:
    """A number from a cell: Excel numbers as they are, text the German way (ZahlFehler)."""
    if isinstance(cell, bool):
        raise ZahlFehler(f"„{cell}“ ist keine Zahl.")
    if isinstance(cell, int | float):
        if cell != cell or cell in (float("inf"), float("-inf")):
            raise ZahlFehler(f"„{cell}“ ist keine Zahl.")
        return float(cell)
    return float(parse_zahl(str(cell)))


def parse_int(cell: Cell) -> int:
    """A whole number such as a year: digits only in text, 2024.0 from Excel is accepted."""
    if isinstance(cell, bool) or cell is None:
        raise ValueError(cell)
    if isinstance(cell, int | float):
        if cell != cell or cell in (float("inf"), float("-inf")) or cell != int(cell):
            raise ValueError(cell)
        return int(cell)
    text = str(cell).strip()
    if not text.isascii() or not text.isdigit():
        raise ValueError(cell)
    return int(text)


def as_decimal(value: float) -> Decimal:
    """A stored float as the Decimal the user wrote (for formatting without float noise)."""
    return Decimal(repr(value))
