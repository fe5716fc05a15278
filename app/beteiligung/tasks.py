"""Deadlines of Rückmeldebögen, run by beat: invite when opened, remind once, close at the deadline.

Every step claims its rows through a database column (``eingeladen_at``, ``erinnert_at``,
``status``), so running the task twice or on two workers at once sends nothing twice.
"""

from __future__ import annotations

import logging
import os

from celery import shared_task

from app.beteiligung import services
from app.core.beat import periodic
from app.extensions import db

log = logging.getLogger(__name__)
DEFAULT_SECONDS = 60


@shared_task(name="beteiligung.check_deadlines", acks_late=True)
def check_deadlines() -> dict[str, int]:
    """Close forms past their deadline, send due invitations and reminders; idempotent."""
    closed = services.close_due()
    invited = services.invite_due()
    reminded = services.remind_non_submitters()
    db.session.commit()
    if closed or invited or reminded:
        log.info(
            "Rückmeldebögen: %d geschlossen, %d Einladungen, %d Erinnerungen",
            len(closed),
            invited,
            reminded,
        )
    return {"geschlossen": len(closed), "einladungen": invited, "erinnerungen": reminded}


@periodic
def _deadlines_entry(cfg: dict) -> tuple[str, dict]:
    """Every minute by default (``RUECKMELDUNG_FRISTEN_SECONDS``)."""
    seconds = float(
        os.environ.get("RUECKMELDUNG_FRISTEN_SECONDS")
        or cfg.get("RUECKMELDUNG_FRISTEN_SECONDS", DEFAULT_SECONDS)
    )
    return "rueckmeldungen-fristen", {"task": "beteiligung.check_deadlines", "schedule": seconds}
