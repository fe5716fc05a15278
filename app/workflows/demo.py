"""Demo cycle "Sozialplanung 2027" in the Beteiligung phase, with history and deadlines.

Idempotent: an existing cycle with this title is left as it is. Written directly (not through
``change_phase``), so loading demo data sends no notifications or mails.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.stammdaten.models import Gremium
from app.workflows.models import (
    Phase,
    Phasenfrist,
    StrangStatus,
    VerlaufArt,
    Verlaufseintrag,
    Zyklus,
)
from app.workflows.services import berlin_today, create_zyklus

TITEL = "Sozialplanung 2027"
STABSSTELLE = "stabsstelle@demo.hilden.example"


def _stabsstelle() -> User:
    user = db.session.scalar(select(User).where(User.email == STABSSTELLE))
    if user is None:
        from app.stammdaten.demo import load_demo_data

        load_demo_data()
        user = db.session.scalar(select(User).where(User.email == STABSSTELLE))
    return user


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def load_demo_zyklus() -> Zyklus:
    """Create the demo cycle if missing and return it."""
    existing = db.session.scalar(select(Zyklus).where(Zyklus.titel == TITEL))
    if existing is not None:
        return existing
    stab = _stabsstelle()
    today = berlin_today()
    gremien = db.session.scalars(select(Gremium).where(Gremium.aktiv).order_by(Gremium.id)).all()
    zyklus = create_zyklus(
        TITEL, today - timedelta(days=90), date(today.year + 1, 12, 31), gremien, stab
    )
    db.session.scalars(
        select(Verlaufseintrag).where(Verlaufseintrag.zyklus_id == zyklus.id)
    ).one().zeitpunkt = _at(today - timedelta(days=90))
    _history(zyklus, stab, today)
    _deadlines(zyklus, today)
    db.session.flush()
    return zyklus


def _history(zyklus: Zyklus, stab: User, today: date) -> None:
    steps = [
        (Phase.DATENBASIS, Phase.PLANUNGSRUNDE, 45, "Sozialreport-Entwurf 2026 liegt vor."),
        (
            Phase.PLANUNGSRUNDE,
            Phase.BETEILIGUNG,
            10,
            "Themen für die Stadtteilarbeitskreise gesammelt.",
        ),
    ]
    for von, nach, days, note in steps:
        db.session.add(
            Verlaufseintrag(
                zyklus_id=zyklus.id,
                art=VerlaufArt.VORWAERTS,
                von_phase=von,
                nach_phase=nach,
                user_id=stab.id,
                zeitpunkt=_at(today - timedelta(days=days)),
                begruendung=note,
            )
        )
    zyklus.phase = Phase.BETEILIGUNG
    zyklus.version = 4
    erster = zyklus.straenge[0]
    erster.status = StrangStatus.ABGESCHLOSSEN
    erster.abgeschlossen_at = _at(today - timedelta(days=2))
    erster.abgeschlossen_von_id = stab.id
    erster.notiz = "Rückmeldungen aller fünf Träger liegen vor."
    db.session.add(
        Verlaufseintrag(
            zyklus_id=zyklus.id,
            art=VerlaufArt.STRANG_ABGESCHLOSSEN,
            strang_id=erster.id,
            user_id=stab.id,
            zeitpunkt=erster.abgeschlossen_at,
            begruendung=erster.notiz,
        )
    )


def _deadlines(zyklus: Zyklus, today: date) -> None:
    for phase, days in (
        (Phase.DATENBASIS, -50),
        (Phase.PLANUNGSRUNDE, -12),
        (Phase.BETEILIGUNG, 30),
        (Phase.VERWALTUNGSVORSTAND, 75),
        (Phase.POLITIK, 120),
    ):
        zyklus.fristen.append(Phasenfrist(phase=phase, faellig_am=today + timedelta(days=days)))
    for i, strang in enumerate(zyklus.straenge):
        strang.frist = today + timedelta(days=-3 if i == 1 else 21)
