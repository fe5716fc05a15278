"""Full-text helpers that hide the database: PostgreSQL ``german`` text search with GIN indexes,
a LIKE fallback on SQLite (quickstart) through the same calls.

A source builds its document with ``dokument(col, …)`` (the same expression its model indexes
with ``suchindex``), filters with ``passt(anfrage, doc)``, orders by ``rang(anfrage, doc)`` and
selects ``ausschnitt(anfrage, doc)``; ``markiert(raw, anfrage)`` turns that column into a safe
snippet (everything escaped, only the hits wrapped in ``<mark>``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from sqlalchemy import ColumnElement, Index, and_, false, func, literal, literal_column

from app.extensions import db

GERMAN = literal_column("'german'")
MAX_LAENGE = 200
MAX_WOERTER = 8
_START, _STOP = "\ue000", "\ue001"  # private-use marks around hits in ts_headline's output
_HEADLINE = (
    f"StartSel={_START}, StopSel={_STOP}, MaxWords=28, MinWords=10, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)
_WORT = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Anfrage:
    """What the person typed, cut to a sane length, and its words."""

    text: str
    woerter: list[str] = field(default_factory=list)

    @classmethod
    def aus(cls, text: str | None) -> Anfrage:
        text = " ".join((text or "").split())[:MAX_LAENGE]
        woerter = [w for w in _WORT.findall(text) if len(w) >= 2][:MAX_WOERTER]
        return cls(text, woerter)

    @property
    def leer(self) -> bool:
        return not self.woerter


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def dokument(*spalten: ColumnElement) -> ColumnElement:
    """The searchable text of a row: the columns joined with spaces (NULL as empty)."""
    teile = [func.coalesce(s, literal_column("''")) for s in spalten]
    expr = teile[0]
    for teil in teile[1:]:
        expr = expr.op("||")(literal_column("' '")).op("||")(teil)
    return expr


def suchindex(name: str, *spalten: ColumnElement) -> Index:
    """The GIN index on PostgreSQL that ``passt`` uses (same expression); none on SQLite."""
    vektor = func.to_tsvector(GERMAN, dokument(*spalten))
    tabelle = spalten[0].table  # an expression of functions does not find its table itself
    return Index(name, vektor, postgresql_using="gin", _table=tabelle).ddl_if(dialect="postgresql")


def _tsquery(anfrage: Anfrage) -> ColumnElement:
    return func.websearch_to_tsquery(GERMAN, literal(anfrage.text))


def passt(anfrage: Anfrage, doc: ColumnElement) -> ColumnElement[bool]:
    """Rows whose document matches: German stems on PostgreSQL, every word as a part on SQLite."""
    if anfrage.leer:
        return false()
    if _postgres():
        return func.to_tsvector(GERMAN, doc).op("@@")(_tsquery(anfrage))
    return and_(*(doc.ilike(f"%{_like(w)}%", escape="\\") for w in anfrage.woerter))


def rang(anfrage: Anfrage, doc: ColumnElement) -> ColumnElement:
    """Relevance for ordering (descending); constant on SQLite."""
    if _postgres() and not anfrage.leer:
        return func.ts_rank(func.to_tsvector(GERMAN, doc), _tsquery(anfrage))
    return literal(0)


def ausschnitt(anfrage: Anfrage, doc: ColumnElement) -> ColumnElement:
    """A column with the snippet's raw text (``ts_headline`` on PostgreSQL, the text itself else)."""
    if _postgres() and not anfrage.leer:
        return func.ts_headline(GERMAN, doc, _tsquery(anfrage), literal(_HEADLINE))
    return doc


def markiert(roh: str | None, anfrage: Anfrage, breite: int = 220) -> Markup:
    """Safe snippet: escaped text, hits in ``<mark>``; from ts_headline marks or by word search."""
    text = " ".join((roh or "").split())
    if _START in text:
        teile = re.split(f"({_START}.*?{_STOP})", text)
        return Markup("").join(
            Markup("<mark>{}</mark>").format(t[1:-1])
            if t.startswith(_START) and t.endswith(_STOP)
            else escape(t.replace(_START, "").replace(_STOP, ""))
            for t in teile
        )
    return _markiere_woerter(text, anfrage, breite)


def _markiere_woerter(text: str, anfrage: Anfrage, breite: int) -> Markup:
    if not anfrage.woerter:
        return escape(text[:breite])
    muster = re.compile("|".join(re.escape(w) for w in anfrage.woerter), re.IGNORECASE)
    erster = muster.search(text)
    start = max(0, (erster.start() if erster else 0) - breite // 3)
    stueck = text[start : start + breite]
    teile: list[Markup] = [Markup("… ")] if start else []
    pos = 0
    for treffer in muster.finditer(stueck):
        teile.append(escape(stueck[pos : treffer.start()]))
        teile.append(Markup("<mark>{}</mark>").format(treffer.group()))
        pos = treffer.end()
    teile.append(escape(stueck[pos:]))
    if start + breite < len(text):
        teile.append(Markup(" …"))
    return Markup("").join(teile)


def _like(wort: str) -> str:
    return wort.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
