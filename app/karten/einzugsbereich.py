"""Simple catchment: which share of each Sozialraum lies within a radius of an Einrichtung type.

Every Einrichtung of the type gets a circle of the radius (in metres, in the city's UTM zone);
the circles are united and intersected with each Sozialraum (shapely). The share of the area
is taken as the share of the population: the population is assumed to be spread evenly over
each Sozialraum (the page says so). Straight-line distance, not walking distance.
"""

from __future__ import annotations

from dataclasses import dataclass

from shapely import unary_union
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

# segments per quarter circle: the polygon's area is 0.3 % below the true circle's
KREIS_SEGMENTE = 32


@dataclass(frozen=True)
class Versorgung:
    """One Sozialraum's figures: area, covered area and share, population and covered people."""

    sozialraum_id: int
    name: str
    flaeche_m2: float
    versorgt_m2: float
    einwohner: float | None

    @property
    def anteil(self) -> float:
        """Share of the area within the radius, 0..1."""
        return self.versorgt_m2 / self.flaeche_m2 if self.flaeche_m2 else 0.0

    @property
    def einwohner_versorgt(self) -> float | None:
        return None if self.einwohner is None else self.einwohner * self.anteil


def kreise(punkte: list[tuple[float, float]], radius_m: float) -> BaseGeometry:
    """The united circles around the points (metres)."""
    return unary_union([Point(x, y).buffer(radius_m, quad_segs=KREIS_SEGMENTE) for x, y in punkte])


def versorgung(
    flaechen: list[tuple[int, str, BaseGeometry]],
    punkte: list[tuple[float, float]],
    radius_m: float,
    einwohner: dict[int, float],
) -> list[Versorgung]:
    """Per Sozialraum (projected areas in metres): covered area and people within the radius."""
    abdeckung = kreise(punkte, radius_m) if punkte else None
    result = []
    for raum_id, name, geom in flaechen:
        versorgt = geom.intersection(abdeckung).area if abdeckung is not None else 0.0
        result.append(Versorgung(raum_id, name, geom.area, versorgt, einwohner.get(raum_id)))
    return result
