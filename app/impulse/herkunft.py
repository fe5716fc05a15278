"""Where an impulse came from and what became of it, told by the packages that own those things.

The impulse register sits below minutes, feedback forms and measures, so it never imports them.
Instead they register here: a *source* provider describes the origin of one impulse (the
minutes or the form answer it was taken from, linked in the provider's own association table), a
*consequence* provider adds the later steps of a chain (measures, decisions). When open impulses
move into the next cycle, ``impulse_fortgeschrieben`` lets each owner copy its links.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from blinker import Namespace

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

#: sent with ``paare=[(old_id, new_id), …]`` after the copies of a carry-over are flushed
impulse_fortgeschrieben = Namespace().signal("impulse-fortgeschrieben")


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
