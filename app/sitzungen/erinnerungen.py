"""Reminders before a meeting and the watch over a stalled fan-out."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from app.core.types import utcnow
from app.extensions import db
from app.mail.services import collect_mail_ids, enqueue_batches_after_commit
from app.sitzungen.einladungen import locked_sitzung, queue_sitzung_mail
from app.sitzungen.models import (
    Antwort,
    Einladung,
    ErinnerungAn,
    Sitzung,
    SitzungStatus,
)

# --------------------------------------------------------------------------- reminders


def due_reminder_ids(now: datetime | None = None) -> list[int]:
    """Invited, upcoming meetings whose reminder time (beginn − days) has come."""
    now = now or utcnow()
    candidates = db.session.execute(
        select(Sitzung.id, Sitzung.beginn, Sitzung.erinnerung_tage).where(
            Sitzung.status == SitzungStatus.EINGELADEN,
            Sitzung.erinnerung_tage.is_not(None),
            Sitzung.beginn > now,
            Sitzung.beginn <= now + timedelta(days=61),
        )
    ).all()
    return [row.id for row in candidates if row.beginn - timedelta(days=row.erinnerung_tage) <= now]


def send_reminders_for(sitzung_id: int, now: datetime | None = None) -> int:
    """Queue the reminder to each invitee not yet reminded of the current date; flushes.

    ``erinnert_fuer`` holds the start time the reminder was about: a reminder goes out once,
    and again only if the meeting moved to another date afterwards.
    """
    now = now or utcnow()
    sitzung = locked_sitzung(sitzung_id)
    if sitzung is None or sitzung.id not in due_reminder_ids(now):
        return 0
    query = select(Einladung).where(
        Einladung.sitzung_id == sitzung.id,
        or_(Einladung.erinnert_fuer.is_(None), Einladung.erinnert_fuer != sitzung.beginn),
        Einladung.sequence_gesendet == sitzung.sequence,
    )
    if sitzung.erinnerung_an == ErinnerungAn.OFFENE:
        query = query.where(Einladung.antwort == Antwort.OFFEN)
    einladungen = list(db.session.scalars(query.order_by(Einladung.id)))
    with collect_mail_ids() as mail_ids:
        for einladung in einladungen:
            queue_sitzung_mail(sitzung, einladung, "erinnerung")
            einladung.erinnert_fuer = sitzung.beginn
    enqueue_batches_after_commit(mail_ids)
    db.session.flush()
    return len(einladungen)


def stuck_fan_out_ids() -> list[int]:
    """Meetings whose fan-out was requested but not finished (queue lost, worker died)."""
    grace = utcnow() - timedelta(seconds=current_app.config["OUTBOX_SWEEP_GRACE_SECONDS"])
    return list(
        db.session.scalars(
            select(Sitzung.id)
            .where(Sitzung.versand_ausstehend, Sitzung.versand_angefordert_at <= grace)
            .with_for_update(skip_locked=True)
        )
    )


def touch_fan_out(sitzung_ids: list[int]) -> None:
    """Restart the grace period of re-enqueued fan-outs, so the sweep does not pile them up."""
    if sitzung_ids:
        db.session.execute(
            update(Sitzung)
            .where(Sitzung.id.in_(sitzung_ids))
            .values(versand_angefordert_at=utcnow())
        )
