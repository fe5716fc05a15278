"""Worker tasks: build "Meine Daten", and the nightly retention purge (beat)."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.schedules import crontab

from app.core.beat import periodic
from app.datenschutz import aufbewahrung, services
from app.extensions import db

log = logging.getLogger(__name__)


@shared_task(name="datenschutz.meine_daten", acks_late=True, max_retries=3)
def meine_daten(auskunft_id: int) -> bool:
    """Build one person's ZIP; a second run finds it finished and does nothing."""
    try:
        done = services.build_auskunft(auskunft_id)
    except Exception:
        db.session.rollback()
        services.mark_failed(auskunft_id)
        db.session.commit()
        raise
    db.session.commit()
    if done:
        log.info("Datenauskunft %s erstellt", auskunft_id)
    return done


@shared_task(name="datenschutz.bereinigung", acks_late=True)
def bereinigung() -> dict[str, int]:
    """The nightly purge of data past its retention period (one audit event per run)."""
    counts = aufbewahrung.bereinigen()
    db.session.commit()
    log.info("Löschfristen angewandt: %s", counts)
    return counts


@periodic
def _bereinigung(cfg: dict) -> tuple[str, dict]:
    return "datenschutz-bereinigung", {
        "task": "datenschutz.bereinigung",
        "schedule": crontab(hour=int(cfg["BEREINIGUNG_STUNDE"]), minute=30),
    }
