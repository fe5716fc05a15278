"""What the search finds among circulars: those addressed to the person (Stabsstelle: all)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import select

from app.extensions import db
from app.rundschreiben.models import Rundschreiben
from app.rundschreiben.services import sichtbare
from app.suche.quellen import Treffer, suchquelle
from app.suche.volltext import Anfrage, ausschnitt, dokument, markiert, passt, rang


def rundschreiben_dokument():
    return dokument(Rundschreiben.betreff, Rundschreiben.text)


@suchquelle("rundschreiben", "Rundschreiben", 15)
def rundschreiben(user: Any, anfrage: Anfrage, limit: int) -> list[Treffer]:
    """Circulars by subject and text, as the list "Rundschreiben" shows them."""
    doc = rundschreiben_dokument()
    ids = sichtbare(user).with_only_columns(Rundschreiben.id).order_by(None)
    rows = db.session.execute(
        select(
            Rundschreiben.id,
            Rundschreiben.betreff,
            Rundschreiben.created_at,
            ausschnitt(anfrage, doc),
        )
        .where(passt(anfrage, doc), Rundschreiben.id.in_(ids))
        .order_by(rang(anfrage, doc).desc(), Rundschreiben.created_at.desc())
        .limit(limit)
    ).all()
    return [
        Treffer(
            r[1],
            url_for("rundschreiben.detail", rundschreiben_id=r[0]),
            markiert(r[3], anfrage),
            "Rundschreiben der Stabsstelle",
            r[2],
        )
        for r in rows
    ]
