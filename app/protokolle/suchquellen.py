"""What the search finds in minutes: results, agreements and the text of the current file.

Visible as on the minutes page: the Stabsstelle everything; the Gremium's moderators and chair
also drafts; members, and everybody for a public meeting, only approved minutes.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.orm import aliased

from app.core.permissions import is_stabsstelle
from app.dateien.models import Datei
from app.extensions import db
from app.protokolle.models import Protokoll, ProtokollRevision, ProtokollStatus
from app.sitzungen.models import Sitzung
from app.stammdaten.models import Funktion, Gremium, Mitgliedschaft
from app.stammdaten.rollen import gremien_abfrage
from app.suche.quellen import Treffer, suchquelle
from app.suche.volltext import Anfrage, ausschnitt, dokument, markiert, passt, rang


def protokoll_dokument():
    return dokument(
        Protokoll.ergebnisse, Protokoll.vereinbarungen, Protokoll.teilnehmende_organisationen
    )


def _sichtbar(user: Any):
    if is_stabsstelle(user):
        return true()
    mitglied = gremien_abfrage(user)  # also deputised seats: they read approved minutes
    schreibend = select(Mitgliedschaft.gremium_id).where(
        Mitgliedschaft.user_id == user.id,
        Mitgliedschaft.aktiv,
        Mitgliedschaft.funktion.in_((Funktion.MODERATION, Funktion.VORSITZ)),
    )
    return or_(
        Sitzung.gremium_id.in_(schreibend),
        and_(
            Protokoll.status == ProtokollStatus.FREIGEGEBEN,
            or_(Sitzung.gremium_id.in_(mitglied), Sitzung.oeffentlich),
        ),
    )


@suchquelle("protokolle", "Protokolle", 12)
def protokolle(user: Any, anfrage: Anfrage, limit: int) -> list[Treffer]:
    """Minutes by their recorded text or the text of their current uploaded file."""
    neueste = aliased(ProtokollRevision)
    aktuelle_nummer = (
        select(func.max(neueste.nummer))
        .where(neueste.protokoll_id == Protokoll.id)
        .scalar_subquery()
    )
    eigen = protokoll_dokument()
    datei = dokument(Datei.volltext)
    alles = dokument(
        Protokoll.ergebnisse,
        Protokoll.vereinbarungen,
        Protokoll.teilnehmende_organisationen,
        Datei.volltext,
    )
    rows = db.session.execute(
        select(
            Sitzung.id,
            Sitzung.titel,
            Sitzung.beginn,
            Gremium.name,
            Protokoll.status,
            ausschnitt(anfrage, alles),
        )
        .join(Sitzung, Sitzung.id == Protokoll.sitzung_id)
        .join(Gremium, Gremium.id == Sitzung.gremium_id)
        .outerjoin(
            ProtokollRevision,
            and_(
                ProtokollRevision.protokoll_id == Protokoll.id,
                ProtokollRevision.nummer == aktuelle_nummer,
            ),
        )
        .outerjoin(Datei, Datei.id == ProtokollRevision.datei_id)
        .where(or_(passt(anfrage, eigen), passt(anfrage, datei)), _sichtbar(user))
        .order_by(rang(anfrage, alles).desc(), Sitzung.beginn.desc())
        .limit(limit)
    ).all()
    return [
        Treffer(
            f"Protokoll: {r[1]}",
            url_for("protokolle.detail", sitzung_id=r[0]),
            markiert(r[5], anfrage),
            r[3] if r[4] == ProtokollStatus.FREIGEGEBEN else f"{r[3]} – {r[4].label}",
            r[2],
        )
        for r in rows
    ]
