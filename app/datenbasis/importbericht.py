"""The report of one import: errors by row and column, a preview, counts, and progress."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.datenbasis.models import ImportArt
from app.datenbasis.parsing import Cell, cell_text

MAX_SHOWN_ERRORS = 200
PREVIEW_ROWS = 10
FORTSCHRITT_SEKUNDEN = 0.5  # how often a job writes its progress


@dataclass(frozen=True)
class RowError:
    """One problem, named by row and column as the spreadsheet shows them."""

    zeile: int
    spalte: str
    problem: str


Progress = Callable[[int, int, int | None], None]  # rows read, errors so far, rows expected


class Fortschritt:
    """Reports a report's rows read and errors found, at most every ``interval`` seconds."""

    def __init__(self, callback: Progress | None, interval: float | None = None):
        self.callback = callback
        self.interval = FORTSCHRITT_SEKUNDEN if interval is None else interval
        self.next_at = time.monotonic() + self.interval

    def tick(self, report: ImportReport, force: bool = False) -> None:
        """Call back when the interval has passed (or always with ``force``)."""
        if self.callback is None:
            return
        now = time.monotonic()
        if force or now >= self.next_at:
            self.next_at = now + self.interval
            self.callback(report.gelesen, len(report.errors), report.geschaetzt)


@dataclass
class ImportReport:
    """The result of validating (and maybe importing) one file."""

    art: ImportArt
    errors: list[RowError] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    preview_header: list[str] = field(default_factory=list)
    preview: list[list[str]] = field(default_factory=list)
    datei_fehler: str | None = None  # the file as a whole could not be read
    kodierung: str = ""
    gelesen: int = 0  # data rows read
    geschaetzt: int | None = None  # data rows expected (progress bar), if known
    keine_angabe: int = 0  # values given as "-", ".", "x", "…" or empty
    ersetzt: int = 0
    importiert: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and self.datei_fehler is None

    @property
    def shown_errors(self) -> list[RowError]:
        return self.errors[:MAX_SHOWN_ERRORS]

    @property
    def neu(self) -> int:
        return len(self.rows) - self.ersetzt

    def add_preview(self, number: int, cells: list[Cell], extra: dict[int, str]) -> None:
        """Keep the first rows as text, with what was read inserted after the given columns."""
        if len(self.preview) >= PREVIEW_ROWS:
            return
        texts = [cell_text(c) for c in cells[: len(self.header)]]
        texts += [""] * (len(self.header) - len(texts))
        row = [str(number)]
        for index, text in enumerate(texts):
            row.append(text)
            if index in extra:
                row.append(extra[index])
        self.preview.append(row)

    def set_preview_header(self, extra: dict[int, str]) -> None:
        """The preview's columns: row number, the file's columns and what was read from them."""
        out = ["Zeile"]
        for index, name in enumerate(self.header):
            out.append(name)
            if index in extra:
                out.append(extra[index])
        self.preview_header = out

    def as_json(self) -> dict[str, Any]:
        """What the preview and the result page need, without the validated rows."""
        return {
            "header": self.preview_header,
            "vorschau": self.preview,
            "fehler": [[e.zeile, e.spalte, e.problem] for e in self.shown_errors],
            "fehler_anzahl": len(self.errors),
            "datei_fehler": self.datei_fehler,
            "gueltig": len(self.rows),
            "gelesen": self.gelesen,
            "keine_angabe": self.keine_angabe,
            "ersetzt": self.ersetzt,
            "importiert": self.importiert,
        }
