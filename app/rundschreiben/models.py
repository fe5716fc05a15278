"""A Rundschreiben, its recipients (who may read it on the platform) and its attachments."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UTCDateTime, str_enum, utcnow
from app.dateien.models import Datei
from app.extensions import db
from app.suche.volltext import suchindex

if TYPE_CHECKING:
    from app.auth.models import User
    from app.stammdaten.models import Gremium


class EmpfaengerArt(enum.StrEnum):
    GREMIUM = "gremium"
    TRAEGER = "traeger"
    AUSWAHL = "auswahl"

    @property
    def label(self) -> str:
        return {
            "gremium": "an ein Gremium",
            "traeger": "an alle Träger",
            "auswahl": "an ausgewählte Personen",
        }[self]


rundschreiben_datei = Table(
    "rundschreiben_datei",
    db.metadata,
    Column(
        "rundschreiben_id", ForeignKey("rundschreiben.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("datei_id", ForeignKey("datei.id", ondelete="CASCADE"), primary_key=True),
)


class Rundschreiben(db.Model):
    """One circular: subject, Markdown text, to whom; ``versand_ausstehend`` until all mails exist."""

    id: Mapped[int] = mapped_column(primary_key=True)
    betreff: Mapped[str] = mapped_column(String(200), info={"label": "Betreff"})
    text: Mapped[str] = mapped_column(Text, info={"label": "Text"})
    empfaenger_art: Mapped[EmpfaengerArt] = mapped_column(str_enum(EmpfaengerArt))
    gremium_id: Mapped[int | None] = mapped_column(ForeignKey("gremium.id"), index=True)
    erstellt_von_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    versand_ausstehend: Mapped[bool] = mapped_column(default=True)
    versand_angefordert_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    gremium: Mapped[Gremium | None] = relationship()
    erstellt_von: Mapped[User | None] = relationship()
    dateien: Mapped[list[Datei]] = relationship(secondary=rundschreiben_datei, order_by="Datei.id")
    empfaenger: Mapped[list[RundschreibenEmpfaenger]] = relationship(
        back_populates="rundschreiben",
        cascade="all, delete-orphan",
        order_by="RundschreibenEmpfaenger.name",
    )

    def __str__(self) -> str:
        return self.betreff


class RundschreibenEmpfaenger(db.Model):
    """One recipient: may read the circular on the platform; its mail is written once."""

    __audit_name__ = "Empfänger (Rundschreiben)"
    __table_args__ = (UniqueConstraint("rundschreiben_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rundschreiben_id: Mapped[int] = mapped_column(
        ForeignKey("rundschreiben.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    mail_geschrieben_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    rundschreiben: Mapped[Rundschreiben] = relationship(back_populates="empfaenger")


_r = Rundschreiben.__table__.c
suchindex("ix_rundschreiben_suche", _r.betreff, _r.text)
