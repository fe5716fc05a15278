"""Einrichtungen from a table: name, known type and Sozialraum; the operator may be a Träger.

Rows with the same name and street update the stored Einrichtung, the others are added.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.datenbasis.importbericht import Fortschritt, ImportReport, RowError
from app.datenbasis.imports_indikatoren import _sozialraum_keys
from app.datenbasis.models import Einrichtung, EinrichtungTyp
from app.datenbasis.parsing import Cell, TableSource, cell_missing, cell_text
from app.extensions import db
from app.stammdaten.models import Organisation

OPTIONAL = ("strasse", "plz", "ort", "betreiber", "breite", "laenge")


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


def validate_einrichtungen(
    source: TableSource, report: ImportReport, fortschritt: Fortschritt
) -> None:
    """Check every row: name, known type, known Sozialraum; the operator may be a Träger."""
    typen, raeume, orgs = _typ_keys(), _sozialraum_keys(), _organisation_keys()
    cols = {
        c: source.column(c)
        for c in ("name", "typ", "sozialraum", "strasse", "plz", "ort", "betreiber")
    }
    # optional position in WGS 84 (decimal degrees); "lat"/"lon" are understood too
    cols["breite"] = _first_column(source, "breite", "breitengrad", "lat")
    cols["laenge"] = _first_column(source, "laenge", "längengrad", "laengengrad", "lon")
    report.set_preview_header({})
    seen: dict[tuple[str, str], int] = {}
    for number, cells in source.rows:
        fortschritt.tick(report)  # the rows before this one are done
        report.gelesen += 1
        report.add_preview(number, cells, {})
        values = {name: _get(cells, cols[name], name) for name in cols}
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


def _first_column(source: TableSource, *names: str) -> int | None:
    return next((i for i in (source.column(n) for n in names) if i is not None), None)


def _grad(text: str, low: float, high: float) -> float | None:
    """A coordinate in decimal degrees (point or comma); None if it is no such number."""
    try:
        value = float(text.replace(",", ".")) if text.count(",") <= 1 else None
    except ValueError:
        return None
    return value if value is not None and low <= value <= high else None


def _get(cells: list[Cell], index: int | None, name: str) -> str:
    """A cell as text; in optional columns a statistical sign for "nothing" (-, x, …) is empty."""
    if index is None or index >= len(cells):
        return ""
    cell = cells[index]
    return "" if name in OPTIONAL and cell_missing(cell) else cell_text(cell)


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
        (
            "breite",
            not values["breite"] or _grad(values["breite"], -90, 90) is not None,
            f"„{values['breite']}“ ist kein Breitengrad (WGS 84, Dezimalgrad, z. B. 51,1682).",
        ),
        (
            "laenge",
            not values["laenge"] or _grad(values["laenge"], -180, 180) is not None,
            f"„{values['laenge']}“ ist kein Längengrad (WGS 84, Dezimalgrad, z. B. 6,9386).",
        ),
        (
            "laenge",
            bool(values["breite"]) == bool(values["laenge"]),
            "Breiten- und Längengrad bitte zusammen angeben (oder keinen).",
        ),
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
        "breite": _grad(values["breite"], -90, 90) if values["breite"] else None,
        "laenge": _grad(values["laenge"], -180, 180) if values["laenge"] else None,
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
