"""Sitzungen of a Gremium: agenda, invitations with replies and their history, calendar feeds."""

from __future__ import annotations

import enum
import secrets
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import TimestampMixin, UTCDateTime, str_enum, utcnow
from app.dateien.models import Datei
from app.extensions import db
from app.suche.volltext import suchindex
from app.workflows.models import Phase

if TYPE_CHECKING:
    from app.auth.models import User
    from app.stammdaten.models import Gremium
    from app.workflows.models import Strang, Zyklus


class SitzungStatus(enum.StrEnum):
    GEPLANT = "geplant"
    EINGELADEN = "eingeladen"
    DURCHGEFUEHRT = "durchgefuehrt"
    ABGESAGT = "abgesagt"

    @property
    def label(self) -> str:
        return {
            "geplant": "geplant",
            "eingeladen": "eingeladen",
            "durchgefuehrt": "durchgeführt",
            "abgesagt": "abgesagt",
        }[self]


class Antwort(enum.StrEnum):
    OFFEN = "offen"
    ZUSAGE = "zusage"
    ABSAGE = "absage"
    VERTRETUNG = "vertretung"

    @property
    def label(self) -> str:
        return {
            "offen": "keine Rückmeldung",
            "zusage": "Zusage",
            "absage": "Absage",
            "vertretung": "Absage mit Vertretung",
        }[self]


class ErinnerungAn(enum.StrEnum):
    ALLE = "alle"
    OFFENE = "offene"

    @property
    def label(self) -> str:
        return {
            "alle": "an alle Eingeladenen",
            "offene": "nur an Eingeladene ohne Rückmeldung",
        }[self]


def new_uid() -> str:
    """A calendar UID that stays the same through every update of the Sitzung."""
    return f"sitzung-{uuid.uuid4().hex}@planungskreislauf"


def new_feed_token() -> str:
    """An unguessable token for a personal calendar feed URL."""
    return secrets.token_urlsafe(32)


tagesordnungspunkt_datei = Table(
    "tagesordnungspunkt_datei",
    db.metadata,
    Column(
        "tagesordnungspunkt_id",
        ForeignKey("tagesordnungspunkt.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("datei_id", ForeignKey("datei.id", ondelete="CASCADE"), primary_key=True),
)


class Sitzung(TimestampMixin, db.Model):
    """A meeting of a Gremium, with the calendar identity (UID, SEQUENCE) of its invitations."""

    __table_args__ = (
        CheckConstraint("ende > beginn", name="ende_nach_beginn"),
        CheckConstraint("ort_name IS NOT NULL OR online_link IS NOT NULL", name="ort_oder_online"),
        CheckConstraint(
            "erinnerung_tage IS NULL OR erinnerung_tage BETWEEN 1 AND 60",
            name="erinnerung_tage_bereich",
        ),
        Index("ix_sitzung_beginn", "beginn"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gremium_id: Mapped[int] = mapped_column(ForeignKey("gremium.id"), index=True)
    titel: Mapped[str] = mapped_column(String(200))
    beginn: Mapped[datetime] = mapped_column(UTCDateTime)
    ende: Mapped[datetime] = mapped_column(UTCDateTime)
    ort_name: Mapped[str | None] = mapped_column(String(200))
    ort_adresse: Mapped[str | None] = mapped_column(String(300))
    ort_raum: Mapped[str | None] = mapped_column(String(120))
    online_link: Mapped[str | None] = mapped_column(String(500))
    oeffentlich: Mapped[bool] = mapped_column(default=False)
    # the invitation mail and its updates carry the meeting pack as a PDF (app/sitzungen/mappe)
    mappe_beifuegen: Mapped[bool] = mapped_column(
        default=False, server_default=false(), info={"label": "Sitzungsmappe beifügen"}
    )
    status: Mapped[SitzungStatus] = mapped_column(
        str_enum(SitzungStatus), default=SitzungStatus.GEPLANT
    )
    absage_grund: Mapped[str | None] = mapped_column(Text)
    uid: Mapped[str] = mapped_column(String(255), unique=True, default=new_uid)
    sequence: Mapped[int] = mapped_column(default=0)
    erinnerung_tage: Mapped[int | None]  # None: no reminder (explicit None must stay None)
    erinnerung_an: Mapped[ErinnerungAn] = mapped_column(
        str_enum(ErinnerungAn), default=ErinnerungAn.OFFENE
    )
    versand_ausstehend: Mapped[bool] = mapped_column(default=False)
    versand_angefordert_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erstellt_von_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # optional place in the planning cycle: a phase of a Zyklus, or a Gremium's Strang in it
    zyklus_id: Mapped[int | None] = mapped_column(
        ForeignKey("zyklus.id", ondelete="SET NULL"), index=True
    )
    phase: Mapped[Phase | None] = mapped_column(str_enum(Phase))
    strang_id: Mapped[int | None] = mapped_column(
        ForeignKey("strang.id", ondelete="SET NULL"), index=True
    )

    gremium: Mapped[Gremium] = relationship()
    zyklus: Mapped[Zyklus | None] = relationship()
    strang: Mapped[Strang | None] = relationship()
    tagesordnungspunkte: Mapped[list[Tagesordnungspunkt]] = relationship(
        back_populates="sitzung",
        cascade="all, delete-orphan",
        order_by="(Tagesordnungspunkt.position, Tagesordnungspunkt.id)",
    )
    gaeste: Mapped[list[SitzungGast]] = relationship(
        back_populates="sitzung", cascade="all, delete-orphan", order_by="SitzungGast.id"
    )
    einladungen: Mapped[list[Einladung]] = relationship(
        back_populates="sitzung", cascade="all, delete-orphan", order_by="Einladung.name"
    )

    def __str__(self) -> str:
        return self.titel

    @property
    def ort_text(self) -> str:
        """Place in one line: name, room, address; or the note that it is online."""
        parts = [p for p in (self.ort_name, self.ort_raum, self.ort_adresse) if p]
        return ", ".join(parts) if parts else "online"

    @property
    def offen_fuer_aenderungen(self) -> bool:
        """Planned and invited meetings can still change; held or cancelled ones cannot."""
        return self.status in (SitzungStatus.GEPLANT, SitzungStatus.EINGELADEN)


class Tagesordnungspunkt(db.Model):
    """One agenda item (TOP) with its documents."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sitzung_id: Mapped[int] = mapped_column(
        ForeignKey("sitzung.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=1)
    titel: Mapped[str] = mapped_column(String(300))
    beschreibung: Mapped[str | None] = mapped_column(Text)

    sitzung: Mapped[Sitzung] = relationship(back_populates="tagesordnungspunkte")
    dateien: Mapped[list[Datei]] = relationship(
        secondary=tagesordnungspunkt_datei, order_by="Datei.id"
    )


class SitzungGast(db.Model):
    """A guest invited by address in addition to the Gremium's members."""

    __audit_name__ = "Gast (Sitzung)"

    __table_args__ = (UniqueConstraint("sitzung_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sitzung_id: Mapped[int] = mapped_column(
        ForeignKey("sitzung.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str | None] = mapped_column(String(200))

    sitzung: Mapped[Sitzung] = relationship(back_populates="gaeste")


class Einladung(db.Model):
    """The invitation of one person (member or guest) to one Sitzung, with the current reply."""

    __table_args__ = (
        UniqueConstraint("sitzung_id", "email"),
        CheckConstraint(
            "antwort <> 'vertretung' OR vertretung_name IS NOT NULL", name="vertretung_mit_name"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sitzung_id: Mapped[int] = mapped_column(
        ForeignKey("sitzung.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200))
    gast: Mapped[bool] = mapped_column(default=False)
    antwort: Mapped[Antwort] = mapped_column(str_enum(Antwort), default=Antwort.OFFEN)
    vertretung_name: Mapped[str | None] = mapped_column(String(200))
    kommentar: Mapped[str | None] = mapped_column(Text)
    beantwortet_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sequence_gesendet: Mapped[int] = mapped_column(default=0)
    erinnert_fuer: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # a Stellvertretung's invitation: the declined invitation of the member it stands in for
    vertritt_einladung_id: Mapped[int | None] = mapped_column(
        ForeignKey("einladung.id", ondelete="SET NULL"), index=True
    )

    sitzung: Mapped[Sitzung] = relationship(back_populates="einladungen")
    user: Mapped[User | None] = relationship()
    vertritt_einladung: Mapped[Einladung | None] = relationship(remote_side=[id])
    verlauf: Mapped[list[EinladungVerlauf]] = relationship(
        back_populates="einladung", cascade="all, delete-orphan", order_by="EinladungVerlauf.id"
    )


class EinladungVerlauf(db.Model):
    """One reply or change of reply, kept so the Stabsstelle can trace who answered what when."""

    __audit_name__ = "Einladungsverlauf"

    id: Mapped[int] = mapped_column(primary_key=True)
    einladung_id: Mapped[int] = mapped_column(
        ForeignKey("einladung.id", ondelete="CASCADE"), index=True
    )
    antwort: Mapped[Antwort] = mapped_column(str_enum(Antwort))
    vertretung_name: Mapped[str | None] = mapped_column(String(200))
    kommentar: Mapped[str | None] = mapped_column(Text)
    geaendert_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    geaendert_von_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    einladung: Mapped[Einladung] = relationship(back_populates="verlauf")


class KalenderAbo(db.Model):
    """A person's subscribable calendar feed; revoking it makes the old URL useless."""

    __audit_name__ = "Kalender-Abo"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_feed_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


_t, _top = Sitzung.__table__.c, Tagesordnungspunkt.__table__.c
suchindex("ix_sitzung_suche", _t.titel, _t.ort_name)
suchindex("ix_tagesordnungspunkt_suche", _top.titel, _top.beschreibung)
