"""The register of everything ever published through OParl, so withdrawn objects leave a trace.

OParl clients keep copies; when a meeting becomes non-public or is deleted they must learn it
(``deleted: true``). Each row is one OParl object: when it first appeared, when it last
changed, and when it was withdrawn. The rows are kept in step by ``app.oparl.register``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UTCDateTime, utcnow
from app.extensions import db


class OparlObjekt(db.Model):
    """One OParl object (type and key, e.g. ``meeting``/``12``) with its lifecycle."""

    __audit__ = False  # bookkeeping derived from audited rows, rewritten at every commit
    __table_args__ = (
        UniqueConstraint("typ", "schluessel"),
        Index("ix_oparl_objekt_typ_geaendert", "typ", "geaendert_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    typ: Mapped[str] = mapped_column(String(30))
    schluessel: Mapped[str] = mapped_column(String(60))
    erstellt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    geaendert_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    zurueckgezogen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def geloescht(self) -> bool:
        return self.zurueckgezogen_at is not None
