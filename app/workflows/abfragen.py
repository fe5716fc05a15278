"""Look-ups and page overviews of cycles, Stränge and their history (read only)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.workflows.fehler import NotFound
from app.workflows.guards import Pruefung, evaluate_transition
from app.workflows.machine import (
    Uebergang,
    uebergaenge_von,
)
from app.workflows.models import (
    Phase,
    Strang,
    Verlaufseintrag,
    Zyklus,
    zyklus_gremium,
)

# --------------------------------------------------------------------------- look-ups


def straenge_of(zyklus_id: int) -> list[Strang]:
    """The parallel tracks of a cycle, with their Gremien."""
    return list(
        db.session.scalars(select(Strang).where(Strang.zyklus_id == zyklus_id).order_by(Strang.id))
    )


def find_strang(zyklus_id: int, gremium_id: int) -> Strang | None:
    """The track of ``gremium_id`` in the cycle, if the Gremium takes part in the Beteiligung."""
    return db.session.scalar(
        select(Strang).where(Strang.zyklus_id == zyklus_id, Strang.gremium_id == gremium_id)
    )


def active_zyklen() -> list[Zyklus]:
    """Cycles that are not finished, newest first."""
    return list(
        db.session.scalars(
            select(Zyklus).where(Zyklus.phase != Phase.ABGESCHLOSSEN).order_by(Zyklus.beginn.desc())
        )
    )


def zyklen_for_gremium(gremium_id: int) -> list[Zyklus]:
    """Every cycle a Gremium takes part in, newest first."""
    return list(
        db.session.scalars(
            select(Zyklus)
            .join(zyklus_gremium, zyklus_gremium.c.zyklus_id == Zyklus.id)
            .where(zyklus_gremium.c.gremium_id == gremium_id)
            .order_by(Zyklus.beginn.desc(), Zyklus.id.desc())
        )
    )


def lock_zyklus(zyklus_id: int) -> Zyklus:
    """Lock the cycle row for this transaction and reload it and its Stränge fresh."""
    zyklus = db.session.scalar(
        select(Zyklus)
        .where(Zyklus.id == zyklus_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if zyklus is None:
        raise NotFound("Diesen Planungszyklus gibt es nicht.")
    db.session.scalars(
        select(Strang)
        .where(Strang.zyklus_id == zyklus_id)
        .execution_options(populate_existing=True)
    ).all()
    db.session.expire(zyklus, ["straenge"])
    return zyklus


# --------------------------------------------------------------------------- overview for pages


@dataclass(frozen=True)
class Schritt:
    """A move out of the current phase with its guard results."""

    uebergang: Uebergang
    pruefungen: list[Pruefung]

    @property
    def blockiert(self) -> bool:
        return any(not p.ok for p in self.pruefungen)


def next_steps(zyklus: Zyklus, vorwaerts: bool = False) -> list[Schritt]:
    """Every move out of the current phase, each with what blocks it.

    ``vorwaerts``: only the forward moves (the start page's "ready" tasks need no guards of
    the moves back, and each guard may query).
    """
    return [
        Schritt(u, evaluate_transition(zyklus, u))
        for u in uebergaenge_von(zyklus.phase)
        if not (vorwaerts and u.rueckverweisung)
    ]


def history_of(zyklus_id: int) -> list[Verlaufseintrag]:
    """The timeline of a cycle in order, with people and Stränge, in one query."""
    from sqlalchemy.orm import joinedload

    return list(
        db.session.scalars(
            select(Verlaufseintrag)
            .options(
                joinedload(Verlaufseintrag.user),
                joinedload(Verlaufseintrag.strang).joinedload(Strang.gremium),
            )
            .where(Verlaufseintrag.zyklus_id == zyklus_id)
            .order_by(Verlaufseintrag.zeitpunkt, Verlaufseintrag.id)
        )
    )


def phase_counts(entries: list[Verlaufseintrag]) -> dict[Phase, int]:
    """How often the cycle entered each phase (the diagram shows rounds after referrals)."""
    counts: dict[Phase, int] = defaultdict(int)
    for entry in entries:
        if entry.nach_phase is not None:
            counts[entry.nach_phase] += 1
    return dict(counts)
