"""Validating and importing tables of indicator values and Einrichtungen: all rows or none.

The import job and the benchmark use the same path: ``open_table`` (streaming) → a
validator row by row (``imports_indikatoren``, ``imports_einrichtungen``) → its ``apply``.
"""

from __future__ import annotations

from collections.abc import Callable

from app.datenbasis import imports_einrichtungen as einrichtungen
from app.datenbasis import imports_indikatoren as indikatoren
from app.datenbasis.importbericht import Fortschritt, ImportReport, Progress, RowError
from app.datenbasis.models import ImportArt
from app.datenbasis.parsing import TableSource, UploadError, open_table

UNLIMITED = 10**9

COLUMNS: dict[ImportArt, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # (required, optional)
    ImportArt.INDIKATORWERTE: (("indikator", "sozialraum", "jahr", "wert"), ()),
    ImportArt.EINRICHTUNGEN: (
        ("name", "typ", "sozialraum"),
        ("strasse", "plz", "ort", "betreiber"),
    ),
}
ALIASES = {
    "stadtbereich": "sozialraum",
    "straße": "strasse",
    "adresse": "strasse",
    "träger": "betreiber",
    "traeger": "betreiber",
    "art": "typ",
    "einrichtung": "name",
    "wert (zahl)": "wert",
}

VALIDATE: dict[ImportArt, Callable[[TableSource, ImportReport, Fortschritt], None]] = {
    ImportArt.INDIKATORWERTE: indikatoren.validate_indikatorwerte,
    ImportArt.EINRICHTUNGEN: einrichtungen.validate_einrichtungen,
}
APPLY: dict[ImportArt, Callable[[ImportReport, int | None], None]] = {
    ImportArt.INDIKATORWERTE: indikatoren.apply_indikatorwerte,
    ImportArt.EINRICHTUNGEN: einrichtungen.apply_einrichtungen,
}
COUNT_REPLACED: dict[ImportArt, Callable[[ImportReport], int]] = {
    ImportArt.INDIKATORWERTE: indikatoren.count_replacements,
    ImportArt.EINRICHTUNGEN: einrichtungen.count_einrichtung_updates,
}


def import_file(
    art: ImportArt,
    data: bytes,
    filename: str,
    importdatei_id: int | None = None,
    max_rows: int = UNLIMITED,
    progress: Progress | None = None,
) -> ImportReport:
    """Parse, validate and import a file; with any error nothing is written."""
    report = check_file(art, data, filename, max_rows, progress)
    if report.ok:
        APPLY[art](report, importdatei_id)
    return report


def check_file(
    art: ImportArt,
    data: bytes,
    filename: str,
    max_rows: int = UNLIMITED,
    progress: Progress | None = None,
) -> ImportReport:
    """Read and validate a file row by row without writing; an unreadable file is a report too."""
    report = ImportReport(art=art)
    fortschritt = Fortschritt(progress)
    try:
        source = open_table(data, filename, max_rows)
        source.header = [ALIASES.get(h, h) for h in source.header]
        report.header, report.kodierung = source.header, source.kodierung
        report.geschaetzt = source.geschaetzt
        required, _optional = COLUMNS[art]
        missing = [c for c in required if source.column(c) is None]
        for name in missing:
            report.errors.append(
                RowError(1, name, f"Die Pflichtspalte „{name}“ fehlt in der Kopfzeile.")
            )
        if not missing:
            VALIDATE[art](source, report, fortschritt)
            if report.gelesen == 0:
                report.datei_fehler = (
                    "Die Datei enthält nur eine Kopfzeile, aber keine Datenzeilen."
                )
    except UploadError as exc:
        report.datei_fehler = str(exc)
    fortschritt.tick(report, force=True)
    return report
