"""Indicator values from a table: checked row by row, then replaced and inserted in batches.

Lookups of indicators and Sozialräume are done once; inserts are Core inserts. A value given
as "-", ".", "x", "…" or empty is stored as "keine Angabe" (NULL), never as an error.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select

from app.core.zahlen import KEINE_ANGABE, ZahlFehler, format_zahl
from app.datenbasis.importbericht import Fortschritt, ImportReport, RowError
from app.datenbasis.models import Indikator, Indikatorwert
from app.datenbasis.parsing import (
    Cell,
    TableSource,
    cell_missing,
    cell_text,
    parse_int,
    parse_number,
)
from app.extensions import db
from app.stammdaten.models import Sozialraum

BATCH = 5000
GESAMTSTADT = ("gesamtstadt", "stadt", "gesamt")
YEARS = range(1900, 2101)


def _sozialraum_keys() -> dict[str, int]:
    """Sozialräume by lower-case name and by number."""
    keys: dict[str, int] = {}
    for raum_id, nummer, name in db.session.execute(
        select(Sozialraum.id, Sozialraum.nummer, Sozialraum.name)
    ):
        keys[name.strip().lower()] = raum_id
        keys[str(nummer)] = raum_id
    return keys


def validate_indikatorwerte(
    source: TableSource, report: ImportReport, fortschritt: Fortschritt
) -> None:
    """Check every row; valid rows become dicts ready for a Core insert."""
    indikatoren = {
        n.strip().lower(): i for i, n in db.session.execute(select(Indikator.id, Indikator.name))
    }
    raeume = _sozialraum_keys()
    cols = [source.column(c) for c in ("indikator", "sozialraum", "jahr", "wert")]
    wert_col = cols[3]
    report.set_preview_header({wert_col: "Wert gelesen als"})
    seen: dict[tuple[int, int | None, int], int] = {}
    errors, rows = report.errors, report.rows
    for number, cells in source.rows:
        fortschritt.tick(report)  # the rows before this one are done
        report.gelesen += 1
        ind_cell, raum_cell, jahr_cell, wert_cell = (
            cells[c] if c < len(cells) else None for c in cols
        )
        indikator_id = _lookup_indikator(ind_cell, indikatoren, number, errors)
        raum_ok, sozialraum_id = _lookup_raum(raum_cell, raeume, number, errors)
        jahr = _year(jahr_cell, number, errors)
        ok, wert, gelesen = _value(wert_cell, number, errors)
        report.add_preview(number, cells, {wert_col: gelesen})
        if indikator_id is None or not raum_ok or jahr is None or not ok:
            continue
        key = (indikator_id, sozialraum_id, jahr)
        if key in seen:
            errors.append(
                RowError(
                    number,
                    "jahr",
                    f"Doppelter Wert: dieselbe Kombination steht schon in Zeile {seen[key]}.",
                )
            )
            continue
        seen[key] = number
        report.keine_angabe += wert is None
        rows.append(
            {
                "indikator_id": indikator_id,
                "sozialraum_id": sozialraum_id,
                "jahr": jahr,
                "wert": wert,
            }
        )


def _lookup_indikator(
    cell: Cell, indikatoren: dict[str, int], number: int, errors: list[RowError]
) -> int | None:
    """The indicator's id by name, or an error naming the unknown name."""
    name = cell_text(cell).lower()
    if not name:
        errors.append(RowError(number, "indikator", "Der Indikator fehlt."))
        return None
    found = indikatoren.get(name)
    if found is None:
        errors.append(
            RowError(
                number,
                "indikator",
                f"Unbekannter Indikator „{cell_text(cell)}“ – bitte zuerst im Katalog anlegen.",
            )
        )
    return found


def _lookup_raum(
    cell: Cell, raeume: dict[str, int], number: int, errors: list[RowError]
) -> tuple[bool, int | None]:
    """(ok, Sozialraum id) where None means the whole city."""
    name = cell_text(cell).lower()
    if name in GESAMTSTADT:
        return True, None
    found = raeume.get(name)
    if found is None:
        problem = (
            "Der Sozialraum fehlt (für die ganze Stadt „Gesamtstadt“ eintragen)."
            if not name
            else (f"Unbekannter Sozialraum „{cell_text(cell)}“ (Name, Nummer oder „Gesamtstadt“).")
        )
        errors.append(RowError(number, "sozialraum", problem))
        return False, None
    return True, found


def _year(cell: Cell, number: int, errors: list[RowError]) -> int | None:
    """The year of a row, or an error when it is no plausible year."""
    try:
        jahr = parse_int(cell)
    except (TypeError, ValueError):
        errors.append(RowError(number, "jahr", f"„{cell_text(cell)}“ ist keine Jahreszahl."))
        return None
    if jahr not in YEARS:
        errors.append(
            RowError(number, "jahr", f"Das Jahr {jahr} liegt außerhalb von 1900 bis 2100.")
        )
        return None
    return jahr


def _value(cell: Cell, number: int, errors: list[RowError]) -> tuple[bool, float | None, str]:
    """(ok, value, value as read in German); "-", "x", "…" and empty cells are "keine Angabe"."""
    if cell_missing(cell):
        return True, None, KEINE_ANGABE
    try:
        value = parse_number(cell)
    except ZahlFehler as exc:
        errors.append(RowError(number, "wert", str(exc)))
        return False, None, "nicht lesbar"
    return True, value, format_zahl(value)


def apply_indikatorwerte(report: ImportReport, importdatei_id: int | None) -> None:
    """Replace existing values with the same key, then insert all rows in batches."""
    rows = report.rows
    wanted = _keys(rows)
    old_ids = [row_id for row_id, key in _existing(rows) if key in wanted]
    for start in range(0, len(old_ids), BATCH):
        db.session.execute(
            delete(Indikatorwert).where(Indikatorwert.id.in_(old_ids[start : start + BATCH]))
        )
    for row in rows:
        row["importdatei_id"] = importdatei_id
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(Indikatorwert), rows[start : start + BATCH])
    report.ersetzt = len(old_ids)
    report.importiert = len(rows)


def _keys(rows: list[dict[str, Any]]) -> set[tuple[int, int | None, int]]:
    return {(r["indikator_id"], r["sozialraum_id"], r["jahr"]) for r in rows}


def _existing(rows: list[dict[str, Any]]) -> list[tuple[int, tuple[int, int | None, int]]]:
    """(id, key) of the stored values of the indicators in ``rows``."""
    indikator_ids = sorted({r["indikator_id"] for r in rows})
    if not indikator_ids:
        return []
    return [
        (row_id, (ind, raum, jahr))
        for row_id, ind, raum, jahr in db.session.execute(
            select(
                Indikatorwert.id,
                Indikatorwert.indikator_id,
                Indikatorwert.sozialraum_id,
                Indikatorwert.jahr,
            ).where(Indikatorwert.indikator_id.in_(indikator_ids))
        )
    ]


def count_replacements(report: ImportReport) -> int:
    """How many of the valid rows would replace stored values (for the preview)."""
    wanted = _keys(report.rows)
    return sum(1 for _id, key in _existing(report.rows) if key in wanted)
