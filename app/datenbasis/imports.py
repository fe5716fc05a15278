"""Validating and importing tables of indicator values and Einrichtungen: all rows or none.

The upload view and the benchmark use the same path: ``read_table`` → ``validate_*`` →
``apply_*``. Inserts of indicator values are Core inserts in batches, with lookups done once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, select

from app.datenbasis.models import (
    Einrichtung,
    EinrichtungTyp,
    ImportArt,
    Indikator,
    Indikatorwert,
)
from app.datenbasis.parsing import Cell, Table, cell_text, parse_int, parse_number, read_table
from app.extensions import db
from app.stammdaten.models import Organisation, Sozialraum

BATCH = 5000
MAX_SHOWN_ERRORS = 200
GESAMTSTADT = ("gesamtstadt", "stadt", "gesamt")
YEARS = range(1900, 2101)


@dataclass(frozen=True)
class RowError:
    """One problem, named by row and column as the spreadsheet shows them."""

    zeile: int
    spalte: str
    problem: str


@dataclass
class ImportReport:
    """The result of validating (and maybe importing) one file."""

    art: ImportArt
    errors: list[RowError] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    preview: list[list[str]] = field(default_factory=list)
    ersetzt: int = 0
    importiert: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def shown_errors(self) -> list[RowError]:
        return self.errors[:MAX_SHOWN_ERRORS]

    @property
    def neu(self) -> int:
        return len(self.rows) - self.ersetzt


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


def import_file(
    art: ImportArt, data: bytes, filename: str, importdatei_id: int | None = None
) -> ImportReport:
    """Parse, validate and import a file; with any error nothing is written."""
    report = check_file(art, data, filename)
    if report.ok:
        APPLY[art](report, importdatei_id)
    return report


def check_file(art: ImportArt, data: bytes, filename: str) -> ImportReport:
    """Parse and validate a file without writing anything (raises UploadError if unreadable)."""
    table = read_table(data, filename)
    table.header = [ALIASES.get(h, h) for h in table.header]
    report = ImportReport(art=art, header=table.header)
    report.preview = [[cell_text(c) for c in cells] for _, cells in table.rows[:10]]
    required, _optional = COLUMNS[art]
    missing = [c for c in required if table.column(c) is None]
    for name in missing:
        report.errors.append(
            RowError(1, name, f"Die Pflichtspalte „{name}“ fehlt in der Kopfzeile.")
        )
    if not missing:
        VALIDATE[art](table, report)
    return report


# --------------------------------------------------------------------------- indicator values


def _sozialraum_keys() -> dict[str, int]:
    """Sozialräume by lower-case name and by number."""
    keys: dict[str, int] = {}
    for raum_id, nummer, name in db.session.execute(
        select(Sozialraum.id, Sozialraum.nummer, Sozialraum.name)
    ):
        keys[name.strip().lower()] = raum_id
        keys[str(nummer)] = raum_id
    return keys


def validate_indikatorwerte(table: Table, report: ImportReport) -> None:
    """Check every row; valid rows become dicts ready for a Core insert."""
    indikatoren = {
        n.strip().lower(): i for i, n in db.session.execute(select(Indikator.id, Indikator.name))
    }
    raeume = _sozialraum_keys()
    cols = [table.column(c) for c in ("indikator", "sozialraum", "jahr", "wert")]
    seen: dict[tuple[int, int | None, int], int] = {}
    errors, rows = report.errors, report.rows
    for number, cells in table.rows:
        ind_cell, raum_cell, jahr_cell, wert_cell = (
            cells[c] if c < len(cells) else None for c in cols
        )
        indikator_id = _lookup_indikator(ind_cell, indikatoren, number, errors)
        raum_ok, sozialraum_id = _lookup_raum(raum_cell, raeume, number, errors)
        jahr = _year(jahr_cell, number, errors)
        wert = _value(wert_cell, number, errors)
        if indikator_id is None or not raum_ok or jahr is None or wert is None:
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


def _value(cell: Cell, number: int, errors: list[RowError]) -> float | None:
    """The value of a row, or an error when it is no number."""
    try:
        return parse_number(cell)
    except (TypeError, ValueError):
        text = cell_text(cell)
        problem = (
            "Der Wert fehlt." if not text else f"„{text}“ ist keine Zahl (z. B. 12,5 oder 1.234)."
        )
        errors.append(RowError(number, "wert", problem))
        return None


def apply_indikatorwerte(report: ImportReport, importdatei_id: int | None) -> None:
    """Replace existing values with the same key, then insert all rows in batches."""
    rows = report.rows
    indikator_ids = {r["indikator_id"] for r in rows}
    wanted = {(r["indikator_id"], r["sozialraum_id"], r["jahr"]) for r in rows}
    existing = db.session.execute(
        select(
            Indikatorwert.id,
            Indikatorwert.indikator_id,
            Indikatorwert.sozialraum_id,
            Indikatorwert.jahr,
        ).where(Indikatorwert.indikator_id.in_(sorted(indikator_ids)))
    ).all()
    old_ids = [row_id for row_id, *key in existing if tuple(key) in wanted]
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


def count_replacements(report: ImportReport) -> int:
    """How many of the valid rows would replace stored values (for the preview)."""
    if not report.rows:
        return 0
    indikator_ids = {r["indikator_id"] for r in report.rows}
    wanted = {(r["indikator_id"], r["sozialraum_id"], r["jahr"]) for r in report.rows}
    existing = db.session.execute(
        select(Indikatorwert.indikator_id, Indikatorwert.sozialraum_id, Indikatorwert.jahr).where(
            Indikatorwert.indikator_id.in_(sorted(indikator_ids))
        )
    ).all()
    return sum(1 for key in existing if tuple(key) in wanted)


# --------------------------------------------------------------------------- Einrichtungen


def _typ_keys() -> dict[str, EinrichtungTyp]:
    """Types by value and by German label, so both can be written in a file."""
    keys: dict[str, EinrichtungTyp] = {}
    for typ in EinrichtungTyp:
        keys[typ.value] = typ
        keys[typ.label.lower()] = typ
    return keys


def _organisation_keys() -> dict[str, int]:
    """Organisations by name and short name, to link an operator to its Träger."""
    keys: dict[str, int] = {}
    for org_id, name, kurz in db.session.execute(
        select(Organisation.id, Organisation.name, Organisation.kurzname)
    ):
        keys[name.strip().lower()] = org_id
        if kurz:
            keys.setdefault(kurz.strip().lower(), org_id)
    return keys


def validate_einrichtungen(table: Table, report: ImportReport) -> None:
    """Check every row: name, known type, known Sozialraum; the operator may be a Träger."""
    typen, raeume, orgs = _typ_keys(), _sozialraum_keys(), _organisation_keys()
    cols = {
        c: table.column(c)
        for c in ("name", "typ", "sozialraum", "strasse", "plz", "ort", "betreiber")
    }
    seen: dict[tuple[str, str], int] = {}

    def get(cells: list[Cell], name: str) -> str:
        index = cols[name]
        return cell_text(cells[index]) if index is not None and index < len(cells) else ""

    for number, cells in table.rows:
        values = {name: get(cells, name) for name in cols}
        row = _einrichtung_row(number, values, typen, raeume, orgs, report.errors)
        if row is None:
            continue
        key = (row["name"].lower(), row["strasse"].lower())
        if key in seen:
            report.errors.append(
                RowError(number, "name", f"Doppelte Einrichtung: steht schon in Zeile {seen[key]}.")
            )
            continue
        seen[key] = number
        report.rows.append(row)


def _einrichtung_row(
    number: int,
    values: dict[str, str],
    typen: dict[str, EinrichtungTyp],
    raeume: dict[str, int],
    orgs: dict[str, int],
    errors: list[RowError],
) -> dict[str, Any] | None:
    """A row as insertable values, or None after recording its errors."""
    before = len(errors)
    checks: list[tuple[str, bool, str]] = [
        ("name", bool(values["name"]), "Der Name fehlt."),
        ("name", len(values["name"]) <= 200, "Der Name ist länger als 200 Zeichen."),
        (
            "typ",
            values["typ"].lower() in typen,
            f"Unbekannter Typ „{values['typ']}“ (erlaubt: "
            f"{', '.join(t.label for t in EinrichtungTyp)}).",
        ),
        (
            "sozialraum",
            values["sozialraum"].lower() in raeume,
            f"Unbekannter Sozialraum „{values['sozialraum']}“ (Name oder Nummer).",
        ),
        ("plz", len(values["plz"]) <= 10, "Die Postleitzahl ist zu lang."),
        ("strasse", len(values["strasse"]) <= 200, "Die Adresse ist länger als 200 Zeichen."),
        ("betreiber", len(values["betreiber"]) <= 200, "Der Betreiber ist länger als 200 Zeichen."),
    ]
    errors.extend(RowError(number, col, msg) for col, ok, msg in checks if not ok)
    if len(errors) > before:
        return None
    traeger_id = orgs.get(values["betreiber"].lower()) if values["betreiber"] else None
    return {
        "name": values["name"],
        "typ": typen[values["typ"].lower()],
        "sozialraum_id": raeume[values["sozialraum"].lower()],
        "strasse": values["strasse"],
        "plz": values["plz"],
        "ort": values["ort"] or "Hilden",
        "traeger_id": traeger_id,
        "betreiber": "" if traeger_id else values["betreiber"],
    }


def apply_einrichtungen(report: ImportReport, importdatei_id: int | None) -> None:
    """Update Einrichtungen with the same name and address, add the others."""
    existing = {
        (e.name.lower(), e.strasse.lower()): e
        for e in db.session.scalars(
            select(Einrichtung).where(
                func.lower(Einrichtung.name).in_(sorted({r["name"].lower() for r in report.rows}))
            )
        )
    }
    for row in report.rows:
        current = existing.get((row["name"].lower(), row["strasse"].lower()))
        if current is None:
            db.session.add(Einrichtung(**row))
        else:
            report.ersetzt += 1
            for key, value in row.items():
                setattr(current, key, value)
    db.session.flush()
    report.importiert = len(report.rows)


def count_einrichtung_updates(report: ImportReport) -> int:
    """How many rows would update an existing Einrichtung (for the preview)."""
    names = {r["name"].lower() for r in report.rows}
    if not names:
        return 0
    existing = {
        tuple(row)
        for row in db.session.execute(
            select(func.lower(Einrichtung.name), func.lower(Einrichtung.strasse)).where(
                func.lower(Einrichtung.name).in_(sorted(names))
            )
        )
    }
    return sum(1 for r in report.rows if (r["name"].lower(), r["strasse"].lower()) in existing)


VALIDATE: dict[ImportArt, Callable[[Table, ImportReport], None]] = {
    ImportArt.INDIKATORWERTE: validate_indikatorwerte,
    ImportArt.EINRICHTUNGEN: validate_einrichtungen,
}
APPLY: dict[ImportArt, Callable[[ImportReport, int | None], None]] = {
    ImportArt.INDIKATORWERTE: apply_indikatorwerte,
    ImportArt.EINRICHTUNGEN: apply_einrichtungen,
}
COUNT_REPLACED: dict[ImportArt, Callable[[ImportReport], int]] = {
    ImportArt.INDIKATORWERTE: count_replacements,
    ImportArt.EINRICHTUNGEN: count_einrichtung_updates,
}
