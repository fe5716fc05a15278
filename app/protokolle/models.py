"""The minutes of a Sitzung: file revisions, structured results, approval and reminder state."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Table, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import TimestampMixin, UTCDateTime, str_enum, utcnow
from app.extensions import db
from app.suche.volltext import suchindex

if TYPE_CHECKING:
    from app.auth.models import User
    from app.dateien.models import Datei
    from app.sitzungen.models import Sitzung


class ProtokollStatus(enum.StrEnum):
    """Draft → handed in → approved, or handed back to the moderators with a comment."""

    ENTWURF = "entwurf"
    EINGEREICHT = "eingereicht"
    ZURUECKGEGEBEN = "zurueckgegeben"
    FREIGEGEBEN = "freigegeben"

    @property
    def label(self) -> str:
        return {
            "entwurf": "Entwurf (noch nicht eingereicht)",
            "eingereicht": "zur Freigabe eingereicht",
            "zurueckgegeben": "zur Überarbeitung zurückgegeben",
            "freigegeben": "freigegeben",
        }[self]


class SchrittArt(enum.StrEnum):
    """One step in the minutes' history of hand-off and approval."""

    HOCHGELADEN = "hochgeladen"
    ERGEBNISSE = "ergebnisse"
    EINGEREICHT = "eingereicht"
    ZURUECKGEGEBEN = "zurueckgegeben"
    FREIGEGEBEN = "freigegeben"
    WIEDER_GEOEFFNET = "wieder_geoeffnet"

    @property
    def label(self) -> str:
        return {
            "hochgeladen": "neue Fassung hochgeladen",
            "ergebnisse": "Teilnahme und Ergebnisse geändert",
            "eingereicht": "zur Freigabe eingereicht",
            "zurueckgegeben": "zur Überarbeitung zurückgegeben",
            "freigegeben": "freigegeben",
            "wieder_geoeffnet": "Freigabe aufgehoben (Änderung nach der Freigabe)",
        }[self]


class Protokoll(TimestampMixin, db.Model):
    """One Sitzung's minutes; visible to the Gremium (or the public) once approved."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sitzung_id: Mapped[int] = mapped_column(
        ForeignKey("sitzung.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[ProtokollStatus] = mapped_column(
        str_enum(ProtokollStatus), default=ProtokollStatus.ENTWURF
    )
    teilnehmende_anzahl: Mapped[int | None]
    teilnehmende_organisationen: Mapped[str | None] = mapped_column(Text)
    ergebnisse: Mapped[str | None] = mapped_column(Text)  # Markdown, rendered sanitised
    vereinbarungen: Mapped[str | None] = mapped_column(Text)  # Markdown, rendered sanitised
    freigegeben_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    freigegeben_von_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # public only when explicitly set by the Stabsstelle, and only for an approved
    # Protokoll of a public Sitzung (see ``ist_oeffentlich``)
    oeffentlich: Mapped[bool] = mapped_column(default=False, server_default=false())

    sitzung: Mapped[Sitzung] = relationship()
    freigegeben_von: Mapped[User | None] = relationship()
    revisionen: Mapped[list[ProtokollRevision]] = relationship(
        back_populates="protokoll",
        cascade="all, delete-orphan",
        order_by="ProtokollRevision.nummer.desc()",
    )
    schritte: Mapped[list[ProtokollSchritt]] = relationship(
        back_populates="protokoll",
        cascade="all, delete-orphan",
        order_by="(ProtokollSchritt.created_at, ProtokollSchritt.id)",
    )

    @property
    def freigegeben(self) -> bool:
        return self.status == ProtokollStatus.FREIGEGEBEN

    @property
    def ist_oeffentlich(self) -> bool:
        """Shown to everybody: approved, released by the Stabsstelle, of a public meeting."""
        return self.freigegeben and self.oeffentlich and self.sitzung.oeffentlich

    @property
    def aktuelle_revision(self) -> ProtokollRevision | None:
        return self.revisionen[0] if self.revisionen else None

    @property
    def letzter_schritt(self) -> ProtokollSchritt | None:
        """The last hand-off step (submission, return, approval), for the status line."""
        relevant = (SchrittArt.EINGEREICHT, SchrittArt.ZURUECKGEGEBEN, SchrittArt.FREIGEGEBEN)
        return next((s for s in reversed(self.schritte) if s.art in relevant), None)


class ProtokollRevision(db.Model):
    """One uploaded file of the minutes; a new upload adds a revision, old ones stay."""

    __table_args__ = (UniqueConstraint("protokoll_id", "nummer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    protokoll_id: Mapped[int] = mapped_column(
        ForeignKey("protokoll.id", ondelete="CASCADE"), index=True
    )
    nummer: Mapped[int]
    datei_id: Mapped[int] = mapped_column(ForeignKey("datei.id"))
    virengeprueft: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    protokoll: Mapped[Protokoll] = relationship(back_populates="revisionen")
    datei: Mapped[Datei] = relationship()


class ProtokollErinnerung(db.Model):
    """The one reminder sent to the moderators when a Sitzung's minutes are missing."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sitzung_id: Mapped[int] = mapped_column(
        ForeignKey("sitzung.id", ondelete="CASCADE"), unique=True
    )
    gesendet_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    empfaenger_anzahl: Mapped[int] = mapped_column(default=0)


class ProtokollSchritt(db.Model):
    """History of the minutes: who uploaded, handed in, returned (with comment) or approved."""

    __audit_name__ = "Protokollschritt"

    id: Mapped[int] = mapped_column(primary_key=True)
    protokoll_id: Mapped[int] = mapped_column(
        ForeignKey("protokoll.id", ondelete="CASCADE"), index=True
    )
    art: Mapped[SchrittArt] = mapped_column(str_enum(SchrittArt))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    kommentar: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    protokoll: Mapped[Protokoll] = relationship(back_populates="schritte")
    user: Mapped[User | None] = relationship()


#: impulses taken from minutes; owned here, so the impulse register never points at minutes
protokoll_impuls = Table(
    "protokoll_impuls",
    db.metadata,
    Column("impuls_id", ForeignKey("impuls.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "protokoll_id", ForeignKey("protokoll.id", ondelete="CASCADE"), nullable=False, index=True
    ),
)


_p = Protokoll.__table__.c
suchindex("ix_protokoll_suche", _p.ergebnisse, _p.vereinbarungen, _p.teilnehmende_organisationen)
