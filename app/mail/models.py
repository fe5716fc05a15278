"""The outbox: every outgoing mail is a row before it is a message."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UTCDateTime, str_enum, utcnow
from app.extensions import db


class MailStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {
            "pending": "wartend",
            "sending": "wird gesendet",
            "sent": "versendet",
            "failed": "fehlgeschlagen",
        }[self]


class Mail(db.Model):
    """One message to one recipient, written in the same transaction as its cause."""

    __audit__ = False  # delivery state is technical; the cause of a mail is audited

    __table_args__ = (Index("ix_mail_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    recipient_name: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(60), default="allgemein")
    reply_to: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[MailStatus] = mapped_column(str_enum(MailStatus), default=MailStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    transport: Mapped[str | None] = mapped_column(String(20))
    # Non-essential mails: the signed unsubscribe link (List-Unsubscribe header, RFC 8058).
    list_unsubscribe: Mapped[str | None] = mapped_column(String(500))
    # A resend with a new personal link replaces this row (app.mail.secrets).
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("mail.id", ondelete="SET NULL"))

    attachments: Mapped[list[MailAttachment]] = relationship(
        back_populates="mail", cascade="all, delete-orphan", order_by="MailAttachment.id"
    )


class MailAttachment(db.Model):
    """A file sent with a mail; ``inline`` parts (e.g. text/calendar) join the body.

    The bytes are the row's own (``data``) or shared with other mails (``inhalt``): a file
    that goes to many people at once, such as a meeting pack, is stored a single time.
    """

    __audit__ = False

    __table_args__ = (
        CheckConstraint("(data IS NULL) <> (inhalt_id IS NULL)", name="data_oder_inhalt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mail_id: Mapped[int] = mapped_column(ForeignKey("mail.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(150))
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    inhalt_id: Mapped[int | None] = mapped_column(ForeignKey("mail_inhalt.id"), index=True)
    inline: Mapped[bool] = mapped_column(default=False)

    mail: Mapped[Mail] = relationship(back_populates="attachments")
    inhalt: Mapped[MailInhalt | None] = relationship()

    @property
    def content(self) -> bytes:
        """The bytes to send: the row's own or the shared ones."""
        if self.data is not None:
            return self.data
        assert self.inhalt is not None  # the check constraint: one of the two is set
        return self.inhalt.data


class MailInhalt(db.Model):
    """Attachment bytes stored once for every mail that carries them (by SHA-256)."""

    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
