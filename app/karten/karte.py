"""The Sozialraum map as server-rendered SVG: choropleth, Einrichtungen, radii, legend.

Accessible without JavaScript: the ``<svg>`` has ``role="img"``, a ``<title>`` and ``<desc>``;
every area and symbol carries its own ``<title>``; the same figures stand in a data table
beside the map (the text alternative). Links per area and symbol sit in an overlay that
assistive technology skips (``aria-hidden``, not tabbable), because an image may not contain
interactive content; keyboard users reach the same links in the table.

Classes are told apart without colour: a sequential single-hue palette (ColorBrewer "Blues",
colour-blind safe and monotone in greyscale) plus a hatching that gets denser with the class.
Einrichtung types differ by symbol shape. Every text that reaches the SVG is escaped.
"""

from __future__ import annotations

import statistics
import textwrap
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from app.datenbasis.charts import zahl

PALETTE = {
    1: ["#6baed6"],
    2: ["#bdd7e7", "#3182bd"],
    3: ["#deebf7", "#6baed6", "#08519c"],
    4: ["#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"],
    5: ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"],
}
# hatching per class: (angle, spacing) of lines; None = plain; two angles = cross-hatching
MUSTER = [None, ((45,), 9), ((45,), 5), ((45, -45), 6), ((45, -45), 3.5)]
SYMBOLE = ["kreis", "quadrat", "dreieck", "raute", "kreuz", "ring"]
KEINE_ANGABE = "keine Angabe"
MAP_W, LEGEND_W, PAD = 440, 230, 10
WIDTH = MAP_W + LEGEND_W + 2 * PAD


@dataclass
class Klasse:
    """A class of the legend: values from (exclusive, except the first) to (inclusive)."""

    von: float
    bis: float
    farbe: str
    muster: tuple | None
    label: str = ""


@dataclass
class Gebiet:
    raum_id: int
    name: str
    geom: BaseGeometry  # projected, metres
    wert: float | None
    url: str | None = None
    klasse: int | None = None
    zusatz: str = ""  # e.g. the catchment share, shown in the title


@dataclass
class Symbol:
    id: int
    name: str
    typ_label: str
    form: str
    x: float
    y: float
    gebiet: str
    url: str | None = None


@dataclass
class Karte:
    """A rendered map: SVG, link overlay, classes and the rows of the data table."""

    key: str
    titel: str
    beschreibung: str
    svg: Markup
    links: Markup
    klassen: list[Klasse]
    gebiete: list[Gebiet]
    symbole: list[Symbol]
    methode: str
    typen: list[tuple[str, str]] = field(default_factory=list)  # (label, symbol form)


def grenzen_quantile(werte: list[float], anzahl: int) -> list[float]:
    """Upper limits of ``anzahl`` classes holding about equally many areas."""
    if len(set(werte)) <= anzahl:
        return sorted(set(werte))
    cuts = statistics.quantiles(werte, n=anzahl, method="inclusive")
    return [*sorted(set(cuts)), max(werte)]


def klassen_bilden(
    werte: list[float], anzahl: int, feste: list[float] | None, einheit: str
) -> list[Klasse]:
    """Classes from quantiles, or from fixed upper limits (the last class is open upwards)."""
    if not werte:
        return []
    limits = sorted(set(feste)) if feste else grenzen_quantile(werte, anzahl)
    if feste and max(werte) > limits[-1]:
        limits.append(max(werte))
    limits = limits[:5]
    farben = PALETTE[len(limits)]
    klassen = []
    unten = min(min(werte), limits[0])
    for i, oben in enumerate(limits):
        muster = MUSTER[min(i, 4)] if len(limits) > 1 else None
        if i == 0:
            label = f"bis {zahl(oben, einheit)}"
        else:
            label = f"über {zahl(limits[i - 1])} bis {zahl(oben, einheit)}"
        klassen.append(Klasse(unten if i == 0 else limits[i - 1], oben, farben[i], muster, label))
    if feste and max(werte) > sorted(set(feste))[-1]:
        klassen[-1].label = f"über {zahl(klassen[-1].von, einheit)}"
    return klassen


def klasse_von(wert: float | None, klassen: list[Klasse]) -> int | None:
    if wert is None or not klassen:
        return None
    for i, k in enumerate(klassen):
        if wert <= k.bis:
            return i
    return len(klassen) - 1


# --------------------------------------------------------------------------- drawing


class _Rahmen:
    """Metres to SVG pixels: north up, the areas fill the map frame."""

    def __init__(self, bounds: tuple[float, float, float, float]) -> None:
        minx, miny, maxx, maxy = bounds
        dx, dy = max(maxx - minx, 1.0), max(maxy - miny, 1.0)
        self.s = min(MAP_W / dx, 520 / dy)
        self.minx, self.maxy = minx, maxy
        self.hoehe = dy * self.s

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return PAD + (x - self.minx) * self.s, PAD + (self.maxy - y) * self.s

    def pfad(self, geom: BaseGeometry) -> str:
        # surveyed boundaries have thousands of points: half a pixel of detail is enough
        geom = geom.simplify(0.5 / self.s, preserve_topology=True)
        polys = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
        teile = []
        for poly in polys:
            if not isinstance(poly, Polygon):
                continue
            for ring in (poly.exterior, *poly.interiors):
                punkte = [self.xy(x, y) for x, y in ring.coords]
                teile.append("M" + " L".join(f"{px:.1f},{py:.1f}" for px, py in punkte) + " Z")
        return " ".join(teile)


def _muster_defs(key: str, klassen: list[Klasse]) -> str:
    out = []
    for i, k in enumerate(klassen):
        if k.muster is None:
            continue
        winkel, abstand = k.muster
        farbe = "#ffffff" if i >= 3 else "#1b1b1b"
        for j, w in enumerate(winkel):
            out.append(
                f'<pattern id="{key}-muster-{i}-{j}" patternUnits="userSpaceOnUse" '
                f'width="{abstand}" height="{abstand}" patternTransform="rotate({w})">'
                f'<line x1="0" y1="0" x2="0" y2="{abstand}" stroke="{farbe}" stroke-width="1"/>'
                "</pattern>"
            )
    out.append(
        f'<pattern id="{key}-muster-na" patternUnits="userSpaceOnUse" width="6" height="6">'
        '<circle cx="3" cy="3" r="1" fill="#595959"/></pattern>'
    )
    return "".join(out)


def _flaeche(key: str, d: str, klassen: list[Klasse], klasse: int | None) -> str:
    """An area filled with its class colour and hatching (or dots for "keine Angabe")."""
    if klasse is None:
        return (
            f'<path d="{d}" fill="#ffffff" stroke="none"/>'
            f'<path d="{d}" fill="url(#{key}-muster-na)" stroke="none"/>'
        )
    k = klassen[klasse]
    out = f'<path d="{d}" fill="{k.farbe}" stroke="none" fill-rule="evenodd"/>'
    if k.muster is not None:
        for j in range(len(k.muster[0])):
            out += f'<path d="{d}" fill="url(#{key}-muster-{klasse}-{j})" stroke="none"/>'
    return out


def symbol(form: str, x: float, y: float, s: float = 5.5) -> str:
    """An Einrichtung's symbol, black with a white halo, so it shows on every class."""
    if form == "quadrat":
        shape = f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s}" height="{2 * s}"'
    elif form == "dreieck":
        shape = f'<path d="M{x:.1f},{y - s - 1:.1f} L{x + s + 1:.1f},{y + s:.1f} L{x - s - 1:.1f},{y + s:.1f} Z"'
    elif form == "raute":
        shape = f'<path d="M{x:.1f},{y - s - 1:.1f} L{x + s + 1:.1f},{y:.1f} L{x:.1f},{y + s + 1:.1f} L{x - s - 1:.1f},{y:.1f} Z"'
    elif form == "kreuz":
        shape = (
            f'<path d="M{x - s:.1f},{y - s / 3:.1f} h{s * 2 / 3:.1f} v-{s * 2 / 3:.1f} h{s * 2 / 3:.1f} '
            f"v{s * 2 / 3:.1f} h{s * 2 / 3:.1f} v{s * 2 / 3:.1f} h-{s * 2 / 3:.1f} v{s * 2 / 3:.1f} "
            f'h-{s * 2 / 3:.1f} v-{s * 2 / 3:.1f} h-{s * 2 / 3:.1f} Z"'
        )
    elif form == "ring":
        return (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{s}" fill="#ffffff" stroke="#ffffff" stroke-width="5"/>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{s}" fill="#ffffff" stroke="#1b1b1b" stroke-width="2.5"/>'
        )
    else:
        shape = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{s}"'
    return f'{shape} fill="#ffffff" stroke="#ffffff" stroke-width="4"/>{shape} fill="#1b1b1b"/>'


def _legende(
    key: str, karte: Karte, kreis_text: str, hinweise: list[str], y0: float
) -> tuple[str, float]:
    x = PAD + MAP_W + 16
    y = y0 - 2
    out = []
    for zeile in textwrap.wrap(karte.methode, 30):
        y += 16
        out.append(f'<text x="{x}" y="{y}" class="karte__legendentitel">{escape(zeile)}</text>')
    for i, k in enumerate(karte.klassen):
        y += 24
        out.append(f'<g transform="translate({x},{y - 14})">')
        out.append(_flaeche(key, "M0,0 L26,0 L26,18 L0,18 Z", karte.klassen, i))
        out.append('<rect x="0" y="0" width="26" height="18" fill="none" stroke="#1b1b1b"/></g>')
        out.append(f'<text x="{x + 34}" y="{y}">{escape(k.label)}</text>')
    if any(g.klasse is None for g in karte.gebiete):
        y += 24
        out.append(f'<g transform="translate({x},{y - 14})">')
        out.append(_flaeche(key, "M0,0 L26,0 L26,18 L0,18 Z", karte.klassen, None))
        out.append('<rect x="0" y="0" width="26" height="18" fill="none" stroke="#1b1b1b"/></g>')
        out.append(f'<text x="{x + 34}" y="{y}">{KEINE_ANGABE}</text>')
    if karte.typen:
        y += 30
        out.append(f'<text x="{x}" y="{y}" class="karte__legendentitel">Einrichtungen</text>')
        for label, form in karte.typen:
            y += 22
            out.append(symbol(form, x + 13, y - 5))
            out.append(f'<text x="{x + 34}" y="{y}">{escape(label)}</text>')
    if kreis_text:
        y += 26
        out.append(
            f'<circle cx="{x + 13}" cy="{y - 5}" r="9" fill="none" stroke="#1b1b1b" '
            'stroke-width="1.5" stroke-dasharray="4 2"/>'
        )
        out.append(f'<text x="{x + 34}" y="{y}">{escape(kreis_text)}</text>')
    for text in hinweise:
        y += 10
        for zeile in textwrap.wrap(text, 34):
            y += 15
            out.append(f'<text x="{x}" y="{y}" class="karte__hinweis">{escape(zeile)}</text>')
    return "".join(out), y + 12


def zeichnen(
    karte: Karte,
    kreise: BaseGeometry | None = None,
    kreis_text: str = "",
    hinweise: list[str] | None = None,
) -> None:
    """Draw the SVG and the link overlay of ``karte`` (fills ``svg`` and ``links``)."""
    key = str(escape(karte.key))
    geoms = [g.geom for g in karte.gebiete]
    minx = min(g.bounds[0] for g in geoms)
    miny = min(g.bounds[1] for g in geoms)
    maxx = max(g.bounds[2] for g in geoms)
    maxy = max(g.bounds[3] for g in geoms)
    rahmen = _Rahmen((minx, miny, maxx, maxy))
    legende, legend_h = _legende(key, karte, kreis_text, hinweise or [], PAD)
    hoehe = int(max(rahmen.hoehe + 2 * PAD, legend_h))
    box = f'viewBox="0 0 {WIDTH} {hoehe}" width="{WIDTH}" height="{hoehe}"'
    teile = [
        f'<svg class="karte__svg" xmlns="http://www.w3.org/2000/svg" role="img" {box} '
        f'aria-labelledby="{key}-titel {key}-beschreibung">'
        f'<title id="{key}-titel">{escape(karte.titel)}</title>'
        f'<desc id="{key}-beschreibung">{escape(karte.beschreibung)}</desc>'
        f"<defs>{_muster_defs(key, karte.klassen)}"
        f'<clipPath id="{key}-rahmen"><rect x="0" y="0" width="{MAP_W + 2 * PAD}" height="{hoehe}"/></clipPath></defs>'
    ]
    links = [
        f'<svg class="karte__links" xmlns="http://www.w3.org/2000/svg" aria-hidden="true" '
        f'focusable="false" {box}>'
    ]
    pfade = {}
    for g in karte.gebiete:
        d = pfade[g.raum_id] = rahmen.pfad(g.geom)
        titel = escape(_gebiet_titel(g, karte))
        teile.append(
            f'<g class="karte__gebiet"><title>{titel}</title>{_flaeche(key, d, karte.klassen, g.klasse)}'
        )
        teile.append(f'<path d="{d}" fill="none" stroke="#1b1b1b" stroke-width="1.2"/></g>')
        if g.url:
            links.append(
                f'<a href="{escape(g.url)}" tabindex="-1"><title>{titel}</title>'
                f'<path d="{d}" fill="#ffffff" fill-opacity="0"/></a>'
            )
    if kreise is not None and not kreise.is_empty:
        teile.append(
            f'<path d="{rahmen.pfad(kreise)}" fill="#ffffff" fill-opacity="0.25" stroke="#1b1b1b" '
            f'stroke-width="1.5" stroke-dasharray="5 3" clip-path="url(#{key}-rahmen)"/>'
        )
    for g in karte.gebiete:
        p = g.geom.representative_point()
        x, y = rahmen.xy(p.x, p.y)
        teile.append(
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" class="karte__name" '
            f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{escape(g.name)}</text>'
        )
    for s in karte.symbole:
        x, y = rahmen.xy(s.x, s.y)
        titel = escape(f"{s.name} ({s.typ_label}, {s.gebiet})")
        teile.append(f'<g class="karte__symbol"><title>{titel}</title>{symbol(s.form, x, y)}</g>')
        if s.url:
            links.append(
                f'<a href="{escape(s.url)}" tabindex="-1"><title>{titel}</title>'
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="8" fill="#ffffff" fill-opacity="0"/></a>'
            )
    teile.append(legende)
    teile.append("</svg>")
    links.append("</svg>")
    karte.svg = Markup("".join(teile))
    karte.links = Markup("".join(links))


def _gebiet_titel(g: Gebiet, karte: Karte) -> str:
    wert = KEINE_ANGABE if g.wert is None else zahl(g.wert)
    klasse = "" if g.klasse is None else f", Klasse {g.klasse + 1}: {karte.klassen[g.klasse].label}"
    return f"{g.name}: {wert}{klasse}{g.zusatz}"
