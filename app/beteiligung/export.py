"""Export of all answers of a form as XLSX (openpyxl) and CSV (semicolon, UTF-8 with BOM).

One row per addressed organisation; one column per question (the matrix: one per Sozialraum).
Only submitted answers are exported; text never turns into a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.beteiligung.antworten import anzeige, clean_from_rows
from app.beteiligung.models import (
    BogenFrage,
    FrageTyp,
    Rueckmeldebogen,
    Rueckmeldung,
    RueckmeldungAnhang,
    RueckmeldungAntwort,
)
from app.core import tabellen
from app.core.tabellen import write_row
from app.extensions import db
from app.stammdaten.models import Organisation, Sozialraum

BERLIN = ZoneInfo("Europe/Berlin")
XLSX_TYPE = tabellen.XLSX_TYPE


def _spalten(
    fragen: list[BogenFrage], raeume: list[Sozialraum]
) -> list[tuple[str, BogenFrage, int | None]]:
    """Column headings with the question (and Sozialraum) each column holds."""
    spalten: list[tuple[str, BogenFrage, int | None]] = []
    for nummer, frage in enumerate(fragen, start=1):
        if frage.typ == FrageTyp.MATRIX:
            spalten += [(f"{nummer}. {frage.text} – {r.name}", frage, r.id) for r in raeume]
        else:
            spalten.append((f"{nummer}. {frage.text}", frage, None))
    return spalten


def _rueckmeldungen(bogen_id: int) -> list[Rueckmeldung]:
    return list(
        db.session.scalars(
            select(Rueckmeldung)
            .join(Organisation, Organisation.id == Rueckmeldung.organisation_id)
            .options(
                joinedload(Rueckmeldung.organisation),
                joinedload(Rueckmeldung.eingereicht_von),
                selectinload(Rueckmeldung.antworten)
                .joinedload(RueckmeldungAntwort.anhang)
                .joinedload(RueckmeldungAnhang.datei),
            )
            .where(Rueckmeldung.bogen_id == bogen_id)
            .order_by(Organisation.name)
        ).unique()
    )


def _zelle(frage: BogenFrage, value: Any, raum_id: int | None, rm: Rueckmeldung) -> Any:
    """The cell value: numbers stay numbers, everything else is text."""
    if value is None:
        return None
    if raum_id is not None:
        return value.get(raum_id)
    if frage.typ in (FrageTyp.ZAHL, FrageTyp.SKALA) and isinstance(value, int | float):
        return value
    namen = {a.anhang_id: a.anhang.dateiname for a in rm.antworten if a.anhang is not None}
    return anzeige(frage, value, {}, namen)


def tabelle(
    bogen: Rueckmeldebogen, raeume: list[Sozialraum]
) -> tuple[list[str], Iterator[list[Any]]]:
    """Headings and rows of the export."""
    spalten = _spalten(bogen.fragen, raeume)
    kopf = ["Organisation", "Status", "Eingereicht am", "Eingereicht von", *[s[0] for s in spalten]]

    def rows() -> Iterator[list[Any]]:
        for rm in _rueckmeldungen(bogen.id):
            clean = clean_from_rows(rm.antworten) if rm.eingereicht else {}
            eingereicht = (
                rm.eingereicht_at.astimezone(BERLIN).replace(tzinfo=None)
                if rm.eingereicht_at and rm.eingereicht
                else None
            )
            yield [
                rm.organisation.name,
                rm.status.label,
                eingereicht,
                rm.eingereicht_von.name if rm.eingereicht and rm.eingereicht_von else None,
                *[_zelle(f, clean.get(f.id), rid, rm) for _, f, rid in spalten],
            ]

    return kopf, rows()


def xlsx(bogen: Rueckmeldebogen, raeume: list[Sozialraum]) -> bytes:
    """The workbook: sheet "Rückmeldungen" with every answer, sheet "Fragen" with the questions."""
    kopf, rows = tabelle(bogen, raeume)
    book = Workbook()
    sheet = book.active
    sheet.title = "Rückmeldungen"
    write_row(sheet, 1, kopf, bold=True)
    for index, row in enumerate(rows, start=2):
        write_row(sheet, index, row)
    sheet.freeze_panes = "B2"
    for column in range(1, len(kopf) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 28
    _fragen_sheet(book, bogen)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fragen_sheet(book: Workbook, bogen: Rueckmeldebogen) -> None:
    sheet = book.create_sheet("Fragen")
    write_row(
        sheet, 1, ["Nr.", "Abschnitt", "Frage", "Art", "Pflicht", "Antwortmöglichkeiten"], bold=True
    )
    nummer = 0
    for abschnitt in bogen.abschnitte:
        for frage in abschnitt.fragen:
            nummer += 1
            write_row(
                sheet,
                nummer + 1,
                [
                    nummer,
                    abschnitt.titel,
                    frage.text,
                    frage.typ.label,
                    "ja" if frage.pflicht else "nein",
                    "; ".join(frage.optionen),
                ],
            )


def csv_bytes(bogen: Rueckmeldebogen, raeume: list[Sozialraum]) -> bytes:
    """The same table as CSV for German spreadsheet programs."""
    kopf, rows = tabelle(bogen, raeume)
    return tabellen.csv_bytes(kopf, rows)
