"""What each Planungsfeld contributes per Sozialraum: a registry the tagged packages fill.

A package that tags rows with Planungsfelder registers one source::

    from app.planungsfelder.beitraege import Beitrag, beitrag_quelle

    @beitrag_quelle("massnahmen", "Maßnahmen", order=30)
    def _massnahmen(zyklus_id):
        ...  # one query; yields (planungsfeld_id, sozialraum_id or None, Beitrag)

``sozialraum_id`` None means the whole city. ``zyklus_id`` may be None (no cycle chosen);
sources that belong to a cycle then return nothing. Sources may query but never write.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

GESAMTSTADT = 0  # key of the whole city in the matrix (no Sozialraum has id 0)


@dataclass(frozen=True)
class Beitrag:
    """One item a field contributes: an indicator value, a Thema, a measure, an impulse."""

    titel: str
    url: str | None = None
    hinweis: str = ""


Eintrag = tuple[int, int | None, Beitrag]


@dataclass(frozen=True)
class Quelle:
    key: str
    label: str
    order: int
    fetch: Callable[[int | None], Iterable[Eintrag]]


_quellen: dict[str, Quelle] = {}


def beitrag_quelle(key: str, label: str, order: int = 50) -> Callable:
    """Register the function that lists a package's contributions of one cycle."""

    def register(fn: Callable[[int | None], Iterable[Eintrag]]) -> Callable:
        _quellen[key] = Quelle(key, label, order, fn)
        return fn

    return register


def quellen() -> list[Quelle]:
    return sorted(_quellen.values(), key=lambda q: q.order)


@dataclass
class Matrix:
    """Contributions by (Sozialraum key, field id), then by source key."""

    zellen: dict[tuple[int, int], dict[str, list[Beitrag]]]

    def zelle(self, raum_key: int, feld_id: int) -> dict[str, list[Beitrag]]:
        return self.zellen.get((raum_key, feld_id), {})

    def anzahl(self, raum_key: int, feld_id: int) -> int:
        return sum(len(items) for items in self.zelle(raum_key, feld_id).values())


def collect(zyklus_id: int | None) -> Matrix:
    """Ask every registered source once (one query each) and sort the items into cells."""
    zellen: dict[tuple[int, int], dict[str, list[Beitrag]]] = defaultdict(lambda: defaultdict(list))
    for quelle in quellen():
        for feld_id, raum_id, beitrag in quelle.fetch(zyklus_id):
            zellen[(raum_id or GESAMTSTADT, feld_id)][quelle.key].append(beitrag)
    return Matrix(zellen=zellen)
