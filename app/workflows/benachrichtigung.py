"""Who hears of a phase change, and the notification and mail it gets."""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, url_for
from sqlalchemy import select

from app.auth.models import User
from app.benachrichtigungen.services import notify
from app.extensions import db
from app.mail.services import queue_mail
from app.stammdaten.models import Gremium, GremiumTyp, Mitgliedschaft
from app.workflows.machine import (
    PHASEN,
)
from app.workflows.models import (
    Phase,
    VerlaufArt,
    Verlaufseintrag,
    Zyklus,
    zyklus_gremium,
)
from app.workflows.signals import phase_link_providers, zyklus_phase_changed

# --------------------------------------------------------------------------- notifications


def link_path(endpoint: str, **values: Any) -> str:
    """A path inside the app, also outside a request (worker)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost").build(endpoint, values)


def absolute_link(path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + path


def stabsstelle_ids() -> list[int]:
    return list(
        db.session.scalars(
            select(User.id).where(User.ist_stabsstelle, User.aktiv).order_by(User.id)
        )
    )


def phase_members(zyklus: Zyklus, phase: Phase) -> list[tuple[User, list[str]]]:
    """Active members of the cycle's Gremien that work in ``phase`` (all of them when finished)."""
    typen: tuple[GremiumTyp, ...] = PHASEN[phase].gremium_typen
    if phase == Phase.ABGESCHLOSSEN:
        typen = tuple(GremiumTyp)
    if not typen:
        return []
    rows = db.session.execute(
        select(User, Gremium.name)
        .join(Mitgliedschaft, Mitgliedschaft.user_id == User.id)
        .join(Gremium, Gremium.id == Mitgliedschaft.gremium_id)
        .join(zyklus_gremium, zyklus_gremium.c.gremium_id == Gremium.id)
        .where(
            zyklus_gremium.c.zyklus_id == zyklus.id,
            Gremium.typ.in_(typen),
            Gremium.aktiv,
            Mitgliedschaft.aktiv,
            User.aktiv,
        )
        .order_by(User.id, Gremium.name)
    ).all()
    grouped: dict[int, tuple[User, list[str]]] = {}
    for user, name in rows:
        grouped.setdefault(user.id, (user, []))[1].append(name)
    return list(grouped.values())


def _phase_text(zyklus: Zyklus, entry: Verlaufseintrag) -> str:
    if entry.art == VerlaufArt.RUECKVERWEISUNG:
        return (
            f"{zyklus.titel}: an „{entry.nach_phase.kurz}“ zurückverwiesen "
            f"(Begründung: {entry.begruendung})."
        )
    if entry.nach_phase == Phase.ABGESCHLOSSEN:
        return f"{zyklus.titel}: Der Planungszyklus ist abgeschlossen."
    return f"{zyklus.titel}: Die Phase „{entry.nach_phase.kurz}“ hat begonnen."


@zyklus_phase_changed.connect
def notify_phase_change(zyklus: Zyklus, *, eintrag: Verlaufseintrag, user: User, **_: Any) -> None:
    """Tell the members of the new phase's Gremien in the app and by mail (sent after commit)."""
    members = [
        (m, names) for m, names in phase_members(zyklus, eintrag.nach_phase) if m.id != user.id
    ]
    if not members:
        return
    text = _phase_text(zyklus, eintrag)
    path = link_path("workflows.detail", zyklus_id=zyklus.id)
    notify([m.id for m, _ in members], text, path, art="zyklus.phasenwechsel")
    weitere = [
        (label, absolute_link(link_path(endpoint, **values)))
        for provider in phase_link_providers
        for label, endpoint, values in provider(zyklus, eintrag.nach_phase)
    ]
    for member, gremien in members:
        queue_mail(
            member.email,
            text,
            "workflows/mail/phasenwechsel",
            recipient_name=member.name,
            kind="zyklus.phasenwechsel",
            zyklus=zyklus,
            eintrag=eintrag,
            gremien=gremien,
            beschreibung=PHASEN[eintrag.nach_phase].beschreibung,
            link=absolute_link(path),
            weitere_links=weitere,
        )
