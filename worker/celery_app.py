"""Celery bound to the Flask app; tasks run inside an app context.

The worker process itself is started from ``worker.app`` (see there).
"""

from __future__ import annotations

from celery import Celery, Task
from flask import Flask


def init_celery(app: Flask) -> Celery:
    """Create the Celery app for ``app`` following Celery's caveats for idempotent tasks."""

    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    cfg = app.config
    celery = Celery(app.import_name, task_cls=FlaskTask)
    celery.conf.update(
        broker_url=cfg["CELERY_BROKER_URL"],
        broker_transport_options=_transport_options(cfg),
        broker_connection_retry_on_startup=True,
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue="planungskreislauf",
        timezone="Europe/Berlin",
        enable_utc=True,
        beat_schedule=_beat_schedule(cfg),
        beat_schedule_filename=str(app.instance_path) + "/celerybeat-schedule",
        worker_hijack_root_logger=False,
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5},
    )
    celery.set_default()
    app.extensions["celery"] = celery
    return celery


def _transport_options(cfg: dict) -> dict:
    """Redis needs a visibility timeout; the SQLAlchemy broker passes options to create_engine."""
    if cfg["CELERY_BROKER_URL"].startswith("sqla+"):
        return {}
    return {"visibility_timeout": cfg["CELERY_VISIBILITY_TIMEOUT"]}


def _beat_schedule(cfg: dict) -> dict:
    """Periodic jobs; later features add theirs to BEAT_SCHEDULE in their package."""
    from app.core.beat import schedule

    return schedule(cfg)
