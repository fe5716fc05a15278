"""Results per question from the submitted answers: counts, text lists, matrix, SVG charts.

Everything is computed from one query over the answers; charts are server-rendered SVG
(``role="img"`` with a title) and always shown together with a data table.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import func, select

from app.beteiligung.antworten import zahl
from app.beteiligung.models import (
    BogenFrage,
    FrageTyp,
    Rueckmeldebogen,
    Rueckmeldung,
    RueckmeldungAntwort,
    RueckmeldungStatus,
)
from app.extensions import db
from app.stammdaten.models import Organisation, Sozialraum

BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH = 26, 10, 220, 320, 110


@dataclass
class Eintrag:
    """One text-like answer with where it came from."""

    organisation: str
    text: str
    antwort_id: int
    rueckmeldung_id: int


@dataclass
class FrageErgebnis:
    """The results of one question."""

    frage: BogenFrage
    antworten: int = 0
    zaehlung: list[tuple[str, int]] = field(default_factory=list)
    eintraege: list[Eintrag] = field(default_factory=list)
    matrix: list[tuple[Sozialraum, list[tuple[str, int]], list[Eintrag]]] = field(
        default_factory=list
    )
    zahlen: dict[str, str] = field(default_factory=dict)

    def anteil(self, count: int) -> str:
        """Share of the answering organisations, German percent."""
        return f"{round(100 * count / self.antworten)} %" if self.antworten else "0 %"


def _answers(bogen_id: int) -> list[tuple[RueckmeldungAntwort, str]]:
    return list(
        db.session.execute(
            select(RueckmeldungAntwort, Organisation.name)
            .join(Rueckmeldung, Rueckmeldung.id == RueckmeldungAntwort.rueckmeldung_id)
            .join(Organisation, Organisation.id == Rueckmeldung.organisation_id)
            .where(
                Rueckmeldung.bogen_id == bogen_id,
                Rueckmeldung.status == RueckmeldungStatus.EINGEREICHT,
            )
            .order_by(Organisation.name, RueckmeldungAntwort.id)
        ).all()
    )


def eingereicht_anzahl(bogen_id: int) -> int:
    """How many organisations have submitted."""
    return (
        db.session.scalar(
            select(func.count()).where(
                Rueckmeldung.bogen_id == bogen_id,
                Rueckmeldung.status == RueckmeldungStatus.EINGEREICHT,
            )
        )
        or 0
    )


def auswerten(bogen: Rueckmeldebogen, raeume: list[Sozialraum]) -> list[FrageErgebnis]:
    """Results of every question of ``bogen`` from its submitted answers."""
    by_frage: dict[int, list[tuple[RueckmeldungAntwort, str]]] = {}
    for antwort, org in _answers(bogen.id):
        by_frage.setdefault(antwort.frage_id, []).append((antwort, org))
    return [_auswerten_frage(f, by_frage.get(f.id, []), raeume) for f in bogen.fragen]


def _auswerten_frage(
    frage: BogenFrage, rows: list[tuple[RueckmeldungAntwort, str]], raeume: list[Sozialraum]
) -> FrageErgebnis:
    result = FrageErgebnis(frage, antworten=len({a.rueckmeldung_id for a, _ in rows}))
    values = [a.wert for a, _ in rows]
    if frage.typ.diagramm:
        result.zaehlung = _count(frage, values)
    elif frage.typ == FrageTyp.MATRIX:
        result.matrix = _matrix(frage, rows, raeume)
    elif frage.typ == FrageTyp.ZAHL:
        result.zahlen = _stats([v for v in values if isinstance(v, int | float)])
        result.eintraege = _eintraege(rows, lambda v: zahl(v))
    else:
        result.eintraege = _eintraege(rows, str)
    return result


def _eintraege(rows: list[tuple[RueckmeldungAntwort, str]], fmt: Any) -> list[Eintrag]:
    return [Eintrag(org, fmt(a.wert), a.id, a.rueckmeldung_id) for a, org in rows]


def kategorien(frage: BogenFrage) -> list[str]:
    """The answer categories in their natural order."""
    if frage.typ == FrageTyp.SKALA:
        return [_skala_label(frage, n) for n in range(1, 6)]
    if frage.typ == FrageTyp.JANEIN:
        return ["Ja", "Nein"]
    return list(frage.optionen)


def _skala_label(frage: BogenFrage, n: int) -> str:
    extra = {1: frage.skala_min_label, 5: frage.skala_max_label}.get(n)
    return f"{n} – {extra}" if extra else str(n)


def _count(frage: BogenFrage, values: list[Any]) -> list[tuple[str, int]]:
    counter: Counter[str] = Counter()
    for value in values:
        if frage.typ == FrageTyp.SKALA and isinstance(value, int) and 1 <= value <= 5:
            counter[_skala_label(frage, value)] += 1
        elif frage.typ == FrageTyp.JANEIN and isinstance(value, bool):
            counter["Ja" if value else "Nein"] += 1
        elif isinstance(value, list):
            counter.update(str(v) for v in value)
        elif isinstance(value, str):
            counter[value] += 1
    known = kategorien(frage)
    extra = sorted(k for k in counter if k not in known)  # options renamed after answers came in
    return [(k, counter.get(k, 0)) for k in [*known, *extra]]


def _matrix(
    frage: BogenFrage, rows: list[tuple[RueckmeldungAntwort, str]], raeume: list[Sozialraum]
) -> list[tuple[Sozialraum, list[tuple[str, int]], list[Eintrag]]]:
    result = []
    for raum in raeume:
        cells = [(a, org) for a, org in rows if a.sozialraum_id == raum.id]
        if frage.optionen:
            counts = Counter(str(a.wert) for a, _ in cells)
            result.append((raum, [(o, counts.get(o, 0)) for o in frage.optionen], []))
        else:
            result.append((raum, [], _eintraege(cells, str)))
    return result


def _stats(numbers: list[float]) -> dict[str, str]:
    if not numbers:
        return {}
    return {
        "Anzahl": str(len(numbers)),
        "Kleinster Wert": zahl(min(numbers)),
        "Größter Wert": zahl(max(numbers)),
        "Mittelwert": zahl(round(sum(numbers) / len(numbers), 2)),
        "Summe": zahl(sum(numbers)),
    }


def balkendiagramm(
    chart_id: str, titel: str, zaehlung: list[tuple[str, int]], gesamt: int
) -> Markup:
    """A horizontal bar chart as inline SVG; every bar is labelled with its number and share."""
    height = max(len(zaehlung), 1) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    top = max((count for _, count in zaehlung), default=0) or 1
    chart_id = escape(chart_id)
    parts = [
        f'<svg class="diagramm" role="img" aria-labelledby="{chart_id}-titel" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-titel">{escape(titel)}</title>',
    ]
    for index, (label, count) in enumerate(zaehlung):
        y = GAP + index * (BAR_HEIGHT + GAP)
        bar = round(BAR_WIDTH * count / top)
        share = f"{round(100 * count / gesamt)} %" if gesamt else "0 %"
        short = label if len(label) <= 30 else label[:29] + "…"
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 18}" text-anchor="end" font-size="14" '
            f'fill="#1b1b1b">{escape(short)}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{max(bar, 1)}" height="{BAR_HEIGHT}" '
            'fill="#004b87"/>',
            f'<text x="{LABEL_WIDTH + max(bar, 1) + 6}" y="{y + 18}" font-size="14" '
            f'fill="#1b1b1b">{count} ({share})</text>',
        ]
    parts.append("</svg>")
    return Markup("".join(parts))
