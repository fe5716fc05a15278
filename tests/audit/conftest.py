"""Helpers for audit tests: read the log since a mark."""

from __future__ import annotations

from sqlalchemy import func, select

from app.audit.models import AuditEintrag
from app.extensions import db


def last_id() -> int:
    """The newest entry's id (0 when the log is empty): entries after it are new."""
    return db.session.scalar(select(func.coalesce(func.max(AuditEintrag.id), 0)))


def entries_since(mark: int, **where) -> list[AuditEintrag]:
    """Entries written after ``mark``, oldest first, optionally filtered by column values."""
    query = select(AuditEintrag).where(AuditEintrag.id > mark).order_by(AuditEintrag.id)
    for key, value in where.items():
        query = query.where(getattr(AuditEintrag, key) == value)
    return list(db.session.scalars(query))
