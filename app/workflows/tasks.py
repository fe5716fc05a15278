"""Worker tasks of the planning cycle: deadline reminders through beat and database columns."""

from __future__ import annotations

import logging

from celery import shared_task

from app.core.beat import periodic
from app.extensions import db
from app.workflows import services

log = logging.getLogger(__name__)


@shared_task(name="workflows.check_deadlines", bind=True, acks_late=True, max_retries=3)
def check_deadlines(self) -> int:
    """Send due reminders and overdue notices once each; safe to run twice or in parallel."""
    count = services.send_deadline_reminders()
    db.session.commit()
    log.info("Fristen geprüft: %d Erinnerung(en)/Überfälligkeitsmeldung(en) versandt", count)
    return count


@periodic
def _deadline_schedule(cfg: dict) -> tuple[str, dict]:
    seconds = float(cfg.get("ZYKLUS_FRISTEN_SEKUNDEN", 3600))
    return "zyklus-fristen", {"task": "workflows.check_deadlines", "schedule": seconds}
