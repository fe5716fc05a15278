"""What the search finds among people: the Stabsstelle finds every account, others the people
they sit with in an active Gremium (linked to that Gremium's page, as ``gremium.ansehen`` shows)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.core.permissions import is_stabsstelle
from app.extensions import db
from app.stammdaten.models import Gremium, Mitgliedschaft, Organisation
from app.stammdaten.rollen import sitz_von
from app.suche.quellen import Treffer, suchquelle
from app.suche.volltext import Anfrage, ausschnitt, dokument, markiert, passt, rang


def person_dokument():
    return dokument(User.name, User.email)


@suchquelle("personen", "Personen", 50)
def personen(user: Any, anfrage: Anfrage, limit: int) -> list[Treffer]:
    """Accounts by name and address."""
    doc = person_dokument()
    if is_stabsstelle(user):
        rows = db.session.execute(
            select(User.id, User.name, Organisation.name, User.aktiv, ausschnitt(anfrage, doc))
            .outerjoin(Organisation, Organisation.id == User.organisation_id)
            .where(passt(anfrage, doc))
            .order_by(rang(anfrage, doc).desc(), User.name)
            .limit(limit)
        ).all()
        return [
            Treffer(
                r[1],
                url_for("stammdaten.benutzer_detail", user_id=r[0]),
                markiert(r[4], anfrage),
                ", ".join(t for t in (r[2], "" if r[3] else "deaktiviert") if t),
            )
            for r in rows
        ]
    eigene = aliased(Mitgliedschaft)
    gemeinsam = (
        select(
            User.id,
            User.name,
            func.min(Gremium.id).label("gremium_id"),
        )
        .join(Mitgliedschaft, Mitgliedschaft.user_id == User.id)
        .join(Gremium, Gremium.id == Mitgliedschaft.gremium_id)
        .join(eigene, eigene.gremium_id == Gremium.id)
        .where(
            passt(anfrage, dokument(User.name)),
            User.aktiv,
            Gremium.aktiv,
            Mitgliedschaft.aktiv,
            sitz_von(user.id, eigene),  # also the Gremien the person deputises in
        )
        .group_by(User.id, User.name)
        .order_by(User.name)
        .limit(limit)
    )
    return [
        Treffer(
            r[1],
            url_for("stammdaten.gremium_detail", gremium_id=r[2]),
            markiert(r[1], anfrage),
            "Mitglied in einem Ihrer Gremien",
        )
        for r in db.session.execute(gemeinsam).all()
    ]
