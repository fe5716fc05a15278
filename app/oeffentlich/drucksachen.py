"""Read operations for public Vorlagen: list, one Vorlage with its Beratungsfolge and decisions.

Public only by ``sichtbarkeit.vorlage_oeffentlich``; of the measures a version lists only the
released ones are named (``sichtbarkeit.vorlage_massnahmen_oeffentlich``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.oeffentlich import sichtbarkeit as sicht
from app.vorlagen.models import Beratung, Vorlage

LIST_LIMIT = 200


def _vorlagen() -> Select:
    return (
        select(Vorlage)
        .options(
            joinedload(Vorlage.zyklus),
            selectinload(Vorlage.fassungen),
            selectinload(Vorlage.beratungen).options(
                joinedload(Beratung.gremium),
                joinedload(Beratung.sitzung),
                joinedload(Beratung.tagesordnungspunkt),
                selectinload(Beratung.beschluesse),
            ),
        )
        .where(sicht.vorlage_oeffentlich())
    )


def public_vorlagen(limit: int = LIST_LIMIT) -> list[Vorlage]:
    """Public Vorlagen, newest first."""
    query = _vorlagen().order_by(Vorlage.created_at.desc(), Vorlage.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def public_vorlage(vorlage_id: int) -> Vorlage | None:
    """One public Vorlage with versions and Beratungsfolge (None if not public)."""
    return db.session.scalar(_vorlagen().where(Vorlage.id == vorlage_id))


def vorlagen_of_tops(top_ids: list[int]) -> dict[int, Vorlage]:
    """Agenda items that carry a public Vorlage, for links on the meeting page."""
    if not top_ids:
        return {}
    rows = db.session.execute(
        select(Beratung.tagesordnungspunkt_id, Vorlage)
        .join(Vorlage, Vorlage.id == Beratung.vorlage_id)
        .where(Beratung.tagesordnungspunkt_id.in_(top_ids), sicht.vorlage_oeffentlich())
    )
    return {top_id: vorlage for top_id, vorlage in rows}


def vorlagen_of_beratungen(beratung_ids: list[int]) -> dict[int, Vorlage]:
    """Steps of public Vorlagen by id, for links from decisions on a measure (one query)."""
    ids = [i for i in beratung_ids if i is not None]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Beratung.id, Vorlage)
        .join(Vorlage, Vorlage.id == Beratung.vorlage_id)
        .where(Beratung.id.in_(ids), sicht.vorlage_oeffentlich())
    )
    return {beratung_id: vorlage for beratung_id, vorlage in rows}


@dataclass
class Zeile:
    """One measure of the version as the public may see it."""

    rang: Any
    titel: str | None  # None: not released, shown only as counted
    massnahme_id: int | None
    sozialraum: str
    kosten: str | None


def public_inhalt(vorlage: Vorlage) -> tuple[list[Zeile], int]:
    """The current version's measures: released ones by name, the rest only counted."""
    fassung = vorlage.aktuelle_fassung
    if fassung is None:
        return [], 0
    frei = sicht.vorlage_massnahmen_oeffentlich(fassung.inhalt)
    zeilen = [
        Zeile(
            row.get("rang"),
            row.get("titel"),
            row["id"],
            row.get("sozialraum") or "",
            row.get("kosten"),
        )
        for row in fassung.inhalt
        if row.get("id") in frei
    ]
    return zeilen, len(fassung.inhalt) - len(zeilen)
