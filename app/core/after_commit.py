"""Side effects (Celery ``.delay``, mail) that run only after the session committed."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
_KEY = "after_commit_callbacks"


def after_commit(callback: Callable[[], object]) -> None:
    """Run ``callback`` once the current transaction of ``db.session`` has committed."""
    from app.extensions import db

    db.session().info.setdefault(_KEY, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_callbacks(session: Session) -> None:
    callbacks = session.info.pop(_KEY, [])
    for callback in callbacks:
        try:
            callback()
        except Exception:  # a lost enqueue is recovered by the outbox sweep
            log.exception("Nachgelagerte Aktion nach Commit fehlgeschlagen")


@event.listens_for(Session, "after_rollback")
def _drop_callbacks(session: Session) -> None:
    session.info.pop(_KEY, None)
