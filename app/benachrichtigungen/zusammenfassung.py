"""Digests: one German mail per person and period with what happened, sent exactly once.

A period is a Berlin calendar day (daily) or a Monday-to-Sunday week (weekly); its digest
is due ``ZUSAMMENFASSUNG_STUNDE`` o'clock after it ended. The claim is a ``Zusammenfassung``
row (unique per person, rhythm and period) written in the same transaction as the outbox
row: a second beat or a re-run after a killed worker finds the row and sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import exists, select

from app.auth.models import User
from app.benachrichtigungen.arten import (
    ARTEN,
    ZUSAMMENFASSUNG_KIND,
    ZUSAMMENFASSUNGEN,
    Rhythmus,
    art_fuer,
)
from app.benachrichtigungen.einstellungen import einstellungen
from app.benachrichtigungen.models import Benachrichtigung, Zusammenfassung
from app.core.types import utcnow
from app.core.urls import external_url
from app.extensions import db
from app.mail.services import queue_mail

BERLIN = ZoneInfo("Europe/Berlin")
TAGE = {Rhythmus.TAEGLICH: 1, Rhythmus.WOECHENTLICH: 7}


@dataclass(frozen=True)
class Periode:
    """One digest period: its rhythm, first day and the UTC window of its notifications."""

    rhythmus: Rhythmus
    start: date

    @property
    def ende(self) -> date:
        return self.start + timedelta(days=TAGE[self.rhythmus])

    @property
    def fenster(self) -> tuple[datetime, datetime]:
        return (
            datetime.combine(self.start, time.min, tzinfo=BERLIN),
            datetime.combine(self.ende, time.min, tzinfo=BERLIN),
        )

    @property
    def titel(self) -> str:
        if self.rhythmus == Rhythmus.TAEGLICH:
            return f"Tägliche Zusammenfassung vom {self.start:%d.%m.%Y}"
        letzter = self.ende - timedelta(days=1)
        return f"Wöchentliche Zusammenfassung {self.start:%d.%m.} – {letzter:%d.%m.%Y}"


def faellige_perioden(now: datetime | None = None) -> list[Periode]:
    """The latest period of each rhythm whose digest is due at ``now``."""
    now = (now or utcnow()).astimezone(BERLIN)
    anker = (now - timedelta(hours=current_app.config["ZUSAMMENFASSUNG_STUNDE"])).date()
    montag = anker - timedelta(days=anker.weekday())
    return [
        Periode(Rhythmus.TAEGLICH, anker - timedelta(days=1)),
        Periode(Rhythmus.WOECHENTLICH, montag - timedelta(days=7)),
    ]


def kandidaten(periode: Periode) -> list[int]:
    """People with notifications in the period and no digest for it yet."""
    von, bis = periode.fenster
    schon = exists().where(
        Zusammenfassung.user_id == Benachrichtigung.user_id,
        Zusammenfassung.rhythmus == periode.rhythmus,
        Zusammenfassung.periode_start == periode.start,
    )
    return list(
        db.session.scalars(
            select(Benachrichtigung.user_id)
            .join(User, User.id == Benachrichtigung.user_id)
            .where(
                Benachrichtigung.created_at >= von,
                Benachrichtigung.created_at < bis,
                Benachrichtigung.art.is_not(None),
                User.aktiv,
                ~schon,
            )
            .distinct()
            .order_by(Benachrichtigung.user_id)
        )
    )


def eintraege(user: User, periode: Periode) -> list[tuple[str, list[Benachrichtigung]]]:
    """The person's notifications of the period whose kind is set to this rhythm, by kind."""
    rhythmen = einstellungen(user)
    von, bis = periode.fenster
    rows = db.session.scalars(
        select(Benachrichtigung)
        .where(
            Benachrichtigung.user_id == user.id,
            Benachrichtigung.created_at >= von,
            Benachrichtigung.created_at < bis,
            Benachrichtigung.art.is_not(None),
        )
        .order_by(Benachrichtigung.created_at, Benachrichtigung.id)
    ).all()
    gruppen: dict[str, list[Benachrichtigung]] = {}
    for row in rows:
        art = art_fuer(row.art)
        if art is not None and rhythmen[art.schluessel] == periode.rhythmus:
            gruppen.setdefault(art.schluessel, []).append(row)
    return [(a.titel, gruppen[a.schluessel]) for a in ARTEN if a.schluessel in gruppen]


def versende(user_id: int, periode: Periode) -> bool:
    """Claim and queue one person's digest (flushes); False: nothing to send or already sent.

    The caller commits; a concurrent claim of the same period fails there with an
    IntegrityError on the unique key and must roll back.
    """
    if periode.rhythmus not in ZUSAMMENFASSUNGEN:
        return False
    user = db.session.get(User, user_id)
    if user is None or not user.aktiv:
        return False
    schon = db.session.scalar(
        select(Zusammenfassung.id).where(
            Zusammenfassung.user_id == user_id,
            Zusammenfassung.rhythmus == periode.rhythmus,
            Zusammenfassung.periode_start == periode.start,
        )
    )
    gruppen = eintraege(user, periode)
    if schon is not None or not gruppen:
        return False
    claim = Zusammenfassung(
        user_id=user.id,
        rhythmus=periode.rhythmus,
        periode_start=periode.start,
        anzahl=sum(len(rows) for _, rows in gruppen),
    )
    db.session.add(claim)
    db.session.flush()  # the unique key decides here (or at the racing commit)
    base = current_app.config["BASE_URL"].rstrip("/")
    mail = queue_mail(
        user.email,
        f"{periode.titel}: {claim.anzahl} Neuigkeit{'en' if claim.anzahl != 1 else ''}",
        "mail/zusammenfassung",
        recipient_name=user.name,
        kind=ZUSAMMENFASSUNG_KIND,
        periode=periode,
        gruppen=gruppen,
        anzahl=claim.anzahl,
        base=base,
        liste_link=external_url("benachrichtigungen.liste"),
        einstellungen_link=external_url("benachrichtigungen.einstellungen"),
    )
    claim.mail_id = mail.id if mail is not None else None
    db.session.flush()
    return True
