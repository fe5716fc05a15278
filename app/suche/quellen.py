"""The registry of search sources: each owning package describes what it finds for a person.

A source is ``fn(user, anfrage, limit) -> list[Treffer]`` and runs exactly one query (plus at
most a constant number of permission look-ups), whatever the number of hits, so the results page
costs a fixed number of queries. It returns at most ``limit`` hits; the page asks for one more
than it shows to say "weitere Treffer".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from markupsafe import Markup

from app.suche.volltext import Anfrage


@dataclass(frozen=True)
class Treffer:
    """One hit for the results page: title, link, highlighted snippet, a short context line."""

    titel: str
    url: str
    ausschnitt: Markup
    zusatz: str = ""
    zeitpunkt: datetime | date | None = None


QuellenFunktion = Callable[[Any, Anfrage, int], list[Treffer]]


@dataclass(frozen=True)
class Quelle:
    schluessel: str
    titel: str
    reihenfolge: int
    suchen: QuellenFunktion


_quellen: dict[str, Quelle] = {}


def suchquelle(schluessel: str, titel: str, reihenfolge: int = 50):
    """Register a search source under a fixed key with its German group title."""

    def register(fn: QuellenFunktion) -> QuellenFunktion:
        _quellen[schluessel] = Quelle(schluessel, titel, reihenfolge, fn)
        return fn

    return register


def quellen() -> list[Quelle]:
    """All registered sources in display order."""
    return sorted(_quellen.values(), key=lambda q: (q.reihenfolge, q.schluessel))
