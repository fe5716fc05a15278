"""What the search finds among impulses: visible as on the impulse page (``impuls.ansehen``)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import or_, select, true

from app.core.permissions import is_stabsstelle
from app.extensions import db
from app.impulse.models import Impuls
from app.impulse.permissions import in_internal_gremium
from app.stammdaten.rollen import gremien_abfrage
from app.suche.quellen import Treffer, suchquelle
from app.suche.volltext import Anfrage, ausschnitt, dokument, markiert, passt, rang


def impuls_dokument():
    """Title, description, topic and the published answer (never the draft answer)."""
    return dokument(Impuls.titel, Impuls.beschreibung, Impuls.thema, Impuls.antwort_veroeffentlicht)


def _sichtbar(user: Any):
    if is_stabsstelle(user) or in_internal_gremium(user):
        return true()
    gremien = gremien_abfrage(user)
    return or_(Impuls.erstellt_von_id == user.id, Impuls.quelle_gremium_id.in_(gremien))


@suchquelle("impulse", "Impulse", 20)
def impulse(user: Any, anfrage: Anfrage, limit: int) -> list[Treffer]:
    """Impulses the person may open."""
    doc = impuls_dokument()
    rows = db.session.execute(
        select(Impuls.id, Impuls.titel, Impuls.status, Impuls.created_at, ausschnitt(anfrage, doc))
        .where(passt(anfrage, doc), _sichtbar(user))
        .order_by(rang(anfrage, doc).desc(), Impuls.created_at.desc())
        .limit(limit)
    ).all()
    return [
        Treffer(
            r[1],
            url_for("impulse.detail", impuls_id=r[0]),
            markiert(r[4], anfrage),
            r[2].label,
            r[3],
        )
        for r in rows
    ]
