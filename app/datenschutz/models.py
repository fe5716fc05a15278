"""A person's request for their data: built by the worker, downloadable until it expires."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UTCDateTime, str_enum, utcnow
from app.extensions import db


class AuskunftStatus(enum.StrEnum):
    ANGEFORDERT = "angefordert"
    FERTIG = "fertig"
    FEHLGESCHLAGEN = "fehlgeschlagen"

    @property
    def label(self) -> str:
        return {
            "angefordert": "wird erstellt",
            "fertig": "bereit zum Herunterladen",
            "fehlgeschlagen": "fehlgeschlagen",
        }[self]


class Datenauskunft(db.Model):
    """One "Meine Daten" ZIP; its link carries a token shown only on the person's own page."""

    __audit_name__ = "Datenauskunft"
    __audit_ignore__ = frozenset({"dateiname", "groesse"})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    status: Mapped[AuskunftStatus] = mapped_column(
        str_enum(AuskunftStatus), default=AuskunftStatus.ANGEFORDERT
    )
    # secret by its name: the audit log records only that it was set
    download_token: Mapped[str] = mapped_column(String(64))
    angefordert_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    fertig_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    laeuft_ab_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dateiname: Mapped[str | None] = mapped_column(String(80))
    groesse: Mapped[int | None] = mapped_column()

    @property
    def abgelaufen(self) -> bool:
        return self.laeuft_ab_at is not None and self.laeuft_ab_at <= utcnow()
