"""Themen of a cycle: collect, change, delete, list, and the working groups they are meant for."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.extensions import db
from app.massnahmen.grundlagen import MassnahmeError, zyklus_or_error
from app.massnahmen.models import (
    Thema,
    thema_planungsfeld,
)
from app.planungsfelder.models import Planungsfeld
from app.planungsfelder.services import tagged_with
from app.stammdaten.models import Gremium, GremiumTyp
from app.workflows.phasenregeln import require_phase_flag

# --------------------------------------------------------------------------- Themen


def save_thema(
    thema: Thema | None,
    zyklus_id: int,
    felder: dict[str, Any],
    gremien: list[Gremium],
    user: User | None,
    planungsfelder: list[Planungsfeld] | None = None,
) -> Thema:
    """Create or update a topic and its assignment; only while the Planungsrunde collects."""
    require_phase_flag(zyklus_or_error(zyklus_id), "themen_sammeln")
    if any(g.typ != GremiumTyp.STADTTEILARBEITSKREIS for g in gremien):
        raise MassnahmeError("Themen werden Stadtteilarbeitskreisen zugeordnet.")
    if thema is None:
        thema = Thema(zyklus_id=zyklus_id, erstellt_von_id=user.id if user else None)
        db.session.add(thema)
    thema.titel = felder["titel"]
    thema.beschreibung = felder.get("beschreibung") or None
    thema.sozialraum_id = felder.get("sozialraum_id")
    thema.gremien = gremien
    thema.planungsfelder = planungsfelder or []
    db.session.flush()
    return thema


def delete_thema(thema: Thema) -> None:
    """Remove a topic (and its assignments) while topics are being collected."""
    require_phase_flag(thema.zyklus, "themen_sammeln")
    db.session.delete(thema)
    db.session.flush()


def themen_of(zyklus_id: int, feld: Planungsfeld | None = None) -> list[Thema]:
    query = (
        select(Thema)
        .options(
            selectinload(Thema.gremien),
            selectinload(Thema.planungsfelder),
            joinedload(Thema.sozialraum),
        )
        .where(Thema.zyklus_id == zyklus_id)
        .order_by(Thema.id)
    )
    if feld is not None:
        query = query.where(tagged_with(Thema.id, thema_planungsfeld, "thema_id", feld.id))
    return list(db.session.scalars(query))


def stadtteilarbeitskreise() -> list[Gremium]:
    return list(
        db.session.scalars(
            select(Gremium)
            .where(Gremium.typ == GremiumTyp.STADTTEILARBEITSKREIS, Gremium.aktiv)
            .order_by(Gremium.name)
        )
    )
