"""Requests of a Träger to the Stabsstelle (correction, extension): open, decide, tell.

Shared by ``korrekturen`` and ``fristen``. A request is a ``RueckmeldungAnfrage`` row plus an
entry in the answer's history; the Stabsstelle is notified in the app, the organisation's
staff by notification and mail when it is decided. Everything flushes, nothing commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.benachrichtigungen.services import notify
from app.beteiligung.models import (
    AnfrageArt,
    AnfrageStatus,
    EreignisArt,
    Rueckmeldung,
    RueckmeldungAnfrage,
    RueckmeldungEreignis,
)
from app.beteiligung.services import BeteiligungError, external_url, kontaktpersonen
from app.core.types import utcnow
from app.extensions import db
from app.mail.services import queue_mail

MAX_GRUND = 2000


def clean_text(value: str | None, message: str, field: str) -> str:
    """A required reason or comment, trimmed; a German refusal when empty."""
    text = (value or "").strip()
    if not text:
        raise BeteiligungError(message, field)
    return text[:MAX_GRUND]


def offene_anfrage(rm: Rueckmeldung, art: AnfrageArt) -> RueckmeldungAnfrage | None:
    """The answer's open request of this kind, if any."""
    return db.session.scalar(
        select(RueckmeldungAnfrage).where(
            RueckmeldungAnfrage.rueckmeldung_id == rm.id,
            RueckmeldungAnfrage.art == art,
            RueckmeldungAnfrage.status == AnfrageStatus.OFFEN,
        )
    )


def anfragen_von(rm: Rueckmeldung) -> list[RueckmeldungAnfrage]:
    """All requests of one answer, newest first, with the people involved."""
    return list(
        db.session.scalars(
            select(RueckmeldungAnfrage)
            .options(
                joinedload(RueckmeldungAnfrage.gestellt_von),
                joinedload(RueckmeldungAnfrage.entschieden_von),
            )
            .where(RueckmeldungAnfrage.rueckmeldung_id == rm.id)
            .order_by(RueckmeldungAnfrage.id.desc())
        )
    )


def offene_anfragen(organisation_id: int | None = None) -> list[RueckmeldungAnfrage]:
    """Open requests (of one organisation, or all for the Stabsstelle), oldest first."""
    query = (
        select(RueckmeldungAnfrage)
        .join(Rueckmeldung, Rueckmeldung.id == RueckmeldungAnfrage.rueckmeldung_id)
        .options(
            joinedload(RueckmeldungAnfrage.rueckmeldung).joinedload(Rueckmeldung.bogen),
            joinedload(RueckmeldungAnfrage.rueckmeldung).joinedload(Rueckmeldung.organisation),
        )
        .where(RueckmeldungAnfrage.status == AnfrageStatus.OFFEN)
        .order_by(RueckmeldungAnfrage.gestellt_at, RueckmeldungAnfrage.id)
    )
    if organisation_id is not None:
        query = query.where(Rueckmeldung.organisation_id == organisation_id)
    return list(db.session.scalars(query))


def ereignis(
    rm: Rueckmeldung,
    art: EreignisArt,
    user: User | None,
    grund: str | None = None,
    antworten: list[dict[str, Any]] | None = None,
) -> RueckmeldungEreignis:
    """Add one entry to the answer's history."""
    eintrag = RueckmeldungEreignis(
        rueckmeldung_id=rm.id,
        art=art,
        grund=grund,
        user_id=user.id if user else None,
        antworten=antworten or [],
    )
    db.session.add(eintrag)
    return eintrag


def _stabsstelle_ids() -> list[int]:
    return list(
        db.session.scalars(
            select(User.id).where(User.ist_stabsstelle, User.aktiv).order_by(User.id)
        )
    )


def open_anfrage(
    rm: Rueckmeldung,
    art: AnfrageArt,
    grund: str,
    user: User,
    gewuenschte_frist: datetime | None = None,
) -> RueckmeldungAnfrage:
    """Record a request, note it in the history and notify the Stabsstelle."""
    if offene_anfrage(rm, art) is not None:
        raise BeteiligungError(
            f"Es liegt bereits eine offene Anfrage ({art.label}) vor; die Stabsstelle "
            "Sozialplanung entscheidet darüber. Sie werden benachrichtigt."
        )
    anfrage = RueckmeldungAnfrage(
        rueckmeldung_id=rm.id,
        art=art,
        grund=grund,
        gewuenschte_frist=gewuenschte_frist,
        gestellt_von_id=user.id,
        gestellt_at=utcnow(),
    )
    db.session.add(anfrage)
    art_ereignis = (
        EreignisArt.KORREKTUR_ANGEFRAGT
        if art == AnfrageArt.KORREKTUR
        else EreignisArt.FRIST_ANGEFRAGT
    )
    ereignis(rm, art_ereignis, user, grund)
    text = f"{rm.organisation.name} bittet um {art.label} der Rückmeldung zu „{rm.bogen.titel}“."
    path = url_for("beteiligung.rueckmeldung", rueckmeldung_id=rm.id)
    notify(_stabsstelle_ids(), text, path, art=f"rueckmeldung.anfrage.{art.value}")
    db.session.flush()
    return anfrage


def decide(anfrage: RueckmeldungAnfrage, user: User, *, gewaehrt: bool, kommentar: str | None):
    """Mark the request as decided by ``user``; refuses a request decided already."""
    if not anfrage.offen:
        raise BeteiligungError(
            f"Über diese Anfrage wurde bereits entschieden ({anfrage.status.label})."
        )
    anfrage.status = AnfrageStatus.GEWAEHRT if gewaehrt else AnfrageStatus.ABGELEHNT
    anfrage.entschieden_von_id, anfrage.entschieden_at = user.id, utcnow()
    anfrage.kommentar = (kommentar or "").strip()[:MAX_GRUND] or None


def tell_organisation(
    rm: Rueckmeldung, text: str, *, template: str | None, kind: str = "", **context: Any
) -> None:
    """Notification and (with a template) mail through the outbox to the organisation's staff."""
    kontakte = kontaktpersonen([rm.organisation_id])[rm.organisation_id]
    path = url_for("beteiligung.rueckmeldung", rueckmeldung_id=rm.id)
    notify([k.id for k in kontakte], text, path, art=kind or None)
    if template is None:
        return
    link = external_url("beteiligung.rueckmeldung", rueckmeldung_id=rm.id)
    for kontakt in kontakte:
        queue_mail(
            kontakt.email,
            text,
            template,
            recipient_name=kontakt.name,
            kind=kind,
            bogen=rm.bogen,
            organisation=rm.organisation,
            text=text,
            link=link,
            **context,
        )


def decline(
    anfrage: RueckmeldungAnfrage,
    user: User,
    kommentar: str | None,
    *,
    art: EreignisArt,
    betreff: str,
    kind: str,
) -> None:
    """Refuse a request with the comment the organisation sees (history, notification, mail)."""
    text = clean_text(
        kommentar,
        "Bitte begründen Sie die Ablehnung; die Organisation sieht Ihren Kommentar.",
        "kommentar",
    )
    decide(anfrage, user, gewaehrt=False, kommentar=text)
    rm = anfrage.rueckmeldung
    ereignis(rm, art, user, text)
    tell_organisation(
        rm,
        f"{betreff}: {rm.bogen.titel}",
        template="mail/rueckmeldung_anfrage_entschieden",
        kind=kind,
        kommentar=text,
    )


def offene_je_rueckmeldung(bogen_id: int) -> dict[int, list[AnfrageArt]]:
    """Per answer of one form the kinds of its open requests (status page, one query)."""
    rows = db.session.execute(
        select(RueckmeldungAnfrage.rueckmeldung_id, RueckmeldungAnfrage.art)
        .join(Rueckmeldung, Rueckmeldung.id == RueckmeldungAnfrage.rueckmeldung_id)
        .where(Rueckmeldung.bogen_id == bogen_id, RueckmeldungAnfrage.status == AnfrageStatus.OFFEN)
        .order_by(RueckmeldungAnfrage.id)
    )
    result: dict[int, list[AnfrageArt]] = {}
    for rm_id, art in rows:
        result.setdefault(rm_id, []).append(art)
    return result
