"""Notification operations: create for many people, count unread, mark read."""

from __future__ import annotations

from collections.abc import Iterable

from flask import g, has_request_context
from sqlalchemy import func, select, update

from app.benachrichtigungen.models import Benachrichtigung
from app.core.datenstand import zwischengespeichert
from app.core.types import utcnow
from app.extensions import db

MAX_TEXT = 2000


def notify(
    user_ids: Iterable[int], text: str, url: str | None = None, art: str | None = None
) -> list[Benachrichtigung]:
    """Create one notification per distinct person (in the caller's transaction; flushes).

    ``art`` is the mail kind of the same event; the digests list notifications by it.
    """
    rows = [
        Benachrichtigung(user_id=user_id, text=text[:MAX_TEXT], url=url, art=art)
        for user_id in dict.fromkeys(user_ids)
    ]
    db.session.add_all(rows)
    db.session.flush()
    _forget_counts()
    return rows


def unread_count(user_id: int) -> int:
    """How many notifications ``user_id`` has not read yet (counted once per request).

    The header and the start page's task both show it; the count is kept on ``g`` for the
    rest of the request and forgotten by every change below.
    """
    known = g.setdefault("_ungelesen", {}) if has_request_context() else {}
    if user_id not in known:
        known[user_id] = zwischengespeichert(("ungelesen", user_id), lambda: _count(user_id))
    return known[user_id]


def _count(user_id: int) -> int:
    """The unread count from the database (behind the request's and the data stand's cache)."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Benachrichtigung)
            .where(Benachrichtigung.user_id == user_id, Benachrichtigung.gelesen_at.is_(None))
        )
        or 0
    )


def _forget_counts() -> None:
    """A change of notifications in this request: count again when asked."""
    if has_request_context():
        g.pop("_ungelesen", None)


def mark_read(benachrichtigung: Benachrichtigung) -> None:
    """Mark one notification read (idempotent: the first reading time stays)."""
    _forget_counts()
    if benachrichtigung.gelesen_at is None:
        benachrichtigung.gelesen_at = utcnow()


def mark_all_read(user_id: int) -> int:
    """Mark every unread notification of ``user_id`` read; returns how many changed."""
    _forget_counts()
    result = db.session.execute(
        update(Benachrichtigung)
        .where(Benachrichtigung.user_id == user_id, Benachrichtigung.gelesen_at.is_(None))
        .values(gelesen_at=utcnow())
    )
    return result.rowcount or 0
