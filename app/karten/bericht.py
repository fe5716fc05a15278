"""Maps as charts of the Sozialreport (``DiagrammArt.KARTE``), registered in datenbasis."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from app.datenbasis import charts
from app.datenbasis.erweiterungen import diagramm_renderer
from app.datenbasis.models import EinrichtungTyp
from app.karten import services


def typen_von(text: str) -> list[EinrichtungTyp]:
    werte = {t.value for t in EinrichtungTyp}
    return [EinrichtungTyp(t) for t in text.split(",") if t in werte]


@diagramm_renderer("karte")
def karten_im_bericht(diagramme: list) -> dict[int, charts.Chart]:
    """Each map chart of a report; areas and symbols link to their row in the data table."""
    basis = services.grundlage()
    result = {}
    for d in diagramme:
        key = f"diagramm-{d.id}"
        karte = None
        if basis is not None:
            karte = services.indikator_karte(
                key,
                d.indikator,
                d.jahr,
                typen_von(d.einrichtung_typen),
                basis=basis,
                url_gebiet=lambda rid, key=key: f"#{key}-raum-{rid}",
                url_einrichtung=lambda e, key=key: f"#{key}-einrichtung-{e.id}",
            )
        if karte is None:
            result[d.id] = charts.Chart(
                key,
                f"Karte: {d.indikator.name}",
                "Für die Karte sind noch keine Sozialraumgrenzen importiert.",
                Markup(""),
                [],
                [],
                leer=True,
            )
            continue
        html = Markup(render_template("karten/_figur.html", karte=karte))
        result[d.id] = charts.Chart(
            key, karte.titel, karte.beschreibung, karte.svg, [], [], html=html
        )
    return result
