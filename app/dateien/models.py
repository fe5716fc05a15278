"""A stored upload: metadata in the database, content under a random name outside the web root."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UTCDateTime, utcnow
from app.extensions import db
from app.suche.volltext import suchindex

if TYPE_CHECKING:
    from app.auth.models import User


class Datei(db.Model):
    """One uploaded file; features link to it (a TOP's documents, a Protokoll)."""

    __audit_ignore__ = frozenset({"volltext"})  # derived from the file, long

    id: Mapped[int] = mapped_column(primary_key=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(150))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the document's text (PDF, DOCX, ODT), read at upload for the search (``volltext``)
    volltext: Mapped[str | None] = mapped_column(Text, info={"label": "Text des Dokuments"})

    uploaded_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return self.original_name

    @property
    def groesse_text(self) -> str:
        """The size for people: 12 KB, 3,4 MB."""
        if self.size < 1024 * 1024:
            return f"{max(1, round(self.size / 1024))} KB"
        return f"{self.size / (1024 * 1024):.1f} MB".replace(".", ",")


suchindex("ix_datei_volltext_suche", Datei.__table__.c.volltext)
