"""The Themen a Stadtteilarbeitskreis works on, shown on its Gremium page and its meetings' pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.core.abschnitte import Abschnitt, abschnitt_provider
from app.extensions import db
from app.massnahmen.models import Thema, thema_gremium
from app.stammdaten.models import GremiumTyp
from app.workflows.models import Phase, Zyklus

TEMPLATE = "massnahmen/_themen_abschnitt.html"


def themen_fuer_gremium(gremium_id: int, zyklus_id: int | None = None) -> list[Thema]:
    """Themen assigned to the Gremium: of one cycle, or of every cycle not yet concluded."""
    query = (
        select(Thema)
        .join(thema_gremium, thema_gremium.c.thema_id == Thema.id)
        .join(Zyklus, Zyklus.id == Thema.zyklus_id)
        .options(
            joinedload(Thema.sozialraum),
            joinedload(Thema.zyklus),
            selectinload(Thema.planungsfelder),
        )
        .where(thema_gremium.c.gremium_id == gremium_id)
        .order_by(Zyklus.beginn.desc(), Thema.id)
    )
    if zyklus_id is not None:
        query = query.where(Thema.zyklus_id == zyklus_id)
    else:
        query = query.where(Zyklus.phase != Phase.ABGESCHLOSSEN)
    return list(db.session.scalars(query))


@abschnitt_provider("gremium")
def _auf_der_gremiumseite(gremium: Any, user: Any) -> Abschnitt | None:
    if gremium is None or gremium.typ != GremiumTyp.STADTTEILARBEITSKREIS:
        return None
    return Abschnitt(
        TEMPLATE,
        {"themen": themen_fuer_gremium(gremium.id), "fuer": gremium.name, "je_zyklus": True},
        order=10,
    )


@abschnitt_provider("sitzung")
def _in_der_sitzung(sitzung: Any, user: Any) -> Abschnitt | None:
    gremium = sitzung.gremium
    if gremium is None or gremium.typ != GremiumTyp.STADTTEILARBEITSKREIS:
        return None
    themen = themen_fuer_gremium(gremium.id, sitzung.zyklus_id)
    return Abschnitt(TEMPLATE, {"themen": themen, "fuer": gremium.name, "je_zyklus": False})
