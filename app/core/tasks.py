"""Periodic housekeeping of the core tables."""

from __future__ import annotations

from celery import shared_task

from app.core.beat import periodic
from app.extensions import db


@shared_task(name="core.purge_form_submissions", bind=True, acks_late=True, max_retries=0)
def purge_form_submissions(self) -> int:
    """Forget one-time form tokens after two days (idempotent)."""
    from app.core.submissions import purge_submissions

    removed = purge_submissions()
    db.session.commit()
    return removed


@periodic
def _purge_schedule(cfg: dict) -> tuple[str, dict]:
    return "formular-token-aufraeumen", {
        "task": "core.purge_form_submissions",
        "schedule": 6 * 3600.0,
    }
