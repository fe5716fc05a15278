"""What the minutes ask of a person: hand in, revise, or approve (for the personal start page).

``offene_protokoll_aufgaben(user)`` lists them; it is also registered as an open-task
provider (``app.core.aufgaben``), so ``open_tasks(user)`` includes them.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.core.aufgaben import Aufgabe, aufgaben_provider
from app.core.i18n import datum
from app.extensions import db
from app.protokolle import services
from app.protokolle.models import Protokoll, ProtokollStatus
from app.sitzungen.models import Sitzung
from app.stammdaten.models import Funktion
from app.stammdaten.rollen import gremien_mit_funktion


def _gremien(user: Any, funktion: Funktion) -> set[int]:
    """Gremien where the person has this function (memberships read once per request)."""
    return gremien_mit_funktion(user, funktion)


def _minutes(
    status: tuple[ProtokollStatus, ...], gremien: set[int] | None, verlauf: bool = True
) -> list[Protokoll]:
    """Minutes in ``status`` (of these Gremien; None = all), oldest meeting first.

    ``verlauf``: also load revisions and steps (only the writers' tasks read them).
    """
    query = (
        select(Protokoll)
        .join(Sitzung, Sitzung.id == Protokoll.sitzung_id)
        .options(joinedload(Protokoll.sitzung).joinedload(Sitzung.gremium))
        .where(Protokoll.status.in_(status))
        .order_by(Sitzung.beginn, Sitzung.id)
    )
    if verlauf:
        query = query.options(selectinload(Protokoll.revisionen), selectinload(Protokoll.schritte))
    if gremien is not None:
        query = query.where(Sitzung.gremium_id.in_(list(gremien)))
    return list(db.session.scalars(query))


def _titel(was: str, sitzung: Sitzung) -> str:
    return f"{was}: {sitzung.titel} ({datum(sitzung.beginn)})"


def _link(sitzung: Sitzung) -> str:
    return url_for("protokolle.detail", sitzung_id=sitzung.id)


def zu_freigeben(user: Any) -> list[Protokoll]:
    """Handed-in minutes ``user`` approves: all for the Stabsstelle, else where they chair."""
    if getattr(user, "ist_stabsstelle", False):
        return _minutes((ProtokollStatus.EINGEREICHT,), None, verlauf=False)
    vorsitz = _gremien(user, Funktion.VORSITZ)
    return _minutes((ProtokollStatus.EINGEREICHT,), vorsitz, verlauf=False) if vorsitz else []


def offene_protokoll_aufgaben(user: Any) -> list[Aufgabe]:
    """Minutes awaiting ``user``: to approve, to revise, to hand in, or still to upload."""
    if not getattr(user, "is_authenticated", False):
        return []
    aufgaben = [
        Aufgabe(
            _titel("Protokoll freigeben", p.sitzung),
            _link(p.sitzung),
            f"{p.sitzung.gremium.name} · zur Freigabe eingereicht",
            dringend=True,
        )
        for p in zu_freigeben(user)
    ]
    if getattr(user, "ist_stabsstelle", False):
        return aufgaben
    moderation = _gremien(user, Funktion.MODERATION)
    if not moderation:
        return aufgaben
    for p in _minutes((ProtokollStatus.ZURUECKGEGEBEN, ProtokollStatus.ENTWURF), moderation):
        if p.status == ProtokollStatus.ZURUECKGEGEBEN:
            schritt = p.letzter_schritt
            hinweis = f"Zurückgegeben: {schritt.kommentar}" if schritt else p.sitzung.gremium.name
            aufgaben.append(
                Aufgabe(
                    _titel("Protokoll überarbeiten", p.sitzung),
                    _link(p.sitzung),
                    hinweis,
                    dringend=True,
                )
            )
        elif p.revisionen:
            aufgaben.append(
                Aufgabe(
                    _titel("Protokoll zur Freigabe einreichen", p.sitzung),
                    _link(p.sitzung),
                    p.sitzung.gremium.name,
                )
            )
    aufgaben += [
        Aufgabe(_titel("Protokoll hochladen", s), _link(s), s.gremium.name)
        for s in services.missing_minutes(moderation)
    ]
    return aufgaben


aufgaben_provider(offene_protokoll_aufgaben)
