"""Server-rendered SVG charts with a data table as text alternative (no JavaScript needed).

Every text that reaches the SVG (names, units, titles, ids) goes through ``escape``; the
result is ``Markup`` only because of that (tests/datenbasis/test_chart_escaping.py).

Series are told apart by marker shape, line pattern and a direct label, never by colour alone.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from babel.numbers import format_decimal
from markupsafe import Markup, escape
from sqlalchemy import or_, select

from app.core.i18n import anzahl
from app.core.zahlen import KEINE_ANGABE
from app.datenbasis.models import Indikator, Indikatorwert
from app.extensions import db
from app.stammdaten.models import Sozialraum

GESAMTSTADT = "Gesamtstadt"
COLOURS = ["#0b5394", "#a64d00", "#1e6b34", "#7b2c83", "#8a1538", "#00665e", "#5c4a00"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "4 4", "1 2", "10 4"]
MARKERS = ["kreis", "quadrat", "dreieck", "raute", "kreuz", "stern", "balken"]
WIDTH, HEIGHT = 680, 320


@lru_cache(maxsize=8192)
def zahl(value: float | None, einheit: str = "") -> str:
    """A number the German way, with its unit (pure: cached, a report prints thousands)."""
    if value is None:
        return "–"
    text = format_decimal(value, format="#,##0.##", locale="de_DE")
    return f"{text} {einheit}".strip() if einheit else text


@dataclass
class Series:
    """One line of a chart: an area's values by year, and the years marked "keine Angabe"."""

    name: str
    values: dict[int, float]
    keine_angabe: set[int] = field(default_factory=set)

    def cell(self, year: int) -> str:
        """The table cell of a year: the number, "keine Angabe" or a dash for no row at all."""
        if year in self.values:
            return zahl(self.values[year])
        return KEINE_ANGABE if year in self.keine_angabe else "–"


@dataclass
class Values:
    """All values of some indicators: per indicator the series per Sozialraum and the city."""

    raeume: list[tuple[int, str]]
    by_indikator: dict[int, dict[int | None, dict[int, float]]] = field(default_factory=dict)
    missing: dict[int, dict[int | None, set[int]]] = field(default_factory=dict)

    def series(self, indikator_id: int, jahre: range | None = None) -> list[Series]:
        """Sozialräume in their order, the city total last; only those with values.

        ``jahre`` keeps only the years of that period (a time series of the chosen period).
        """
        data = self.by_indikator.get(indikator_id, {})
        gaps = self.missing.get(indikator_id, {})
        areas = [*self.raeume, (None, GESAMTSTADT)]
        result = []
        for rid, name in areas:
            values, missing = data.get(rid, {}), gaps.get(rid, set())
            if jahre is not None:
                values = {y: v for y, v in values.items() if y in jahre}
                missing = {y for y in missing if y in jahre}
            if values or missing:
                result.append(Series(name, values, missing))
        return result


def load_values(
    indikator_ids: Iterable[int],
    jahre: range | None = None,
    auch: Iterable[int] = (),
) -> Values:
    """Two queries for any number of charts: the Sozialräume and the values needed.

    ``jahre`` limits the values to a period (plus the single years ``auch``, e.g. the fixed
    year of a comparison chart); None loads every year.
    """
    ids = sorted(set(indikator_ids))
    raeume = [
        tuple(r)
        for r in db.session.execute(
            select(Sozialraum.id, Sozialraum.name).order_by(Sozialraum.nummer)
        )
    ]
    values = Values(raeume=raeume)
    if not ids:
        return values
    query = select(
        Indikatorwert.indikator_id,
        Indikatorwert.sozialraum_id,
        Indikatorwert.jahr,
        Indikatorwert.wert,
    )
    query = query.where(Indikatorwert.indikator_id.in_(ids))
    if jahre is not None:
        im_zeitraum = Indikatorwert.jahr.between(jahre.start, jahre.stop - 1)
        einzeln = sorted({j for j in auch if j is not None and j not in jahre})
        query = query.where(
            or_(im_zeitraum, Indikatorwert.jahr.in_(einzeln)) if einzeln else im_zeitraum
        )
    for ind_id, raum_id, jahr, wert in db.session.execute(query):
        if wert is None:  # "keine Angabe": in the table, not in the drawing
            values.missing.setdefault(ind_id, defaultdict(set))[raum_id].add(jahr)
        else:
            values.by_indikator.setdefault(ind_id, defaultdict(dict))[raum_id][jahr] = wert
    return values


@dataclass
class Chart:
    """A rendered chart: the SVG and the same numbers as a table."""

    key: str
    titel: str
    beschreibung: str
    svg: Markup
    spalten: list[str]
    zeilen: list[tuple[str, list[str]]]
    leer: bool = False
    html: Markup | None = None  # a complete figure drawn elsewhere (maps), shown as it is


def nice_scale(low: float, high: float, ticks: int = 5) -> tuple[float, float, float]:
    """Round axis limits and step that contain low..high."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1
    raw = (high - low) / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _frange(start: float, stop: float, step: float) -> list[float]:
    """Tick values from start to stop without float drift."""
    count = round((stop - start) / step)
    return [start + i * step for i in range(count + 1)]


def _svg_open(key: str, titel: str, beschreibung: str, height: int) -> str:
    """The svg element with role, title and desc that screen readers announce."""
    key = escape(key)
    return (
        f'<svg class="datengrafik__svg" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{key}-titel {key}-beschreibung">'
        f'<title id="{key}-titel">{escape(titel)}</title>'
        f'<desc id="{key}-beschreibung">{escape(beschreibung)}</desc>'
    )


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    """A point marker whose shape tells the series apart without colour."""
    s = 4.5
    if shape == "quadrat":
        return (
            f'<rect x="{x - s:.1f}" y="{y - s:.1f}" '
            f'width="{2 * s}" height="{2 * s}" fill="{colour}"/>'
        )
    if shape == "dreieck":
        return (
            f'<path d="M{x:.1f},{y - s - 1:.1f} L{x + s + 1:.1f},{y + s:.1f} '
            f'L{x - s - 1:.1f},{y + s:.1f} Z" fill="{colour}"/>'
        )
    if shape == "raute":
        return (
            f'<path d="M{x:.1f},{y - s - 1:.1f} L{x + s + 1:.1f},{y:.1f} '
            f'L{x:.1f},{y + s + 1:.1f} L{x - s - 1:.1f},{y:.1f} Z" fill="{colour}"/>'
        )
    if shape == "kreuz":
        return (
            f'<path d="M{x - s:.1f},{y - s:.1f} L{x + s:.1f},{y + s:.1f} M{x - s:.1f},{y + s:.1f} '
            f'L{x + s:.1f},{y - s:.1f}" stroke="{colour}" stroke-width="2.5"/>'
        )
    if shape == "kreis":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{s}" fill="{colour}"/>'
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{s}" '
        f'fill="#fff" stroke="{colour}" stroke-width="2.5"/>'
    )


def time_series(
    key: str, indikator: Indikator, series: Sequence[Series], titel: str | None = None
) -> Chart:
    """Lines over the years, one per Sozialraum, the city total in black."""
    table_years = sorted({year for s in series for year in (*s.values, *s.keine_angabe)})
    titel = titel or f"{indikator.name}: Zeitreihe je Sozialraum"
    spalten = [str(y) for y in table_years]
    zeilen = [(s.name, [s.cell(y) for y in table_years]) for s in series]
    series = [s for s in series if s.values]
    years = sorted({year for s in series for year in s.values})
    if not years:  # nothing to draw; "keine Angabe" cells still make a table
        chart = _empty(key, titel, indikator)
        chart.spalten, chart.zeilen = spalten, zeilen
        return chart
    all_values = [v for s in series for v in s.values.values()]
    low, high, step = nice_scale(min(all_values), max(all_values))
    beschreibung = (
        f"Liniendiagramm {indikator.name} in {indikator.einheit} von {years[0]} bis {years[-1]} "
        f"für {len(series)} Reihen; die Werte stehen in der Tabelle darunter."
    )
    left, right, top, bottom = 70, 170, 20, 40
    plot_w, plot_h = WIDTH - left - right, HEIGHT - top - bottom

    def px(year: int) -> float:
        return left + (
            plot_w / 2 if len(years) == 1 else plot_w * years.index(year) / (len(years) - 1)
        )

    def py(value: float) -> float:
        return top + plot_h - (value - low) / (high - low) * plot_h

    parts = [
        _svg_open(key, titel, beschreibung, HEIGHT),
        _axes(left, top, plot_w, plot_h, low, high, step, py, indikator.einheit),
    ]
    for year in years:
        parts.append(
            f'<text x="{px(year):.1f}" y="{HEIGHT - bottom + 20}" text-anchor="middle" '
            f'class="datengrafik__achse">{year}</text>'
        )
    label_ys = _label_positions(series, py)
    for index, s in enumerate(series):
        parts.append(_line(s, index, px, py, label_ys[s.name], left + plot_w))
    parts.append("</svg>")
    return Chart(key, titel, beschreibung, Markup("".join(parts)), spalten, zeilen)


def _style(index: int, name: str) -> tuple[str, str, str, str]:
    """Colour, width, dash pattern and marker of a series; the city total stands out in black."""
    if name == GESAMTSTADT:
        return "#1b1b1b", "3", "", "ring"
    return (
        COLOURS[index % len(COLOURS)],
        "2",
        DASHES[index % len(DASHES)],
        MARKERS[index % len(MARKERS)],
    )


def _label_positions(series: Sequence[Series], py: Callable[[float], float]) -> dict[str, float]:
    """End labels next to their line's last point, top to bottom, at least 14 px apart."""
    ends = sorted((py(s.values[max(s.values)]), s.name) for s in series)
    positions: dict[str, float] = {}
    previous = float("-inf")
    for y, name in ends:
        previous = positions[name] = max(y, previous + 14)
    return positions


def _line(s: Series, index: int, px, py, label_y: float, label_x: float) -> str:
    """One series: line, markers and its name at the end of the line."""
    colour, width, dash, marker = _style(index, s.name)
    points = sorted(s.values.items())
    path = " ".join(
        f"{'M' if i == 0 else 'L'}{px(y):.1f},{py(v):.1f}" for i, (y, v) in enumerate(points)
    )
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    out = [
        f'<g class="datengrafik__reihe"><path d="{path}" fill="none" '
        f'stroke="{colour}" stroke-width="{width}"{dash_attr}/>'
    ]
    out += [_marker(marker, px(y), py(v), colour) for y, v in points]
    out.append(
        f'<text x="{label_x + 10:.1f}" y="{label_y + 4:.1f}" class="datengrafik__label">'
        f"{escape(s.name)}</text></g>"
    )
    return "".join(out)


def _axes(
    left: int,
    top: int,
    plot_w: int,
    plot_h: int,
    low: float,
    high: float,
    step: float,
    py,
    einheit: str,
) -> str:
    """Grid lines with German tick labels, the unit and the value axis."""
    out = []
    for tick in _frange(low, high, step):
        y = py(tick)
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
            'class="datengrafik__gitter" stroke="#8a949e" stroke-width="0.6"/>'
        )
        out.append(
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" '
            f'class="datengrafik__achse">{escape(zahl(tick))}</text>'
        )
    out.append(f'<text x="4" y="{top - 6}" class="datengrafik__achse">{escape(einheit)}</text>')
    out.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#1b1b1b"/>')
    return "".join(out)


def comparison(key: str, indikator: Indikator, series: Sequence[Series], jahr: int | None) -> Chart:
    """Horizontal bars: every Sozialraum and the city total in one year (default: the latest)."""
    years = sorted({year for s in series for year in s.values})
    year = jahr if jahr is not None else (years[-1] if years else None)
    titel = f"{indikator.name} {year or ''}: Vergleich der Sozialräume".replace("  ", " ")
    bars = [(s.name, s.values[year]) for s in series if year in s.values]
    spalten = [f"{indikator.name} {year} ({indikator.einheit})"]
    zeilen = [(s.name, [s.cell(year)]) for s in series if year in (*s.values, *s.keine_angabe)]
    if not bars:
        chart = _empty(key, titel, indikator)
        chart.spalten, chart.zeilen = (spalten, zeilen) if zeilen else ([], [])
        return chart
    beschreibung = (
        f"Balkendiagramm {indikator.name} in {indikator.einheit} im Jahr {year} für "
        f"{anzahl(len(bars), 'Gebiet', 'Gebiete')}; die Werte stehen in der Tabelle darunter."
    )
    left, right, top, bar_h, gap = 170, 90, 10, 24, 10
    height = top + len(bars) * (bar_h + gap) + 30
    low, high, _ = nice_scale(min(v for _, v in bars), max(v for _, v in bars))
    plot_w = WIDTH - left - right

    def px(value: float) -> float:
        return left + (value - low) / (high - low) * plot_w

    parts = [_svg_open(key, titel, beschreibung, height)]
    for index, (name, value) in enumerate(bars):
        y = top + index * (bar_h + gap)
        x0, x1 = sorted((px(0), px(value)))
        fill = 'fill="#1b1b1b"' if name == GESAMTSTADT else 'fill="#0b5394"'
        parts.append(
            f'<text x="{left - 8}" y="{y + 16}" text-anchor="end" '
            f'class="datengrafik__label">{escape(name)}</text>'
        )
        parts.append(
            f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 1):.1f}" height="{bar_h}" {fill}/>'
        )
        parts.append(
            f'<text x="{x1 + 6:.1f}" y="{y + 16}" class="datengrafik__wert">'
            f"{escape(zahl(value, indikator.einheit))}</text>"
        )
    parts.append(
        f'<line x1="{px(0):.1f}" x2="{px(0):.1f}" y1="{top - 4}" '
        f'y2="{height - 26}" stroke="#1b1b1b"/>'
    )
    parts.append("</svg>")
    return Chart(key, titel, beschreibung, Markup("".join(parts)), spalten, zeilen)


def _empty(key: str, titel: str, indikator: Indikator) -> Chart:
    """A chart without values says so instead of drawing empty axes."""
    return Chart(
        key,
        titel,
        f"Für {indikator.name} liegen noch keine Werte vor.",
        Markup(""),
        [],
        [],
        leer=True,
    )
