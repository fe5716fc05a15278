"""The Themen a Stadtteilarbeitskreis works on, shown on its Gremium page and its meetings' pages."""

from __future__ import annotations

from typing import Any

from flask import render_template
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.core.abschnitte import Abschnitt, abschnitt_provider
from app.core.datenstand import zwischengespeichert
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


HTML = "core/_abschnitt_html.html"


def _abschnitt(gremium: Any, zyklus_id: int | None, je_zyklus: bool, order: int = 50) -> Abschnitt:
    """The section pre-rendered: the same for every reader, kept until the data change."""

    def render() -> Markup:
        themen = themen_fuer_gremium(gremium.id, zyklus_id)
        daten = {"themen": themen, "fuer": gremium.name, "je_zyklus": je_zyklus}
        return Markup(render_template(TEMPLATE, abschnitt=Abschnitt(TEMPLATE, daten)))

    html = zwischengespeichert(("themen-abschnitt", gremium.id, zyklus_id, je_zyklus), render)
    return Abschnitt(HTML, {"html": html}, order=order)


@abschnitt_provider("gremium")
def _auf_der_gremiumseite(gremium: Any, user: Any) -> Abschnitt | None:
    if gremium is None or gremium.typ != GremiumTyp.STADTTEILARBEITSKREIS:
        return None
    return _abschnitt(gremium, None, True, order=10)


@abschnitt_provider("sitzung")
def _in_der_sitzung(sitzung: Any, user: Any) -> Abschnitt | None:
    gremium = sitzung.gremium
    if gremium is None or gremium.typ != GremiumTyp.STADTTEILARBEITSKREIS:
        return None
    return _abschnitt(gremium, sitzung.zyklus_id, False)
