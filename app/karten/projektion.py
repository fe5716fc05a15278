"""From WGS 84 (longitude/latitude) to metres, for drawing and for radii and areas.

Distances and areas need a metric projection: the UTM zone of the city (for Hilden zone 32,
EPSG:32632, which equals ETRS89/UTM 32N, EPSG:25832, to within a metre). Within a city, UTM's
scale error is below 0.1 %, far less than what a catchment radius means in practice.
``pyproj`` does the arithmetic; nothing is fetched online (the grids are not needed for UTM).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry


def utm_epsg(laenge: float, breite: float) -> int:
    """EPSG code of the WGS 84 UTM zone containing the point."""
    zone = min(int((laenge + 180) // 6) + 1, 60)
    return (32600 if breite >= 0 else 32700) + zone


@lru_cache(maxsize=8)
def _transformer(epsg: int) -> Transformer:
    return Transformer.from_crs(4326, epsg, always_xy=True)


def projizieren(geometrie: BaseGeometry, epsg: int) -> BaseGeometry:
    """The geometry in metres (x east, y north)."""
    transformer = _transformer(epsg)

    def umrechnen(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometrie, umrechnen)


def punkt(laenge: float, breite: float, epsg: int) -> tuple[float, float]:
    x, y = _transformer(epsg).transform(laenge, breite)
    return float(x), float(y)
