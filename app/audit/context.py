"""Who acts (account, worker task or "System") and switches for system jobs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from flask import g, has_request_context

SYSTEM = "System"
ANONYM = "Ohne Anmeldung"

_actor: ContextVar[tuple[int | None, str] | None] = ContextVar("audit_actor", default=None)
_paused: ContextVar[bool] = ContextVar("audit_paused", default=False)
_privileged: ContextVar[bool] = ContextVar("audit_privileged", default=False)


def current_actor() -> tuple[int | None, str]:
    """(account id, name) of whoever causes the change right now.

    Reads the user Flask-Login already loaded for this request (never queries: the hook
    runs inside a flush); in the worker the task name, otherwise "System".
    """
    override = _actor.get()
    if override is not None:
        return override
    if has_request_context():
        user = g.get("_login_user")
        if getattr(user, "is_authenticated", False) and getattr(user, "id", None):
            return user.id, user.name
    task = _celery_task_name()
    if task:
        return None, f"Aufgabe {task}"
    return (None, ANONYM) if has_request_context() else (None, SYSTEM)


def _celery_task_name() -> str | None:
    try:
        from celery import current_task
    except ImportError:  # pragma: no cover - celery is a dependency
        return None
    if current_task and getattr(current_task.request, "id", None):
        return current_task.name
    return None


@contextlib.contextmanager
def acting_as(user_id: int | None, name: str) -> Iterator[None]:
    """Attribute changes inside the block to ``name`` (CLI, a link without login, a job)."""
    token = _actor.set((user_id, name))
    try:
        yield
    finally:
        _actor.reset(token)


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Record no row changes inside the block; the caller records one summary event instead."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def is_paused() -> bool:
    return _paused.get()


@contextlib.contextmanager
def privileged() -> Iterator[None]:
    """Allow updating or deleting log entries: only retention and pseudonymisation do that."""
    token = _privileged.set(True)
    try:
        yield
    finally:
        _privileged.reset(token)


def is_privileged() -> bool:
    return _privileged.get()
