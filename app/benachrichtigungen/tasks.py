"""Worker task: the due digests, each person in its own transaction (beat)."""

from __future__ import annotations

import logging

from celery import shared_task
from sqlalchemy.exc import IntegrityError

from app.benachrichtigungen import zusammenfassung
from app.core.beat import periodic
from app.extensions import db

log = logging.getLogger(__name__)


@shared_task(name="benachrichtigungen.zusammenfassungen", acks_late=True)
def versende_zusammenfassungen() -> int:
    """Queue every due digest once; a second beat or a rerun after a kill skips sent ones."""
    total = 0
    for periode in zusammenfassung.faellige_perioden():
        kandidaten = zusammenfassung.kandidaten(periode)
        db.session.commit()
        for user_id in kandidaten:
            try:
                if zusammenfassung.versende(user_id, periode):
                    db.session.commit()
                    total += 1
                else:
                    db.session.rollback()
            except IntegrityError:  # another run claimed this period in the meantime
                db.session.rollback()
                log.info("Zusammenfassung für Konto %s bereits versandt", user_id)
    if total:
        log.info("Zusammenfassungen: %d E-Mail(s) eingereiht", total)
    return total


@periodic
def _zusammenfassungen(cfg: dict) -> tuple[str, dict]:
    return "benachrichtigungen-zusammenfassungen", {
        "task": "benachrichtigungen.zusammenfassungen",
        "schedule": float(cfg["ZUSAMMENFASSUNG_SWEEP_SECONDS"]),
    }
