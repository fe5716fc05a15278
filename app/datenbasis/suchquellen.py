"""What the search finds in the Datenbasis: Sozialreport chapters and Einrichtungen.

Chapters as the reports are readable: published ones for everybody, those before the
Planungsrunde for its members, drafts for the Stabsstelle; Einrichtungen for those who read the
Datenbasis (``datenbasis.ansehen``).
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import select

from app.core.permissions import can, is_stabsstelle
from app.datenbasis.models import Einrichtung, Kapitel, ReportStatus, Sozialreport
from app.extensions import db
from app.stammdaten.models import Sozialraum
from app.stammdaten.permissions import is_planungsrunde_member
from app.suche.quellen import Treffer, suchquelle
from app.suche.volltext import Anfrage, ausschnitt, dokument, markiert, passt, rang


def kapitel_dokument():
    return dokument(Kapitel.titel, Kapitel.text)


def einrichtung_dokument():
    return dokument(Einrichtung.name, Einrichtung.strasse, Einrichtung.betreiber)


def _lesbare_status(user: Any) -> list[ReportStatus]:
    if is_stabsstelle(user):
        return list(ReportStatus)
    if is_planungsrunde_member(user):
        return [ReportStatus.PLANUNGSRUNDE, ReportStatus.VEROEFFENTLICHT]
    return [ReportStatus.VEROEFFENTLICHT]


@suchquelle("sozialreport", "Sozialreport-Kapitel", 40)
def kapitel(user: Any, anfrage: Anfrage, limit: int) -> list[Treffer]:
    """Chapters of the Sozialreports the person may read."""
    doc = kapitel_dokument()
    rows = db.session.execute(
        select(
            Kapitel.id,
            Kapitel.titel,
            Sozialreport.id,
            Sozialreport.titel,
            Sozialreport.status,
            ausschnitt(anfrage, doc),
        )
        .join(Sozialreport, Sozialreport.id == Kapitel.report_id)
        .where(passt(anfrage, doc), Sozialreport.status.in_(_lesbare_status(user)))
        .order_by(rang(anfrage, doc).desc(), Sozialreport.id.desc(), Kapitel.position)
        .limit(limit)
    ).all()
    treffer = []
    for r in rows:
        if r[4] == ReportStatus.VEROEFFENTLICHT:
            url = url_for("datenbasis.public_bericht", report_id=r[2])
        else:
            url = url_for("datenbasis.bericht", report_id=r[2])
        treffer.append(Treffer(r[1], url, markiert(r[5], anfrage), f"{r[3]} ({r[4].label})"))
    return treffer


@suchquelle("einrichtungen", "Einrichtungen", 45)
def einrichtungen(user: Any, anfrage: Anfrage, limit: int) -> list[Treffer]:
    """Einrichtungen by name, street and operator."""
    if not can(user, "datenbasis.ansehen"):
        return []
    doc = einrichtung_dokument()
    rows = db.session.execute(
        select(
            Einrichtung.id,
            Einrichtung.name,
            Einrichtung.typ,
            Einrichtung.sozialraum_id,
            Sozialraum.name,
            ausschnitt(anfrage, doc),
        )
        .join(Sozialraum, Sozialraum.id == Einrichtung.sozialraum_id)
        .where(passt(anfrage, doc))
        .order_by(rang(anfrage, doc).desc(), Einrichtung.name)
        .limit(limit)
    ).all()
    bearbeiten = can(user, "datenbasis.bearbeiten")
    treffer = []
    for r in rows:
        if bearbeiten:
            url = url_for("datenbasis.einrichtung_bearbeiten", einrichtung_id=r[0])
        else:
            url = url_for("datenbasis.einrichtungen", sozialraum=r[3])
        treffer.append(Treffer(r[1], url, markiert(r[5], anfrage), f"{r[2].label}, {r[4]}"))
    return treffer
