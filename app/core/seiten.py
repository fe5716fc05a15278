"""Pagination for list pages that grow with history: a page of rows without counting them all.

``blaettern(query)`` reads the ``seite`` query argument, fetches one row more than the page
size (so the page knows whether a next one exists, without a COUNT over the whole table) and
returns a ``Blatt``; ``templates/macros/seiten.html`` renders its navigation (a ``nav`` with
``aria-label``, the current page marked with ``aria-current``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import request
from sqlalchemy import Select

from app.extensions import db

SEITENGROESSE = 50
MAX_SEITE = 100_000  # deeper pages are not browsed by hand; keeps OFFSET bounded


def aktuelle_seite() -> int:
    """The requested page number (1 for anything missing, negative or absurd)."""
    seite = request.args.get("seite", 1, type=int) or 1
    return min(max(seite, 1), MAX_SEITE)


@dataclass
class Blatt:
    """One page of a list: its rows, its number and whether more rows follow."""

    eintraege: list[Any]
    seite: int = 1
    weiter: bool = False
    groesse: int = SEITENGROESSE
    args: dict[str, str] = field(default_factory=dict)

    @property
    def zurueck(self) -> bool:
        """There is a previous page."""
        return self.seite > 1

    @property
    def mehrseitig(self) -> bool:
        """The navigation is worth showing."""
        return self.weiter or self.seite > 1

    @property
    def nummern(self) -> list[int]:
        """Page links around the current one: the first, two before and the next."""
        nummern = {1, *range(max(self.seite - 2, 1), self.seite + 1)}
        if self.weiter:
            nummern.add(self.seite + 1)
        return sorted(nummern)

    @property
    def versatz(self) -> int:
        """How many rows come before this page (for numbering rows)."""
        return (self.seite - 1) * self.groesse


def filter_args(*ohne: str) -> dict[str, str]:
    """The request's query arguments to keep in page links (not the page itself, no blanks)."""
    skip = {"seite", "submit", *ohne}
    return {k: v for k, v in request.args.items() if k not in skip and v}


def blaettern(
    query: Select, groesse: int = SEITENGROESSE, seite: int | None = None, scalars: bool = True
) -> Blatt:
    """The current page of ``query`` (ordered by the caller) in one statement."""
    seite = seite or aktuelle_seite()
    query = query.limit(groesse + 1).offset((seite - 1) * groesse)
    rows: Sequence[Any] = (
        db.session.scalars(query).all() if scalars else db.session.execute(query).all()
    )
    return Blatt(list(rows[:groesse]), seite, len(rows) > groesse, groesse, filter_args())


def blatt_aus_liste(eintraege: Sequence[Any], groesse: int = SEITENGROESSE) -> Blatt:
    """A page cut from rows already in memory (lists built in Python, e.g. sorted by rank)."""
    seite = aktuelle_seite()
    start = (seite - 1) * groesse
    teil = list(eintraege[start : start + groesse])
    return Blatt(teil, seite, len(eintraege) > start + groesse, groesse, filter_args())
