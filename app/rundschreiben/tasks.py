"""Worker tasks: the batched mail fan-out of a Rundschreiben and its sweep."""

from __future__ import annotations

import logging

from celery import shared_task

from app.core.beat import periodic
from app.core.types import utcnow
from app.extensions import db
from app.rundschreiben import services
from app.rundschreiben.models import Rundschreiben

log = logging.getLogger(__name__)


@shared_task(name="rundschreiben.versenden", bind=True, acks_late=True, max_retries=5)
def versenden(self, rundschreiben_id: int) -> int:
    """Write every missing mail, one committed step at a time; running twice adds nothing."""
    total = 0
    while written := services.versand_schritt(rundschreiben_id):
        db.session.commit()
        total += written
    db.session.commit()  # the last step cleared ``versand_ausstehend``
    return total


@shared_task(name="rundschreiben.sweep", acks_late=True)
def sweep() -> int:
    """Re-enqueue fan-outs whose task was lost (Redis restarted, worker killed)."""
    ids = services.stuck_ids()
    for rs_id in ids:
        db.session.get(Rundschreiben, rs_id).versand_angefordert_at = utcnow()
    db.session.commit()
    for rs_id in ids:
        versenden.delay(rs_id)
    if ids:
        log.info("Rundschreiben: Versand für %d erneut eingereiht", len(ids))
    return len(ids)


@periodic
def _sweep(cfg: dict) -> tuple[str, dict]:
    return "rundschreiben-versand-sweep", {
        "task": "rundschreiben.sweep",
        "schedule": float(cfg["OUTBOX_SWEEP_SECONDS"]),
    }
