"""The start page's "where the cycle stands": phase, next deadline and a stepper per cycle."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.aufgaben import Lage, Schritt, lage_provider
from app.core.permissions import is_stabsstelle
from app.extensions import db
from app.stammdaten.models import Gremium, Mitgliedschaft
from app.stammdaten.rollen import sitz_von
from app.workflows.fristen import berlin_today
from app.workflows.machine import PHASEN
from app.workflows.models import Phase, Zyklus, zyklus_gremium

if TYPE_CHECKING:
    from app.auth.models import User


def _tage(n: int) -> str:
    return "1 Tag" if n == 1 else f"{n} Tage"


def frist_text(zyklus: Zyklus) -> tuple[str, bool]:
    """The current phase's deadline in German, and whether it is close or passed."""
    frist = zyklus.frist(zyklus.phase)
    if frist is None:
        return "", False
    tage = (frist.faellig_am - berlin_today()).days
    datum = f"{frist.faellig_am:%d.%m.%Y}"
    if tage < 0:
        seit = "1 Tag" if tage == -1 else f"{-tage} Tagen"
        return f"Frist der Phase: {datum} (seit {seit} überschritten)", True
    if tage == 0:
        return f"Frist der Phase: {datum} (heute)", True
    return f"Frist der Phase: {datum} (noch {_tage(tage)})", tage <= zyklus.erinnerung_tage


def schritte(zyklus: Zyklus) -> tuple[Schritt, ...]:
    """The phases in order, each done, current or ahead."""
    return tuple(
        Schritt(
            p.kurz,
            "erledigt"
            if p.index < zyklus.phase.index
            else "aktuell"
            if p == zyklus.phase
            else "offen",
        )
        for p in Phase
    )


def _laufende(user: User) -> list[Zyklus]:
    query = (
        select(Zyklus)
        .options(selectinload(Zyklus.fristen))
        .where(Zyklus.abgeschlossen_at.is_(None))
        .order_by(Zyklus.beginn, Zyklus.id)
    )
    if not is_stabsstelle(user):
        meine = (
            select(zyklus_gremium.c.zyklus_id)
            .join(Gremium, Gremium.id == zyklus_gremium.c.gremium_id)
            .join(Mitgliedschaft, Mitgliedschaft.gremium_id == Gremium.id)
            .where(sitz_von(user.id), Gremium.aktiv)
        )
        query = query.where(Zyklus.id.in_(meine))
    return list(db.session.scalars(query))


@lage_provider
def _zyklus_lage(user: User) -> list[Lage]:
    """Every running cycle the person takes part in (the Stabsstelle: all)."""
    result = []
    for zyklus in _laufende(user):
        frist, dringend = frist_text(zyklus)
        result.append(
            Lage(
                titel=zyklus.titel,
                url=url_for("workflows.detail", zyklus_id=zyklus.id),
                phase=zyklus.phase.label,
                beschreibung=PHASEN[zyklus.phase].beschreibung,
                frist=frist,
                frist_dringend=dringend,
                schritte=schritte(zyklus),
            )
        )
    return result
