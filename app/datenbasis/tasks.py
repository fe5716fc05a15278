"""Worker tasks of the Datenbasis: checking and importing uploaded tables, and their sweep."""

from __future__ import annotations

import logging

from celery import shared_task

from app.core.beat import periodic
from app.datenbasis import importjobs
from app.datenbasis.models import ImportStatus
from app.extensions import db

log = logging.getLogger(__name__)


@shared_task(name="datenbasis.import_pruefen", acks_late=True)
def import_pruefen(datei_id: int) -> str:
    """Read and validate every row of a staged file, with progress; the report is stored.

    Running twice (redelivery, sweep) checks again and stores the same report once.
    """
    datei = importjobs.job(datei_id, ImportStatus.PRUEFUNG)
    if datei is None:
        db.session.commit()
        return "skipped"
    report = importjobs.check_staged(datei)
    done = importjobs.finish_check(datei_id, report)
    db.session.commit()
    return ("ok" if report.ok else "fehlerhaft") if done else "skipped"


@shared_task(name="datenbasis.import_ausfuehren", acks_late=True)
def import_ausfuehren(datei_id: int) -> str:
    """Import a confirmed file: check again (the catalogue may have changed), then all or none.

    The row is locked for the writing transaction and must still say "wird importiert", so a
    second run after a finished one writes nothing.
    """
    datei = importjobs.job(datei_id, ImportStatus.IMPORT)
    if datei is None:
        db.session.commit()
        return "skipped"
    report = importjobs.check_staged(datei)
    done = importjobs.finish_import(datei_id, report)
    db.session.commit()
    if done:
        log.info("Import %s: %s, %d Zeilen", datei_id, report.ok, report.importiert)
    return ("importiert" if report.ok else "fehlerhaft") if done else "skipped"


@shared_task(name="datenbasis.sweep_importe", acks_late=True)
def sweep_importe() -> int:
    """Hand out again the jobs whose progress stood still (worker killed, message lost)."""
    jobs = importjobs.stalled_jobs()
    db.session.commit()
    for datei_id, status in jobs:
        importjobs.enqueue_step(datei_id, status)
    if jobs:
        log.info("Importe: %d Auftrag/Aufträge erneut eingereiht", len(jobs))
    return len(jobs)


@periodic
def _import_sweep(cfg: dict) -> tuple[str, dict]:
    return "importe-sweep", {
        "task": "datenbasis.sweep_importe",
        "schedule": float(cfg.get("IMPORT_SWEEP_SECONDS", 60)),
    }
