"""What the search finds among measures: all of them for those who read the measures at all."""

from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import select

from app.core.permissions import can
from app.extensions import db
from app.massnahmen.models import Massnahme
from app.suche.quellen import Treffer, suchquelle
from app.suche.volltext import Anfrage, ausschnitt, dokument, markiert, passt, rang
from app.workflows.models import Zyklus


def massnahme_dokument():
    return dokument(Massnahme.titel, Massnahme.beschreibung)


@suchquelle("massnahmen", "Maßnahmen", 30)
def massnahmen(user: Any, anfrage: Anfrage, limit: int) -> list[Treffer]:
    """Measures (Stabsstelle, Planungsrunde, Verwaltungsvorstand: ``massnahmen.ansehen``)."""
    if not can(user, "massnahmen.ansehen"):
        return []
    doc = massnahme_dokument()
    rows = db.session.execute(
        select(
            Massnahme.id, Massnahme.titel, Massnahme.status, Zyklus.titel, ausschnitt(anfrage, doc)
        )
        .join(Zyklus, Zyklus.id == Massnahme.zyklus_id)
        .where(passt(anfrage, doc))
        .order_by(rang(anfrage, doc).desc(), Massnahme.id.desc())
        .limit(limit)
    ).all()
    return [
        Treffer(
            r[1],
            url_for("massnahmen.detail", massnahme_id=r[0]),
            markiert(r[4], anfrage),
            f"{r[3]} – {r[2].label}",
        )
        for r in rows
    ]
