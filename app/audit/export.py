"""The filtered log as XLSX or CSV (formula-safe, German dates)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select

from app.audit import anzeige
from app.audit.models import AuditEintrag
from app.core import tabellen
from app.extensions import db

BERLIN = ZoneInfo("Europe/Berlin")
MAX_ROWS = 100_000
KOPF = ["Nr.", "Zeitpunkt", "Person", "Aktion", "Berechtigung", "Objekt", "Änderungen", "Hinweis"]


def _rows(query: Select) -> Iterator[list[Any]]:
    for entry in db.session.scalars(query.limit(MAX_ROWS).execution_options(yield_per=1000)):
        yield row(entry)


def row(entry: AuditEintrag) -> list[Any]:
    """One entry as a table row (local time, no time zone in the cell)."""
    return [
        entry.id,
        entry.zeitpunkt.astimezone(BERLIN).replace(tzinfo=None),
        entry.akteur_name,
        entry.aktion_label,
        "ja" if entry.berechtigung else "",
        anzeige.object_text(entry),
        anzeige.changes_text(entry),
        entry.hinweis or "",
    ]


def xlsx(query: Select) -> bytes:
    return tabellen.xlsx_bytes("Änderungsprotokoll", KOPF, _rows(query))


def csv_bytes(query: Select) -> bytes:
    return tabellen.csv_bytes(KOPF, _rows(query))
