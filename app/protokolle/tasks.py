"""Worker task: one reminder per meeting whose minutes are missing (beat + database row)."""

from __future__ import annotations

import logging

from celery import shared_task
from sqlalchemy.exc import IntegrityError

from app.core.beat import periodic
from app.extensions import db
from app.protokolle import services

log = logging.getLogger(__name__)


@shared_task(name="protokolle.send_erinnerungen", acks_late=True)
def send_erinnerungen() -> int:
    """Queue the due reminders; each meeting in its own transaction, so a rerun skips it."""
    total = 0
    for sitzung in services.due_reminders():
        sitzung_id = sitzung.id
        try:
            total += services.send_reminder(sitzung)
            db.session.commit()
        except IntegrityError:  # another run reminded in the meantime
            db.session.rollback()
            log.info("Protokoll-Erinnerung für Sitzung %s bereits versandt", sitzung_id)
    return total


@periodic
def _erinnerungen(cfg: dict) -> tuple[str, dict]:
    return "protokolle-erinnerungen", {
        "task": "protokolle.send_erinnerungen",
        "schedule": float(cfg.get("PROTOKOLL_ERINNERUNG_INTERVALL", 3600)),
    }
