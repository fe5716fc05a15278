"""What Themen and Maßnahmen of a cycle contribute to the Planungsfelder per Sozialraum."""

from __future__ import annotations

from collections.abc import Iterator

from flask import url_for
from sqlalchemy import select

from app.datenbasis.charts import zahl
from app.datenbasis.models import Indikator, indikator_planungsfeld
from app.extensions import db
from app.massnahmen.models import (
    Massnahme,
    Thema,
    Wirkungsziel,
    massnahme_planungsfeld,
    thema_planungsfeld,
)
from app.planungsfelder.beitraege import Beitrag, Eintrag, beitrag_quelle


@beitrag_quelle("themen", "Themen", order=20)
def themen_beitraege(zyklus_id: int | None) -> Iterator[Eintrag]:
    """Tagged Themen of the cycle; they link to the cycle's list."""
    if zyklus_id is None:
        return
    rows = db.session.execute(
        select(thema_planungsfeld.c.planungsfeld_id, Thema.sozialraum_id, Thema.titel)
        .join(Thema, Thema.id == thema_planungsfeld.c.thema_id)
        .where(Thema.zyklus_id == zyklus_id)
        .order_by(Thema.id)
    )
    url = url_for("massnahmen.zyklus", zyklus_id=zyklus_id, _anchor="abschnitt-themen")
    for feld_id, raum_id, titel in rows:
        yield feld_id, raum_id, Beitrag(titel, url)


@beitrag_quelle("massnahmen", "Maßnahmen", order=30)
def massnahmen_beitraege(zyklus_id: int | None) -> Iterator[Eintrag]:
    """Tagged measures of the cycle with their status."""
    if zyklus_id is None:
        return
    rows = db.session.execute(
        select(
            massnahme_planungsfeld.c.planungsfeld_id,
            Massnahme.sozialraum_id,
            Massnahme.id,
            Massnahme.titel,
            Massnahme.status,
        )
        .join(Massnahme, Massnahme.id == massnahme_planungsfeld.c.massnahme_id)
        .where(Massnahme.zyklus_id == zyklus_id)
        .order_by(Massnahme.prioritaet.is_(None), Massnahme.prioritaet, Massnahme.id)
    )
    for feld_id, raum_id, massnahme_id, titel, status in rows:
        url = url_for("massnahmen.detail", massnahme_id=massnahme_id)
        yield feld_id, raum_id, Beitrag(titel, url, status.label)


@beitrag_quelle("wirkungsziele", "Wirkungsziele", order=35)
def wirkungsziele_beitraege(zyklus_id: int | None) -> Iterator[Eintrag]:
    """Targets of the cycle's measures, in the fields of their indicator and in their area."""
    if zyklus_id is None:
        return
    rows = db.session.execute(
        select(
            indikator_planungsfeld.c.planungsfeld_id,
            Wirkungsziel.sozialraum_id,
            Wirkungsziel.massnahme_id,
            Indikator.name,
            Indikator.einheit,
            Wirkungsziel.ziel_wert,
            Wirkungsziel.ziel_jahr,
            Massnahme.titel,
        )
        .join(Indikator, Indikator.id == Wirkungsziel.indikator_id)
        .join(indikator_planungsfeld, indikator_planungsfeld.c.indikator_id == Indikator.id)
        .join(Massnahme, Massnahme.id == Wirkungsziel.massnahme_id)
        .where(Massnahme.zyklus_id == zyklus_id)
        .order_by(Wirkungsziel.id)
    )
    for feld_id, raum_id, massnahme_id, name, einheit, ziel, jahr, titel in rows:
        url = url_for("massnahmen.detail", massnahme_id=massnahme_id, _anchor="abschnitt-wirkung")
        text = f"{name}: {zahl(ziel, einheit)} bis {jahr}"
        yield feld_id, raum_id, Beitrag(text, url, f"Maßnahme „{titel}“")
