"""One notification for one person, shown in the app until read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UTCDateTime, utcnow
from app.extensions import db


class Benachrichtigung(db.Model):
    """A short German text with an optional link inside the app."""

    __audit__ = False  # derived from audited changes; kept in the person's own list

    __table_args__ = (Index("ix_benachrichtigung_user_gelesen", "user_id", "gelesen_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    gelesen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def gelesen(self) -> bool:
        return self.gelesen_at is not None
