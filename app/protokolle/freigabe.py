"""Hand-off of the minutes: the moderation hands them in, the Stabsstelle or the chair approves
or hands them back with a comment. Operations flush, never commit; mails go through the outbox.
"""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.impulse.services import gremium_members, inform, path_for
from app.protokolle.models import Protokoll, ProtokollStatus, SchrittArt
from app.protokolle.services import ProtokollError, add_schritt
from app.sitzungen.models import Sitzung
from app.stammdaten.models import Funktion

KOMMENTAR_MAX = 4000


def stabsstelle_users() -> list[User]:
    """Active accounts of the Stabsstelle (they approve every Gremium's minutes)."""
    return list(
        db.session.scalars(
            select(User).where(User.ist_stabsstelle, User.aktiv).order_by(User.name, User.id)
        )
    )


def approvers(sitzung: Sitzung) -> list[User]:
    """Who may approve: the Gremium's Vorsitz and the Stabsstelle."""
    vorsitz = gremium_members([sitzung.gremium_id], [Funktion.VORSITZ])
    seen = {u.id for u in vorsitz}
    return vorsitz + [u for u in stabsstelle_users() if u.id not in seen]


def moderators(sitzung: Sitzung) -> list[User]:
    """Who writes and hands in: the Gremium's Moderation."""
    return gremium_members([sitzung.gremium_id], [Funktion.MODERATION])


def _namen(users: list[User]) -> str:
    return ", ".join(u.name for u in users)


def naechster_schritt(sitzung: Sitzung, protokoll: Protokoll | None) -> str:
    """German status line: who acts next on these minutes."""
    vorsitz = gremium_members([sitzung.gremium_id], [Funktion.VORSITZ])
    freigabe = "die Stabsstelle Sozialplanung" + (
        f" oder der Vorsitz ({_namen(vorsitz)})" if vorsitz else ""
    )
    moderation = moderators(sitzung)
    wer = f"Die Moderation ({_namen(moderation)})" if moderation else "Die Stabsstelle"
    if protokoll is None or not protokoll.revisionen:
        return f"{wer} lädt das Protokoll hoch und reicht es zur Freigabe ein."
    if protokoll.status == ProtokollStatus.ENTWURF:
        return f"{wer} reicht das Protokoll zur Freigabe ein; danach gibt es {freigabe} frei."
    if protokoll.status == ProtokollStatus.EINGEREICHT:
        return f"Das Protokoll wartet auf die Freigabe durch {freigabe}."
    if protokoll.status == ProtokollStatus.ZURUECKGEGEBEN:
        return f"{wer} überarbeitet das Protokoll und reicht es erneut ein."
    return "Das Protokoll ist freigegeben; die Mitglieder des Gremiums können es lesen."


def submit(sitzung: Sitzung, protokoll: Protokoll | None, user: User) -> int:
    """Hand the minutes in for approval; the approvers get a notification. Returns how many."""
    if protokoll is None or not protokoll.revisionen:
        raise ProtokollError(
            "Bitte laden Sie zuerst die Protokolldatei hoch; danach können Sie es einreichen.",
            409,
        )
    if protokoll.status == ProtokollStatus.EINGEREICHT:
        raise ProtokollError("Das Protokoll ist bereits zur Freigabe eingereicht.", 409)
    if protokoll.status == ProtokollStatus.FREIGEGEBEN:
        raise ProtokollError("Das Protokoll ist bereits freigegeben.", 409)
    protokoll.status = ProtokollStatus.EINGEREICHT
    add_schritt(protokoll, SchrittArt.EINGEREICHT, user)
    db.session.flush()
    empfaenger = [u for u in approvers(sitzung) if u.id != user.id]
    text = (
        f"{user.name} hat das Protokoll der Sitzung „{sitzung.titel}“ ({sitzung.gremium.name}) "
        "zur Freigabe eingereicht."
    )
    return inform(
        empfaenger,
        text,
        path_for("protokolle.detail", sitzung_id=sitzung.id),
        kind="protokoll.eingereicht",
        template="mail/protokoll_eingereicht",
        sitzung=sitzung,
    )


def hand_back(sitzung: Sitzung, protokoll: Protokoll | None, user: User, kommentar: str) -> int:
    """Return handed-in minutes to the moderation with a comment; they are told. Returns how many."""
    kommentar = (kommentar or "").strip()
    if not kommentar:
        raise ProtokollError("Bitte schreiben Sie, was am Protokoll zu ändern ist.")
    if protokoll is None or protokoll.status != ProtokollStatus.EINGEREICHT:
        raise ProtokollError(
            "Zurückgeben kann man nur ein Protokoll, das zur Freigabe eingereicht ist.", 409
        )
    protokoll.status = ProtokollStatus.ZURUECKGEGEBEN
    add_schritt(protokoll, SchrittArt.ZURUECKGEGEBEN, user, kommentar[:KOMMENTAR_MAX])
    db.session.flush()
    einreicher = {s.user_id for s in protokoll.schritte if s.art == SchrittArt.EINGEREICHT}
    empfaenger = [u for u in moderators(sitzung) if u.id != user.id]
    ids = {u.id for u in empfaenger}
    for uid in sorted(einreicher - ids - {user.id, None}):
        person = db.session.get(User, uid)
        if person is not None and person.aktiv:
            empfaenger.append(person)
    text = (
        f"{user.name} hat das Protokoll der Sitzung „{sitzung.titel}“ ({sitzung.gremium.name}) "
        "zur Überarbeitung zurückgegeben."
    )
    return inform(
        empfaenger,
        text,
        path_for("protokolle.detail", sitzung_id=sitzung.id),
        kind="protokoll.zurueckgegeben",
        template="mail/protokoll_zurueckgegeben",
        sitzung=sitzung,
        kommentar=kommentar,
    )
