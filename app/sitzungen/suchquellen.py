"""What the search finds among meetings and agenda items (one query each, visible ones only)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import select

from app.extensions import db
from app.sitzungen.models import Sitzung, Tagesordnungspunkt
from app.sitzungen.sichtbarkeit import visible_sitzungen
from app.stammdaten.models import Gremium
from app.suche.quellen import Treffer, suchquelle
from app.suche.volltext import Anfrage, ausschnitt, dokument, markiert, passt, rang


def sitzung_dokument():
    return dokument(Sitzung.titel, Sitzung.ort_name)


def top_dokument():
    return dokument(Tagesordnungspunkt.titel, Tagesordnungspunkt.beschreibung)


def _sichtbar(user: Any):
    return Sitzung.id.in_(visible_sitzungen(user).with_only_columns(Sitzung.id))


@suchquelle("sitzungen", "Sitzungen", 10)
def sitzungen(user: Any, anfrage: Anfrage, limit: int) -> list[Treffer]:
    """Meetings by title and place."""
    doc = sitzung_dokument()
    rows = db.session.execute(
        select(Sitzung.id, Sitzung.titel, Sitzung.beginn, Gremium.name, ausschnitt(anfrage, doc))
        .join(Gremium, Gremium.id == Sitzung.gremium_id)
        .where(passt(anfrage, doc), _sichtbar(user))
        .order_by(rang(anfrage, doc).desc(), Sitzung.beginn.desc())
        .limit(limit)
    ).all()
    return [
        Treffer(
            r[1],
            url_for("sitzungen.detail", sitzung_id=r[0]),
            markiert(r[4], anfrage),
            r[3],
            r[2],
        )
        for r in rows
    ]


@suchquelle("tagesordnungspunkte", "Tagesordnungspunkte", 11)
def tagesordnungspunkte(user: Any, anfrage: Anfrage, limit: int) -> list[Treffer]:
    """Agenda items by title and description, linked to their meeting."""
    doc = top_dokument()
    rows = db.session.execute(
        select(
            Tagesordnungspunkt.titel,
            Tagesordnungspunkt.position,
            Sitzung.id,
            Sitzung.titel,
            Sitzung.beginn,
            ausschnitt(anfrage, doc),
        )
        .join(Sitzung, Sitzung.id == Tagesordnungspunkt.sitzung_id)
        .where(passt(anfrage, doc), _sichtbar(user))
        .order_by(rang(anfrage, doc).desc(), Sitzung.beginn.desc(), Tagesordnungspunkt.position)
        .limit(limit)
    ).all()
    return [
        Treffer(
            f"TOP {r[1]}: {r[0]}",
            url_for("sitzungen.detail", sitzung_id=r[2]),
            markiert(r[5], anfrage),
            r[3],
            r[4],
        )
        for r in rows
    ]
