"""Writing a Rundschreiben and its batched mail fan-out (one outbox row per recipient)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Select, insert, select

from app.auth.models import User
from app.core.after_commit import after_commit
from app.core.auftraege import enqueue
from app.core.types import utcnow
from app.core.urls import external_url
from app.dateien.services import DOKUMENTE, read_datei, store_upload
from app.extensions import db
from app.mail.services import queue_mail
from app.rundschreiben.models import (
    EmpfaengerArt,
    Rundschreiben,
    RundschreibenEmpfaenger,
)
from app.stammdaten.models import Mitgliedschaft, Organisation, OrganisationArt

#: mails written per committed step of the fan-out
VERSAND_SCHRITT = 100
MAX_ANHAENGE = 5


class RundschreibenFehler(Exception):
    """A refusal with a German message."""

    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


def empfaenger_query(art: EmpfaengerArt, gremium_id: int | None, user_ids: list[int]) -> Select:
    """The active people a circular of ``art`` reaches, by name."""
    query = select(User).where(User.aktiv).order_by(User.name, User.id)
    if art == EmpfaengerArt.GREMIUM:
        mitglieder = select(Mitgliedschaft.user_id).where(
            Mitgliedschaft.gremium_id == gremium_id, Mitgliedschaft.aktiv
        )
        return query.where(User.id.in_(mitglieder))
    if art == EmpfaengerArt.TRAEGER:
        traeger = select(Organisation.id).where(
            Organisation.art == OrganisationArt.TRAEGER, Organisation.aktiv
        )
        return query.where(User.organisation_id.in_(traeger))
    return query.where(User.id.in_(user_ids or [-1]))


def create_rundschreiben(
    *,
    betreff: str,
    text: str,
    art: EmpfaengerArt,
    gremium_id: int | None,
    user_ids: list[int],
    dateien: list[Any],
    autor: User,
) -> Rundschreiben:
    """Store the circular with its attachments and recipients; the mails follow after commit."""
    if art == EmpfaengerArt.GREMIUM and gremium_id is None:
        raise RundschreibenFehler("Bitte wählen Sie das Gremium.")
    if art == EmpfaengerArt.AUSWAHL and not user_ids:
        raise RundschreibenFehler("Bitte wählen Sie mindestens eine Person.")
    dateien = [d for d in dateien if d is not None and getattr(d, "filename", "")]
    if len(dateien) > MAX_ANHAENGE:
        raise RundschreibenFehler(f"Höchstens {MAX_ANHAENGE} Anlagen je Rundschreiben.")
    personen = list(db.session.scalars(empfaenger_query(art, gremium_id, user_ids)))
    if not personen:
        raise RundschreibenFehler("Mit dieser Auswahl erreicht das Rundschreiben niemanden.")
    rs = Rundschreiben(
        betreff=betreff,
        text=text,
        empfaenger_art=art,
        gremium_id=gremium_id if art == EmpfaengerArt.GREMIUM else None,
        erstellt_von_id=autor.id,
        versand_angefordert_at=utcnow(),
    )
    db.session.add(rs)
    for datei in dateien:
        rs.dateien.append(store_upload(datei, DOKUMENTE, uploaded_by=autor))
    db.session.flush()
    rows = [
        {"rundschreiben_id": rs.id, "user_id": p.id, "name": p.name, "email": p.email}
        for p in personen
    ]
    db.session.execute(insert(RundschreibenEmpfaenger), rows)
    rs_id = rs.id
    after_commit(lambda: enqueue("rundschreiben.versenden", rs_id))
    return rs


def versand_schritt(rundschreiben_id: int, limit: int = VERSAND_SCHRITT) -> int:
    """Write up to ``limit`` missing mails; 0 when all exist (then the circular is done).

    Idempotent: the circular's row is locked and each recipient records its mail in the same
    transaction, so a second run (redelivery, sweep) only writes what is missing.
    """
    rs = db.session.scalar(
        select(Rundschreiben).where(Rundschreiben.id == rundschreiben_id).with_for_update()
    )
    if rs is None:
        return 0
    offene = list(
        db.session.scalars(
            select(RundschreibenEmpfaenger)
            .where(
                RundschreibenEmpfaenger.rundschreiben_id == rs.id,
                RundschreibenEmpfaenger.mail_geschrieben_at.is_(None),
            )
            .order_by(RundschreibenEmpfaenger.id)
            .limit(limit)
        )
    )
    if not offene:
        rs.versand_ausstehend = False
        return 0
    anhaenge = [(d.original_name, d.content_type, read_datei(d)) for d in rs.dateien]
    link = external_url("rundschreiben.detail", rundschreiben_id=rs.id)
    jetzt = utcnow()
    for empfaenger in offene:
        queue_mail(
            empfaenger.email,
            f"Rundschreiben: {rs.betreff}",
            "mail/rundschreiben",
            recipient_name=empfaenger.name,
            kind="rundschreiben",
            attachments=anhaenge,
            rundschreiben=rs,
            link=link,
        )
        empfaenger.mail_geschrieben_at = jetzt
    rs.versand_angefordert_at = jetzt
    return len(offene)


def stuck_ids() -> list[int]:
    """Circulars whose fan-out has not moved for the sweep's grace period."""
    grace = float(current_app.config.get("OUTBOX_SWEEP_GRACE_SECONDS", 30))
    grenze = utcnow() - timedelta(seconds=max(grace, 60))
    return list(
        db.session.scalars(
            select(Rundschreiben.id).where(
                Rundschreiben.versand_ausstehend,
                Rundschreiben.versand_angefordert_at < grenze,
            )
        )
    )


def sichtbare(user: Any) -> Select:
    """The circulars ``user`` may read, newest first (Stabsstelle: all)."""
    query = select(Rundschreiben).order_by(Rundschreiben.created_at.desc(), Rundschreiben.id.desc())
    if getattr(user, "ist_stabsstelle", False):
        return query
    eigene = select(RundschreibenEmpfaenger.rundschreiben_id).where(
        RundschreibenEmpfaenger.user_id == user.id
    )
    return query.where(Rundschreiben.id.in_(eigene))
