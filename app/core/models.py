"""Core tables: only what the input boundary needs (shared types live in ``types.py``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UTCDateTime, utcnow
from app.extensions import db


class FormSubmission(db.Model):
    """A used one-time form token and where its submission led (see ``submissions.py``)."""

    __audit__ = False  # bookkeeping of the input boundary, not a change of data

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    endpoint: Mapped[str] = mapped_column(String(200))
    result_url: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
