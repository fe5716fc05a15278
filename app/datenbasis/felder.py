"""The Datenbasis' contribution to the Planungsfelder: tagged indicators with their latest value."""

from __future__ import annotations

from collections.abc import Iterator

from flask import url_for
from sqlalchemy import and_, func, select

from app.datenbasis.charts import zahl
from app.datenbasis.models import Indikator, Indikatorwert, indikator_planungsfeld
from app.extensions import db
from app.planungsfelder.beitraege import Beitrag, Eintrag, beitrag_quelle


@beitrag_quelle("indikatoren", "Indikatoren", order=10)
def indikator_beitraege(zyklus_id: int | None) -> Iterator[Eintrag]:
    """Every tagged indicator in every area where it has values, with the latest one."""
    wert = Indikatorwert
    latest = (
        select(wert.indikator_id, wert.sozialraum_id, func.max(wert.jahr).label("jahr"))
        .group_by(wert.indikator_id, wert.sozialraum_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            indikator_planungsfeld.c.planungsfeld_id,
            wert.sozialraum_id,
            Indikator.id,
            Indikator.name,
            Indikator.einheit,
            wert.jahr,
            wert.wert,
        )
        .join(Indikator, Indikator.id == indikator_planungsfeld.c.indikator_id)
        .join(wert, wert.indikator_id == Indikator.id)
        .join(
            latest,
            and_(
                latest.c.indikator_id == wert.indikator_id,
                latest.c.sozialraum_id.is_not_distinct_from(wert.sozialraum_id),
                latest.c.jahr == wert.jahr,
            ),
        )
        .order_by(Indikator.name)
    )
    for feld_id, raum_id, ind_id, name, einheit, jahr, value in rows:
        url = url_for("datenbasis.indikator_detail", indikator_id=ind_id)
        yield feld_id, raum_id, Beitrag(f"{name}: {zahl(value, einheit)}", url, f"{jahr}")
