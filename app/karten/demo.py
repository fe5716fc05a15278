"""Demo map: SCHEMATIC boundaries of Hilden's five Stadtbereiche and positions of the demo
Einrichtungen; the published demo report gets a map and a chapter "Wirkung der Maßnahmen".

The boundaries are a sketch (a central square and four surrounding trapezoids around Hilden's
centre), imported with the flag "schematisch", which every map states. Idempotent.
"""

from __future__ import annotations

import json

from shapely.geometry import Point, shape
from sqlalchemy import select

from app.datenbasis.models import (
    Diagramm,
    DiagrammArt,
    Einrichtung,
    EinrichtungTyp,
    Indikator,
    Kapitel,
    Sozialreport,
)
from app.extensions import db
from app.karten.grenzen import GrenzenFehler, import_grenzen
from app.karten.models import SozialraumGrenze
from app.stammdaten.models import Sozialraum

DATEINAME = "hilden-stadtbereiche-schematisch.geojson"
# outer frame and the inner square (Mitte), longitude/latitude around Hilden's centre
W, E, S, N = 6.895, 6.975, 51.145, 51.195
IW, IE, IS, IN = 6.922, 6.948, 51.161, 51.179
FLAECHEN = {
    1: [(W, N), (E, N), (IE, IN), (IW, IN)],  # Nord
    2: [(E, N), (E, S), (IE, IS), (IE, IN)],  # Ost
    3: [(E, S), (W, S), (IW, IS), (IE, IS)],  # Süd
    4: [(W, S), (W, N), (IW, IN), (IW, IS)],  # West
    5: [(IW, IN), (IE, IN), (IE, IS), (IW, IS)],  # Mitte
}
REPORT = "Sozialreport Hilden 2026 (Demo)"


def geojson() -> bytes:
    """The schematic boundaries as a GeoJSON FeatureCollection (WGS 84), keyed by number."""
    features = []
    for nummer, ring in FLAECHEN.items():
        coords = [[list(p) for p in [*ring, ring[0]]]]
        features.append(
            {
                "type": "Feature",
                "properties": {"nummer": nummer, "hinweis": "schematisch, nicht amtlich"},
                "geometry": {"type": "Polygon", "coordinates": coords},
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def _positionen(ring: list[tuple[float, float]], anzahl: int) -> list[tuple[float, float]]:
    """``anzahl`` points spread over the inside of the area (a grid, inner points only)."""
    flaeche = shape({"type": "Polygon", "coordinates": [[*ring, ring[0]]]}).buffer(-0.0015)
    minx, miny, maxx, maxy = flaeche.bounds
    raster = [
        (minx + (maxx - minx) * (i + 0.5) / 6, miny + (maxy - miny) * (j + 0.5) / 6)
        for j in range(6)
        for i in range(6)
    ]
    innen = [p for p in raster if flaeche.contains(Point(p))] or [
        (flaeche.representative_point().x, flaeche.representative_point().y)
    ]
    schritt = max(len(innen) // max(anzahl, 1), 1)
    return [innen[(k * schritt + schritt // 2) % len(innen)] for k in range(anzahl)]


def load_demo_karte() -> None:
    """Boundaries, coordinates of the demo Einrichtungen, and the map in the demo report."""
    raeume = {r.nummer: r for r in db.session.scalars(select(Sozialraum))}
    if not set(FLAECHEN) <= set(raeume):
        return
    if db.session.scalar(select(SozialraumGrenze.id)) is None:
        try:
            import_grenzen(geojson(), DATEINAME, schematisch=True)
        except GrenzenFehler:  # further Sozialräume than the five: no demo map
            return
    for nummer, ring in FLAECHEN.items():
        ohne = list(
            db.session.scalars(
                select(Einrichtung)
                .where(
                    Einrichtung.sozialraum_id == raeume[nummer].id,
                    Einrichtung.demo,
                    Einrichtung.breite.is_(None),
                )
                .order_by(Einrichtung.name)
            )
        )
        for e, (laenge, breite) in zip(ohne, _positionen(ring, len(ohne)), strict=True):
            e.laenge, e.breite = round(laenge, 5), round(breite, 5)
    _bericht()
    db.session.flush()


def _bericht() -> None:
    """The published demo report shows a map and how the measures' targets develop."""
    report = db.session.scalar(select(Sozialreport).where(Sozialreport.titel == REPORT))
    indikator = db.session.scalar(select(Indikator).where(Indikator.name == "Kinderarmutsquote"))
    if report is None or indikator is None or not report.kapitel:
        return
    kapitel = report.kapitel[0]
    if not any(d.art == DiagrammArt.KARTE for d in kapitel.diagramme):
        kapitel.diagramme.append(
            Diagramm(
                indikator_id=indikator.id,
                art=DiagrammArt.KARTE,
                einrichtung_typen=",".join(
                    t.value for t in (EinrichtungTyp.KITA, EinrichtungTyp.BEGEGNUNGSRAUM)
                ),
            )
        )
    if not any(k.art == "wirkung" for k in report.kapitel):
        report.kapitel.append(
            Kapitel(
                position=len(report.kapitel) + 1,
                titel="Wirkung der Maßnahmen",
                art="wirkung",
                text="Wie sich die Kennzahlen entwickeln, an denen die Maßnahmen gemessen werden.",
            )
        )
