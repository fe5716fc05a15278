"""Demo data for notification settings and data protection: one Träger reads a weekly digest.

Idempotent: the Diakonie's contact person has chosen the weekly digest for the planning
cycle's news, so "Benachrichtigungen → Einstellungen" shows a chosen value next to the
defaults of the role; a few of her notifications of last week wait for that digest.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.auth.models import User
from app.benachrichtigungen.arten import Rhythmus
from app.benachrichtigungen.models import Benachrichtigung, Benachrichtigungseinstellung
from app.core.types import utcnow
from app.extensions import db

TRAEGERIN = "diakonie@demo.traeger.example"
TEXTE = (
    ("zyklus.phasenwechsel", "Sozialplanung: Die Phase „Beteiligung“ hat begonnen."),
    ("protokoll.freigegeben", "Das Protokoll der Trägerrunde ist freigegeben."),
)


def load_demo_datenschutz() -> None:
    """Give the Diakonie's contact person a weekly digest (once)."""
    user = db.session.scalar(select(User).where(User.email == TRAEGERIN))
    if user is None:
        return
    exists = db.session.scalar(
        select(Benachrichtigungseinstellung.id).where(
            Benachrichtigungseinstellung.user_id == user.id,
            Benachrichtigungseinstellung.art == "zyklus",
        )
    )
    if exists is not None:
        return
    db.session.add(
        Benachrichtigungseinstellung(user_id=user.id, art="zyklus", rhythmus=Rhythmus.WOECHENTLICH)
    )
    for tage, (art, text) in enumerate(TEXTE, start=2):
        db.session.add(
            Benachrichtigung(
                user_id=user.id,
                text=text,
                url="/start",
                art=art,
                created_at=utcnow() - timedelta(days=tage),
            )
        )
    db.session.flush()
