"""Wirkungsziele beyond the measure's page: a Sozialreport chapter type and the Datenbasis overview.

Registered in ``app.datenbasis.erweiterungen`` (datenbasis knows nothing of measures).
"""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.core.permissions import can
from app.datenbasis.erweiterungen import kapitel_art, uebersicht_abschnitt
from app.extensions import db
from app.massnahmen import wirkung
from app.massnahmen.models import Massnahme, Wirkungsziel
from app.workflows.services import active_zyklen


def _mit_zielen(zyklus_ids: set[int], nur_oeffentlich: bool) -> list[Massnahme]:
    """Measures of the cycles that have targets, with what the tables show (two queries)."""
    query = (
        select(Massnahme)
        .options(
            joinedload(Massnahme.sozialraum),
            selectinload(Massnahme.wirkungsziele).options(
                joinedload(Wirkungsziel.indikator), joinedload(Wirkungsziel.sozialraum)
            ),
        )
        .where(Massnahme.zyklus_id.in_(zyklus_ids), Massnahme.wirkungsziele.any())
        .order_by(Massnahme.prioritaet.is_(None), Massnahme.prioritaet, Massnahme.id)
    )
    if nur_oeffentlich:
        query = query.where(Massnahme.oeffentlich)
    return list(db.session.scalars(query))


@kapitel_art("wirkung", "Wirkung der Maßnahmen", order=20)
def kapitel_wirkung(kapitel_liste: list, oeffentlich: bool) -> dict[int, Markup]:
    """Every target of the cycle's measures: status, figures and the development as a chart."""
    massnahmen = _mit_zielen({k.report.zyklus_id for k in kapitel_liste}, oeffentlich)
    staende = wirkung.staende(z for m in massnahmen for z in m.wirkungsziele)
    result = {}
    for k in kapitel_liste:
        eintraege = [
            (
                m,
                [
                    (staende[z.id], wirkung.diagramm(staende[z.id], f"k{k.id}-ziel-{z.id}"))
                    for z in m.wirkungsziele
                ],
            )
            for m in massnahmen
            if m.zyklus_id == k.report.zyklus_id
        ]
        result[k.id] = Markup(
            render_template(
                "massnahmen/_wirkung_kapitel.html", eintraege=eintraege, oeffentlich=oeffentlich
            )
        )
    return result


@uebersicht_abschnitt("wirkung", order=10)
def uebersicht_wirkung() -> Markup | None:
    """How the targets of the running cycles' measures stand (reviewed at the next cycle's data)."""
    if not can(current_user, "massnahmen.ansehen"):
        return None
    zyklen = active_zyklen()  # a new cycle starts at its data: measures carried over with targets
    if not zyklen:
        return None
    massnahmen = _mit_zielen({z.id for z in zyklen}, nur_oeffentlich=False)
    staende = wirkung.staende(z for m in massnahmen for z in m.wirkungsziele)
    return Markup(
        render_template(
            "massnahmen/_wirkung_uebersicht.html",
            zyklen=zyklen,
            massnahmen=massnahmen,
            staende=staende,
        )
    )
