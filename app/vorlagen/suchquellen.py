"""What the search finds among Vorlagen: visible as on the Vorlage page (``vorlage.ansehen``)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import select, true

from app.core.permissions import is_stabsstelle
from app.extensions import db
from app.impulse.permissions import in_internal_gremium
from app.stammdaten.rollen import gremien_abfrage
from app.suche.quellen import Treffer, suchquelle
from app.suche.volltext import Anfrage, ausschnitt, dokument, markiert, passt, rang
from app.vorlagen.models import Beratung, Vorlage


def vorlage_dokument():
    return dokument(Vorlage.titel, Vorlage.drucksache)


def _sichtbar(user: Any):
    if is_stabsstelle(user) or in_internal_gremium(user):
        return true()
    gremien = gremien_abfrage(user)
    return Vorlage.id.in_(select(Beratung.vorlage_id).where(Beratung.gremium_id.in_(gremien)))


@suchquelle("vorlagen", "Vorlagen", 35)
def vorlagen(user: Any, anfrage: Anfrage, limit: int) -> list[Treffer]:
    """Vorlagen by title and Drucksache number."""
    doc = vorlage_dokument()
    rows = db.session.execute(
        select(Vorlage.id, Vorlage.titel, Vorlage.drucksache, ausschnitt(anfrage, doc))
        .where(passt(anfrage, doc), _sichtbar(user))
        .order_by(rang(anfrage, doc).desc(), Vorlage.id.desc())
        .limit(limit)
    ).all()
    return [
        Treffer(
            r[1],
            url_for("vorlagen.detail", vorlage_id=r[0]),
            markiert(r[3], anfrage),
            f"Drucksache {r[2]}" if r[2] else "",
        )
        for r in rows
    ]
