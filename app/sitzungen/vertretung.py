"""Stellvertretung at meetings: a member's Absage invites the seat's deputy; another reply
withdraws that invitation.

The deputy is invited through the normal fan-out: ``recipients`` lists the Stellvertretungen
of members who declined, and ``request_fan_out`` (after the commit) writes the Einladung with
its mail, calendar part and reply link, once per address, so a repeated Absage or a deputy
who is invited anyway (member, guest) adds nothing. When the member changes the reply, the
deputy's invitation is withdrawn in the same transaction: a short mail with a calendar CANCEL
for this person only goes to the outbox, and the Einladung is removed. A reply that concerns a
deputy locks the meeting row, as a fan-out step does, so the two never cross.
"""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.sitzungen import antworten
from app.sitzungen.einladungen import queue_sitzung_mail, recipients, request_fan_out
from app.sitzungen.models import Antwort, Einladung, EinladungVerlauf, Sitzung
from app.sitzungen.versand import VERTRETUNG_ENTFAELLT
from app.stammdaten.models import Mitgliedschaft


def stellvertretung_fuer(einladung: Einladung) -> User | None:
    """The active deputy of the invited member's active seat in the meeting's Gremium."""
    if einladung.user_id is None or einladung.gast:
        return None
    return db.session.scalar(
        select(User)
        .join(Mitgliedschaft, Mitgliedschaft.stellvertretung_id == User.id)
        .join(Sitzung, Sitzung.gremium_id == Mitgliedschaft.gremium_id)
        .where(
            Sitzung.id == einladung.sitzung_id,
            Mitgliedschaft.user_id == einladung.user_id,
            Mitgliedschaft.aktiv,
            User.aktiv,
        )
    )


def answer_einladung(
    einladung: Einladung,
    antwort: Antwort,
    vertretung_name: str | None = None,
    kommentar: str | None = None,
    von: User | None = None,
) -> EinladungVerlauf:
    """Record the reply; an Absage invites the seat's Stellvertretung (after the commit),
    any other reply withdraws the Stellvertretung's invitation."""
    stellvertretung = stellvertretung_fuer(einladung)
    if stellvertretung is not None or einladung.antwort == Antwort.ABSAGE:
        _lock(einladung.sitzung_id)
    eintrag = antworten.answer_einladung(einladung, antwort, vertretung_name, kommentar, von)
    if einladung.antwort == Antwort.ABSAGE:
        if stellvertretung is not None and _einladung_von(einladung, stellvertretung) is None:
            request_fan_out(einladung.sitzung)
    else:
        _withdraw(einladung)
    return eintrag


def _lock(sitzung_id: int) -> None:
    """Wait for a running fan-out step of this meeting (it holds the row) and keep it out."""
    db.session.execute(select(Sitzung.id).where(Sitzung.id == sitzung_id).with_for_update())


def _einladung_von(einladung: Einladung, person: User) -> Einladung | None:
    """The person's invitation to the same meeting, if any (as deputy, member or guest)."""
    return db.session.scalar(
        select(Einladung).where(
            Einladung.sitzung_id == einladung.sitzung_id,
            Einladung.email == person.email.lower(),
        )
    )


def _withdraw(einladung: Einladung) -> None:
    """The member takes part after all: the deputy's invitation is withdrawn (unless the deputy
    still stands in for another member who declined, or is invited anyway)."""
    vertreter = list(
        db.session.scalars(select(Einladung).where(Einladung.vertritt_einladung_id == einladung.id))
    )
    if not vertreter:
        return
    noch_eingeladen = {r.email: r for r in recipients(einladung.sitzung)}
    for e in vertreter:
        bleibt = noch_eingeladen.get(e.email)
        if bleibt is not None:
            e.vertritt_einladung_id = bleibt.vertritt_einladung_id
            continue
        queue_sitzung_mail(einladung.sitzung, e, VERTRETUNG_ENTFAELLT)
        db.session.delete(e)
    db.session.flush()


def vertretung_hinweis(einladung: Einladung) -> str | None:
    """What a member's reply page says about the seat's Stellvertretung after an Absage."""
    if einladung.antwort != Antwort.ABSAGE:
        return None
    stellvertretung = stellvertretung_fuer(einladung)
    if stellvertretung is None:
        return None
    vorhanden = _einladung_von(einladung, stellvertretung)
    if vorhanden is not None and vorhanden.vertritt_einladung_id != einladung.id:
        return (
            f"Ihre Stellvertretung {stellvertretung.name} ist zu dieser Sitzung bereits eingeladen."
        )
    return f"Ihre Stellvertretung {stellvertretung.name} wurde eingeladen."
