"""Importing the Sozialraum boundaries from GeoJSON: all or nothing, with German messages.

Checked: JSON and GeoJSON structure, coordinate system (WGS 84 only: GeoJSON's default, or an
old-style ``crs`` naming CRS84/EPSG:4326), every feature a valid area (shapely: Polygon or
MultiPolygon, ``is_valid``), coordinates within longitude/latitude ranges, every feature matched
to a Sozialraum by name or number (properties ``name``/``sozialraum``/``stadtbereich`` or
``nummer``/``schluessel``/``nr``/``id``), none twice, and every active Sozialraum covered.
"""

from __future__ import annotations

import json
from typing import Any

from shapely import validation
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import delete, select

from app.extensions import db
from app.karten.models import SozialraumGrenze
from app.stammdaten.models import Sozialraum

NAME_KEYS = ("name", "sozialraum", "stadtbereich", "bezeichnung")
NUMMER_KEYS = ("nummer", "schluessel", "schlüssel", "nr", "key", "id")
WGS84 = ("crs84", "4326")
MAX_FEHLER = 50
MAX_BYTES = 10 * 1024 * 1024

# shapely's (GEOS) reasons, in German
GRUENDE = {
    "Self-intersection": "Der Umriss schneidet sich selbst",
    "Ring Self-intersection": "Ein Ring berührt sich selbst",
    "Too few points": "Zu wenige Punkte für eine Fläche",
    "Hole lies outside shell": "Ein Loch liegt außerhalb der Fläche",
    "Nested holes": "Löcher liegen ineinander",
    "Interior is disconnected": "Das Innere zerfällt in Teile",
    "Nested shells": "Teilflächen liegen ineinander",
    "Duplicate Rings": "Ein Ring kommt doppelt vor",
    "Invalid Coordinate": "Ungültige Koordinate",
    "Ring is not closed": "Ein Ring ist nicht geschlossen",
}


class GrenzenFehler(ValueError):
    """The file was refused; ``fehler`` lists German messages. Nothing was stored."""

    def __init__(self, fehler: list[str]) -> None:
        super().__init__("; ".join(fehler))
        self.fehler = fehler


def _grund(geometrie: BaseGeometry) -> str:
    """Why shapely finds the geometry invalid, in German, with the place."""
    text = validation.explain_validity(geometrie)
    grund, _, ort = text.partition("[")
    deutsch = GRUENDE.get(grund.strip(), grund.strip())
    if ort:
        coords = ort.rstrip("]").split()
        if len(coords) >= 2:
            deutsch += f" (bei Längengrad {coords[0]}, Breitengrad {coords[1]})"
    return deutsch


def _features(data: bytes) -> list[dict[str, Any]]:
    """The features of the file, or a GrenzenFehler about the file as a whole."""
    if len(data) > MAX_BYTES:
        raise GrenzenFehler(
            [
                "Die Datei ist größer als 10 MB. Bitte vereinfachen Sie die Grenzen vor dem "
                "Export (z. B. in QGIS mit „Vereinfachen“ auf etwa einen Meter Genauigkeit)."
            ]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GrenzenFehler(
            ["Die Datei ist kein Text in UTF-8 – GeoJSON ist immer UTF-8."]
        ) from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GrenzenFehler(
            [f"Die Datei ist kein gültiges JSON (Zeile {exc.lineno}, Spalte {exc.colno})."]
        ) from None
    if not isinstance(obj, dict) or obj.get("type") not in ("FeatureCollection", "Feature"):
        raise GrenzenFehler(
            ["Erwartet wird GeoJSON mit einer FeatureCollection (eine Fläche je Sozialraum)."]
        )
    crs = json.dumps(obj.get("crs") or "").lower()
    if obj.get("crs") and not any(k in crs for k in WGS84):
        raise GrenzenFehler(
            [
                "Das Koordinatensystem der Datei wird nicht unterstützt. Bitte in WGS 84 "
                "(EPSG:4326, Längen- und Breitengrad) exportieren."
            ]
        )
    features = obj.get("features") if obj["type"] == "FeatureCollection" else [obj]
    if not isinstance(features, list) or not features:
        raise GrenzenFehler(["Die Datei enthält keine Flächen (features ist leer)."])
    return features


def _keys() -> tuple[dict[str, Sozialraum], dict[str, Sozialraum], list[Sozialraum]]:
    raeume = list(db.session.scalars(select(Sozialraum).order_by(Sozialraum.nummer)))
    by_name = {r.name.strip().lower(): r for r in raeume}
    by_nummer = {str(r.nummer): r for r in raeume}
    return by_name, by_nummer, raeume


def _prop(props: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    lower = {str(k).lower(): v for k, v in props.items()}
    for key in keys:
        value = lower.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return None


def _match(feature: dict[str, Any], by_name, by_nummer) -> tuple[Sozialraum | None, str]:
    """The Sozialraum a feature names (by name, else by number) and how it named it."""
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        props = {}
    name = _prop(props, NAME_KEYS)
    nummer = _prop(props, NUMMER_KEYS) or (
        str(feature["id"]) if feature.get("id") not in (None, "") else None
    )
    if name and name.lower() in by_name:
        return by_name[name.lower()], name
    if nummer and nummer.removesuffix(".0") in by_nummer:
        return by_nummer[nummer.removesuffix(".0")], nummer
    return None, name or nummer or "ohne Namen"


def _geometrie(feature: dict[str, Any], label: str, fehler: list[str]) -> BaseGeometry | None:
    """The feature's area, or None after recording why it is refused."""
    raw = feature.get("geometry") if isinstance(feature, dict) else None
    if not isinstance(raw, dict):
        fehler.append(f"{label}: Die Geometrie fehlt.")
        return None
    if raw.get("type") not in ("Polygon", "MultiPolygon"):
        fehler.append(
            f"{label}: Die Geometrie ist ein {raw.get('type')}; erwartet wird eine Fläche "
            "(Polygon oder MultiPolygon)."
        )
        return None
    try:
        geom = shape(raw)
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        grund = "Zu wenige Punkte für eine Fläche" if "at least" in str(exc) else "unlesbar"
        fehler.append(f"{label}: Die Geometrie ist ungültig: {grund}.")
        return None
    if geom.is_empty:
        fehler.append(f"{label}: Die Fläche ist leer.")
        return None
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        fehler.append(
            f"{label}: Die Koordinaten liegen außerhalb von WGS 84 (Längengrad −180 bis 180, "
            "Breitengrad −90 bis 90). Ist die Datei in einem anderen Koordinatensystem "
            "(z. B. UTM in Metern) gespeichert?"
        )
        return None
    if not geom.is_valid:
        fehler.append(f"{label}: Die Geometrie ist ungültig: {_grund(geom)}.")
        return None
    return geom


def pruefen(data: bytes) -> dict[int, BaseGeometry]:
    """Every Sozialraum's area from the file, or GrenzenFehler with all problems found."""
    features = _features(data)
    by_name, by_nummer, raeume = _keys()
    fehler: list[str] = []
    gefunden: dict[int, tuple[int, BaseGeometry]] = {}
    for index, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            fehler.append(f"Fläche {index}: kein GeoJSON-Feature.")
            continue
        raum, genannt = _match(feature, by_name, by_nummer)
        label = f"Fläche {index} („{genannt}“)"
        geom = _geometrie(feature, label, fehler)
        if raum is None:
            beispiel = raeume[0].name if raeume else "Stadtbereich Nord"
            fehler.append(
                f"{label}: Unbekannter Sozialraum. Erwartet wird der Name oder die Nummer eines "
                f'Sozialraums in den Eigenschaften (z. B. "name": "{beispiel}").'
            )
        elif raum.id in gefunden:
            fehler.append(
                f"{label}: {raum.name} hat schon eine Grenze (Fläche {gefunden[raum.id][0]})."
            )
        elif geom is not None:
            gefunden[raum.id] = (index, geom)
    fehlend = [r.name for r in raeume if r.aktiv and r.id not in gefunden]
    if fehlend and not fehler:
        namen = ", ".join(f"„{n}“" for n in fehlend)
        if len(fehlend) == 1:
            fehler.append(f"Für den Sozialraum {namen} enthält die Datei keine Grenze.")
        else:
            fehler.append(f"Für die Sozialräume {namen} enthält die Datei keine Grenzen.")
    if fehler:
        raise GrenzenFehler(fehler[:MAX_FEHLER])
    return {raum_id: geom for raum_id, (_, geom) in gefunden.items()}


def import_grenzen(data: bytes, dateiname: str, schematisch: bool) -> int:
    """Replace all boundaries with those of the file; nothing changes if it is refused."""
    flaechen = pruefen(data)
    db.session.execute(delete(SozialraumGrenze))
    for raum_id, geom in flaechen.items():
        db.session.add(
            SozialraumGrenze(
                sozialraum_id=raum_id,
                geometrie=json.dumps(mapping(geom)),
                schematisch=schematisch,
                dateiname=dateiname[:255],
            )
        )
    db.session.flush()
    return len(flaechen)


def grenzen() -> list[tuple[Sozialraum, BaseGeometry, bool]]:
    """Stored boundaries with their Sozialraum, in the Sozialräume's order (one query)."""
    rows = db.session.execute(
        select(Sozialraum, SozialraumGrenze.geometrie, SozialraumGrenze.schematisch)
        .join(SozialraumGrenze, SozialraumGrenze.sozialraum_id == Sozialraum.id)
        .order_by(Sozialraum.nummer)
    )
    return [(raum, shape(json.loads(geo)), schem) for raum, geo, schem in rows]
