"""The review date of a Wirkungsziel becomes an open task of the Stabsstelle on the start page."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import aliased, joinedload

from app.core.aufgaben import Aufgabe, aufgaben_provider
from app.core.permissions import is_stabsstelle
from app.core.types import utcnow
from app.extensions import db
from app.massnahmen.models import Massnahme, Wirkungsziel
from app.workflows.models import Zyklus

VORLAUF_TAGE = 14  # shown two weeks ahead, urgent from the day itself


def heute() -> date:
    """Today in Hilden (the review date is a calendar day there)."""
    return utcnow().astimezone(ZoneInfo("Europe/Berlin")).date()


@aufgaben_provider
def _wirkungsziele_pruefen(user: Any) -> list[Aufgabe]:
    """Targets whose review is due within two weeks, of measures still running (newest copy)."""
    if not is_stabsstelle(user):
        return []
    today = heute()
    nachfolger = aliased(Massnahme)
    rows = db.session.scalars(
        select(Wirkungsziel)
        .options(
            joinedload(Wirkungsziel.indikator),
            joinedload(Wirkungsziel.sozialraum),
            joinedload(Wirkungsziel.massnahme),
        )
        .join(Massnahme, Massnahme.id == Wirkungsziel.massnahme_id)
        .join(Zyklus, Zyklus.id == Massnahme.zyklus_id)
        .where(
            Zyklus.abgeschlossen_at.is_(None),
            Wirkungsziel.pruefen_am <= today + timedelta(days=VORLAUF_TAGE),
            ~select(nachfolger.id).where(nachfolger.vorgaenger_id == Massnahme.id).exists(),
        )
        .order_by(Wirkungsziel.pruefen_am, Wirkungsziel.id)
    )
    return [
        Aufgabe(
            f"Wirkungsziel überprüfen: {z.indikator.name} ({z.gebiet}) der Maßnahme "
            f"„{z.massnahme.titel}“",
            url_for("massnahmen.detail", massnahme_id=z.massnahme_id, _anchor="abschnitt-wirkung"),
            f"Überprüfung am {z.pruefen_am:%d.%m.%Y}",
            z.pruefen_am <= today,
        )
        for z in rows
    ]
