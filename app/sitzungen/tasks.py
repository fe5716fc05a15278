"""Worker tasks: the invitation fan-out, its sweep, and the reminders (beat + database)."""

from __future__ import annotations

import logging

from celery import shared_task

from app.core.beat import periodic
from app.extensions import db
from app.sitzungen import services

log = logging.getLogger(__name__)


@shared_task(name="sitzungen.send_einladungen", bind=True, acks_late=True, max_retries=5)
def send_einladungen(self, sitzung_id: int) -> int:
    """Write every missing invitation, update or cancellation mail, one committed step at a time.

    Each step commits its Einladungen together with their mails and then hands the mails to
    the worker in batches, so sending starts while the rest is still being written. Running
    twice (redelivery, sweep) only finishes what is missing.
    """
    total = 0
    while written := services.fan_out_step(sitzung_id):
        db.session.commit()
        total += written
    db.session.commit()  # the step that found nothing left cleared ``versand_ausstehend``
    return total


@shared_task(name="sitzungen.sweep_einladungen", acks_late=True)
def sweep_einladungen() -> int:
    """Re-enqueue fan-outs whose task was lost (Redis restarted, worker killed)."""
    ids = services.stuck_fan_out_ids()
    services.touch_fan_out(ids)
    db.session.commit()
    for sitzung_id in ids:
        send_einladungen.delay(sitzung_id)
    if ids:
        log.info("Sitzungen: Versand für %d Sitzung(en) erneut eingereiht", len(ids))
    return len(ids)


@shared_task(name="sitzungen.send_erinnerungen", acks_late=True)
def send_erinnerungen() -> int:
    """Queue the reminders that are due now; each meeting in its own transaction."""
    total = 0
    for sitzung_id in services.due_reminder_ids():
        total += services.send_reminders_for(sitzung_id)
        db.session.commit()
    return total


@periodic
def _fan_out_sweep(cfg: dict) -> tuple[str, dict]:
    return "sitzungen-versand-sweep", {
        "task": "sitzungen.sweep_einladungen",
        "schedule": float(cfg["OUTBOX_SWEEP_SECONDS"]),
    }


@periodic
def _reminders(cfg: dict) -> tuple[str, dict]:
    return "sitzungen-erinnerungen", {
        "task": "sitzungen.send_erinnerungen",
        "schedule": float(cfg.get("SITZUNG_ERINNERUNG_SWEEP_SECONDS", 600)),
    }
