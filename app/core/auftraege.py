"""Queue a worker task by its fixed name, so a service never imports the task module that imports it."""

from __future__ import annotations

from typing import Any

from celery import current_app as celery_app


def enqueue(name: str, *args: Any) -> None:
    """Send the task ``name`` with ``args`` to the worker (call it after the commit)."""
    celery_app.send_task(name, args=list(args))
