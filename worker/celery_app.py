"""Celery bound to the Flask app; tasks run inside an app context.

The worker process itself is started from ``worker.app`` (see there).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from celery import Celery, Task, signals
from celery import current_app as current_celery
from flask import Flask, appcontext_pushed


def init_celery(app: Flask) -> Celery:
    """Create the Celery app for ``app`` following Celery's caveats for idempotent tasks."""

    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    cfg = app.config
    visibility = cfg["CELERY_VISIBILITY_TIMEOUT"]
    lease = cfg["MAIL_LEASE_SECONDS"]
    broker_url = cfg["CELERY_BROKER_URL"]
    celery = Celery(app.import_name, task_cls=FlaskTask)
    celery.conf.update(
        broker_url=broker_url,
        broker_transport_options=_transport_options(broker_url, visibility),
        broker_connection_retry_on_startup=True,
        task_ignore_result=True,
        # Celery's caveats for idempotent tasks: ack after the run, requeue when the
        # process running it dies, take one message at a time.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        # A running send finishes and records itself when the broker connection drops;
        # its redelivered message is then a no-op (the row says "sent").
        worker_cancel_long_running_tasks_on_connection_loss=False,
        # A send must end before its lease does, or the sweep would hand the row to a
        # second worker while the first one still talks to the mail server.
        task_annotations={"mail.send": {"soft_time_limit": lease * 0.6, "time_limit": lease * 0.8}},
        task_default_queue="planungskreislauf",
        timezone="Europe/Berlin",
        enable_utc=True,
        beat_schedule=_beat_schedule(cfg),
        beat_schedule_filename=str(app.instance_path) + "/celerybeat-schedule",
        worker_hijack_root_logger=False,
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5},
    )
    celery.flask_app = app
    celery.set_default()

    # Several Flask apps in one process (tests, CLI): ``send_mail.delay`` must use the
    # broker of the app whose context is active, not that of the app created last.
    @appcontext_pushed.connect_via(app, weak=False)
    def _use_this_celery(sender: Flask, **_: object) -> None:
        celery.set_current()

    app.extensions["celery"] = celery
    return celery


def _transport_options(broker_url: str, visibility: int) -> dict:
    """Redis: the visibility timeout, and a scan for messages of dead workers often enough
    to matter (kombu's default scans every 100 s; a scan is one ZRANGE on a small set).

    The SQLAlchemy transport of the development default hands its options to
    ``create_engine`` and must get none of these.
    """
    if not broker_url.startswith(("redis://", "rediss://", "redis+socket://")):
        return {}
    return {
        "visibility_timeout": visibility,
        "unacked_restore_interval": max(1, min(10, visibility // 5)),
        "unacked_restore_throttle": 1,
    }


def _beat_schedule(cfg: dict) -> dict:
    """Periodic jobs; later features add theirs with ``app.core.beat.periodic``."""
    from app.core.beat import schedule

    return schedule(cfg)


class QuietPeriodicFilter(logging.Filter):
    """Drop the INFO lines of periodic tasks (sent, received, succeeded).

    Beat runs them every minute; they log themselves when they actually do something,
    and warnings and errors always pass.
    """

    def __init__(self, task_names: set[str]) -> None:
        super().__init__()
        self.task_names = frozenset(task_names)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO:
            return True
        args = record.args
        if isinstance(args, Mapping):
            name = args.get("name")
        elif record.name == "celery.beat" and isinstance(args, tuple) and len(args) == 2:
            name = args[1]
        else:
            return True
        return name not in self.task_names


@signals.after_setup_logger.connect(weak=False)
def _quiet_periodic_tasks(logger: logging.Logger, **_: object) -> None:
    names = {entry["task"] for entry in current_celery.conf.beat_schedule.values()}
    quiet = QuietPeriodicFilter(names)
    for handler in logger.handlers:
        handler.addFilter(quiet)


@signals.worker_init.connect(weak=False)
def _prepare_before_fork(**_: object) -> None:
    """Configure the ORM mappers and compile the mail templates once in the parent process, so
    every forked pool process starts ready (else each pays for it with its first task, e.g.
    the first invitation fan-out after a start)."""
    flask_app = getattr(current_celery, "flask_app", None)
    if flask_app is None:
        return
    from sqlalchemy.orm import configure_mappers

    configure_mappers()
    with flask_app.app_context():
        env = flask_app.jinja_env
        for name in env.list_templates(filter_func=lambda n: n.startswith("mail/")):
            env.get_template(name)


@signals.worker_process_init.connect(weak=False)
def _fresh_database_pool(**_: object) -> None:
    """A forked pool process must not reuse the parent's database connections."""
    flask_app = getattr(current_celery, "flask_app", None)
    if flask_app is not None:
        from app.extensions import db

        with flask_app.app_context():
            db.engine.dispose(close=False)


@signals.worker_process_shutdown.connect(weak=False)
def _close_smtp(**_: object) -> None:
    from app.mail.transport import close_connection

    close_connection(polite=True)
