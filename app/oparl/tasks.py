"""Worker task: the register's safety net, reconciling every OParl type with the data."""

from __future__ import annotations

from celery import shared_task

from app.core.beat import periodic
from app.extensions import db
from app.oparl import register


@shared_task(name="oparl.abgleich", acks_late=True, max_retries=0)
def abgleich() -> dict[str, list[int]]:
    """Repair the register after bulk changes that bypassed the ORM (idempotent)."""
    result = register.reconcile_all(db.session())
    db.session.commit()
    return {typ: list(counts) for typ, counts in result.items()}


@periodic
def _abgleich(cfg: dict) -> tuple[str, dict]:
    return "oparl-abgleich", {
        "task": "oparl.abgleich",
        "schedule": float(cfg.get("OPARL_ABGLEICH_SEKUNDEN", 3600)),
    }
