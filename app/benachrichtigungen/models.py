"""Notifications in the app, each person's notification settings, and sent digests."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.benachrichtigungen.arten import Rhythmus
from app.core.types import UTCDateTime, str_enum, utcnow
from app.extensions import db


class Benachrichtigung(db.Model):
    """A short German text with an optional link inside the app."""

    __audit__ = False  # derived from audited changes; kept in the person's own list

    __table_args__ = (
        Index("ix_benachrichtigung_user_gelesen", "user_id", "gelesen_at"),
        Index("ix_benachrichtigung_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(500))
    # the mail kind of the same event (``zyklus.phasenwechsel``); feeds the digests
    art: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    gelesen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def gelesen(self) -> bool:
        return self.gelesen_at is not None


class Benachrichtigungseinstellung(db.Model):
    """How one person wants to hear of one kind; no row: the default of their role."""

    __audit_name__ = "Benachrichtigungseinstellung"
    __table_args__ = (UniqueConstraint("user_id", "art", name="uq_benachrichtigungseinstellung"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    art: Mapped[str] = mapped_column(String(40), info={"label": "Art"})
    rhythmus: Mapped[Rhythmus] = mapped_column(str_enum(Rhythmus), info={"label": "Zustellung"})
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Zusammenfassung(db.Model):
    """The claim of one digest: one row per person, rhythm and period, written with its mail.

    The unique key makes a second beat or a re-run after a killed worker a no-op; the
    outbox row is written in the same transaction, so a claim without its mail cannot exist.
    """

    __audit__ = False  # technical delivery record; the mail itself is in the outbox
    __table_args__ = (
        UniqueConstraint("user_id", "rhythmus", "periode_start", name="uq_zusammenfassung"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    rhythmus: Mapped[Rhythmus] = mapped_column(str_enum(Rhythmus))
    periode_start: Mapped[date] = mapped_column(Date)
    anzahl: Mapped[int] = mapped_column(default=0)
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mail.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
