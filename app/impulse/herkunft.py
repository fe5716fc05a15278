"""Where an impulse came from and what became of it, told by the packages that own those things.

The impulse register sits below minutes, feedback forms and measures, so it never imports them.
Instead they register here: a *source* provider describes the origin of one impulse (the
minutes or the form answer it was taken from, linked in the provider's own association table), a
*consequence* provider adds the later steps of a chain (measures, decisions). An owner also
registers its link table, so the links follow open impulses into the next cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Table, insert, select

from app.extensions import db

if TYPE_CHECKING:
    from app.impulse.models import Impuls


@dataclass
class Glied:
    """One step of an impulse's chain, for the page."""

    schritt: str
    text: str
    zeitpunkt: datetime | date | None = None
    url: str | None = None
    details: list[str] = field(default_factory=list)


QuelleProvider = Callable[["Impuls"], Glied | None]
FolgenProvider = Callable[[list[int]], list[Glied]]

_quellen: list[QuelleProvider] = []
_folgen: list[FolgenProvider] = []

_tabellen: list[tuple[Table, str]] = []


def quelle(provider: QuelleProvider) -> QuelleProvider:
    """Register a description of an impulse's origin (None when it is not from this package)."""
    if provider not in _quellen:
        _quellen.append(provider)
    return provider


def folgen(provider: FolgenProvider) -> FolgenProvider:
    """Register the later chain steps for a lineage of impulse ids (one query per provider)."""
    if provider not in _folgen:
        _folgen.append(provider)
    return provider


def quelle_von(impuls: Impuls) -> Glied | None:
    """The first registered description of the origin, if any package claims the impulse."""
    for provider in _quellen:
        found = provider(impuls)
        if found is not None:
            return found
    return None


def folgen_von(impuls_ids: list[int]) -> list[Glied]:
    """Every registered package's chain steps for these impulses."""
    return [glied for provider in _folgen for glied in provider(impuls_ids)]


def verknuepfungstabelle(tabelle: Table, spalte: str) -> None:
    """Register an owner's table ``(impuls_id, <spalte>)`` whose links follow an impulse."""
    if (tabelle, spalte) not in _tabellen:
        _tabellen.append((tabelle, spalte))


def fortschreiben(paare: list[tuple[int, int]]) -> None:
    """Copy every registered link of the old impulses to their flushed copies (one query each)."""
    neu_von = dict(paare)
    for tabelle, spalte in _tabellen:
        links = db.session.execute(
            select(tabelle.c.impuls_id, tabelle.c[spalte]).where(
                tabelle.c.impuls_id.in_(list(neu_von))
            )
        ).all()
        rows = [{"impuls_id": neu_von[alt], spalte: ziel} for alt, ziel in links]
        if rows:
            db.session.execute(insert(tabelle), rows)
