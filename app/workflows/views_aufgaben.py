"""Open tasks of ``workflows`` for the personal start page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.aufgaben import Aufgabe, aufgaben_provider
from app.core.permissions import can
from app.extensions import db
from app.stammdaten.models import Gremium, Mitgliedschaft
from app.workflows import services
from app.workflows.models import Phase, Strang, StrangStatus, Zyklus
from app.workflows.permissions import LEITUNG

if TYPE_CHECKING:
    from app.auth.models import User


@aufgaben_provider
def _zyklus_aufgaben(user: User) -> list[Aufgabe]:
    """Open Stränge to conclude; for the Stabsstelle also overdue deadlines and ready moves."""
    tasks = _strang_aufgaben(user)
    if not can(user, "zyklus.phase_wechseln"):
        return tasks
    zyklen = db.session.scalars(
        select(Zyklus)
        .options(
            selectinload(Zyklus.straenge).joinedload(Strang.gremium), selectinload(Zyklus.fristen)
        )
        .where(Zyklus.phase != Phase.ABGESCHLOSSEN)
        .order_by(Zyklus.beginn, Zyklus.id)
    ).all()
    for zyklus in zyklen:
        tasks += _stabsstelle_aufgaben(zyklus)
    return tasks


def _stabsstelle_aufgaben(zyklus: Zyklus) -> list[Aufgabe]:
    """Overdue deadlines and unblocked forward moves of one running cycle."""
    return _ueberfaellig_aufgaben(zyklus) + _bereit_aufgaben(zyklus)


def _ueberfaellig_aufgaben(zyklus: Zyklus) -> list[Aufgabe]:
    """One urgent task per overdue phase or Strang deadline."""
    url = url_for("workflows.detail", zyklus_id=zyklus.id)
    lage = services.fristen_overview(zyklus)
    return [
        Aufgabe(
            f"{zyklus.titel}: Frist „{f.label}“ überschritten",
            url,
            f"fällig am {f.faellig_am:%d.%m.%Y}",
            True,
        )
        for f in [*lage["phasen"].values(), *lage["straenge"].values()]
        if f.ueberfaellig
    ]


def _bereit_aufgaben(zyklus: Zyklus) -> list[Aufgabe]:
    """One task per forward move whose conditions are all met."""
    return [
        Aufgabe(
            f"{zyklus.titel}: bereit für „{schritt.uebergang.label}“",
            url_for("workflows.phase", zyklus_id=zyklus.id, nach=schritt.uebergang.nach.value),
            "alle Bedingungen sind erfüllt",
        )
        for schritt in services.next_steps(zyklus, vorwaerts=True)
        if not schritt.blockiert
    ]


def _strang_aufgaben(user: User) -> list[Aufgabe]:
    """Vorsitz/Moderation of a Gremium with an open Strang in a running Beteiligung."""
    rows = db.session.execute(
        select(Strang.id, Zyklus.id, Zyklus.titel, Gremium.name)
        .join(Zyklus, Zyklus.id == Strang.zyklus_id)
        .join(Gremium, Gremium.id == Strang.gremium_id)
        .join(Mitgliedschaft, Mitgliedschaft.gremium_id == Gremium.id)
        .where(
            Zyklus.phase == Phase.BETEILIGUNG,
            Strang.status == StrangStatus.OFFEN,
            Mitgliedschaft.user_id == user.id,
            Mitgliedschaft.aktiv,
            Mitgliedschaft.funktion.in_(LEITUNG),
            Gremium.aktiv,
        )
        .order_by(Zyklus.id, Strang.id)
    ).all()
    return [
        Aufgabe(
            f"{titel}: Beteiligung „{name}“ abschließen",
            url_for("workflows.strang_abschliessen", zyklus_id=zyklus_id, strang_id=strang_id),
            "wenn die Rückmeldungen des Gremiums vorliegen",
        )
        for strang_id, zyklus_id, titel, name in rows
    ]
