"""The planning cycle: Zyklus, its parallel Stränge, deadlines and history.

The phases and the allowed moves between them are declared in ``machine.py``; these tables
only store where a cycle stands and how it got there.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Column, Enum, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import TimestampMixin, UTCDateTime, str_enum, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User
    from app.stammdaten.models import Gremium


class Phase(enum.StrEnum):
    """The stages of one turn of the cycle, in their order."""

    DATENBASIS = "datenbasis"
    PLANUNGSRUNDE = "planungsrunde"
    BETEILIGUNG = "beteiligung"
    VERWALTUNGSVORSTAND = "verwaltungsvorstand"
    POLITIK = "politik"
    ABGESCHLOSSEN = "abgeschlossen"

    @property
    def label(self) -> str:
        return {
            "datenbasis": "Datenbasis",
            "planungsrunde": "Planungsrunde",
            "beteiligung": "Beteiligung (Trägerrunde und Stadtteilarbeitskreise)",
            "verwaltungsvorstand": "Verwaltungsvorstand",
            "politik": "Politik (Fachausschüsse)",
            "abgeschlossen": "abgeschlossen",
        }[self]

    @property
    def kurz(self) -> str:
        """Short label for the diagram and messages."""
        return {
            "beteiligung": "Beteiligung",
            "politik": "Politik",
            "abgeschlossen": "Abgeschlossen",
        }.get(self.value, self.label)

    @property
    def index(self) -> int:
        return list(Phase).index(self)


class StrangStatus(enum.StrEnum):
    OFFEN = "offen"
    ABGESCHLOSSEN = "abgeschlossen"

    @property
    def label(self) -> str:
        return {"offen": "offen", "abgeschlossen": "abgeschlossen"}[self]


class VerlaufArt(enum.StrEnum):
    ANGELEGT = "angelegt"
    VORWAERTS = "vorwaerts"
    RUECKVERWEISUNG = "rueckverweisung"
    STRANG_ABGESCHLOSSEN = "strang_abgeschlossen"
    STRANG_GESCHLOSSEN = "strang_geschlossen"
    FRISTEN = "fristen"

    @property
    def label(self) -> str:
        return {
            "angelegt": "Zyklus angelegt",
            "vorwaerts": "Phasenwechsel",
            "rueckverweisung": "Rückverweisung",
            "strang_abgeschlossen": "Strang abgeschlossen",
            "strang_geschlossen": "Strang durch die Stabsstelle geschlossen",
            "fristen": "Fristen geändert",
        }[self]


def _phase_type(name: str) -> Enum:
    """``str_enum(Phase)`` under its own constraint name, for tables with two phase columns."""
    column_type = str_enum(Phase)
    column_type.name = name
    return column_type


zyklus_gremium = Table(
    "zyklus_gremium",
    db.Model.metadata,
    Column("zyklus_id", ForeignKey("zyklus.id", ondelete="CASCADE"), primary_key=True),
    Column("gremium_id", ForeignKey("gremium.id"), primary_key=True),
)


class Zyklus(TimestampMixin, db.Model):
    """One turn of the planning cycle, always in exactly one phase."""

    id: Mapped[int] = mapped_column(primary_key=True)
    titel: Mapped[str] = mapped_column(String(200), unique=True)
    beginn: Mapped[date]
    ende: Mapped[date]
    phase: Mapped[Phase] = mapped_column(str_enum(Phase), default=Phase.DATENBASIS)
    version: Mapped[int] = mapped_column(default=1)
    erinnerung_tage: Mapped[int] = mapped_column(default=7)
    vorgaenger_id: Mapped[int | None] = mapped_column(ForeignKey("zyklus.id"), unique=True)
    angelegt_von_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    abgeschlossen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    gremien: Mapped[list[Gremium]] = relationship(
        secondary=zyklus_gremium, order_by="(Gremium.typ, Gremium.name)"
    )
    straenge: Mapped[list[Strang]] = relationship(
        back_populates="zyklus", order_by="Strang.id", cascade="all, delete-orphan"
    )
    fristen: Mapped[list[Phasenfrist]] = relationship(
        back_populates="zyklus", order_by="Phasenfrist.id", cascade="all, delete-orphan"
    )
    vorgaenger: Mapped[Zyklus | None] = relationship(remote_side="Zyklus.id")

    def __str__(self) -> str:
        return self.titel

    def frist(self, phase: Phase) -> Phasenfrist | None:
        """The deadline row of ``phase``, if one is set."""
        return next((f for f in self.fristen if f.phase == phase), None)


class Strang(db.Model):
    """One participating Gremium's track in the Beteiligung phase (offen → abgeschlossen)."""

    __table_args__ = (UniqueConstraint("zyklus_id", "gremium_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zyklus_id: Mapped[int] = mapped_column(ForeignKey("zyklus.id", ondelete="CASCADE"), index=True)
    gremium_id: Mapped[int] = mapped_column(ForeignKey("gremium.id"), index=True)
    status: Mapped[StrangStatus] = mapped_column(str_enum(StrangStatus), default=StrangStatus.OFFEN)
    frist: Mapped[date | None]
    abgeschlossen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    abgeschlossen_von_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    erzwungen: Mapped[bool] = mapped_column(default=False)
    notiz: Mapped[str | None] = mapped_column(Text)
    erinnerung_gesendet_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ueberfaellig_gemeldet_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    zyklus: Mapped[Zyklus] = relationship(back_populates="straenge")
    gremium: Mapped[Gremium] = relationship()
    abgeschlossen_von: Mapped[User | None] = relationship()

    @property
    def offen(self) -> bool:
        return self.status == StrangStatus.OFFEN

    def __str__(self) -> str:
        return self.gremium.name


class Phasenfrist(db.Model):
    """The target date of one phase of a cycle, with its reminder bookkeeping."""

    __table_args__ = (UniqueConstraint("zyklus_id", "phase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zyklus_id: Mapped[int] = mapped_column(ForeignKey("zyklus.id", ondelete="CASCADE"), index=True)
    phase: Mapped[Phase] = mapped_column(str_enum(Phase))
    faellig_am: Mapped[date]
    erinnerung_gesendet_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ueberfaellig_gemeldet_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    zyklus: Mapped[Zyklus] = relationship(back_populates="fristen")


class Verlaufseintrag(db.Model):
    """One step in a cycle's history: who did what, when, from where to where, and why."""

    id: Mapped[int] = mapped_column(primary_key=True)
    zyklus_id: Mapped[int] = mapped_column(ForeignKey("zyklus.id", ondelete="CASCADE"), index=True)
    art: Mapped[VerlaufArt] = mapped_column(str_enum(VerlaufArt))
    von_phase: Mapped[Phase | None] = mapped_column(_phase_type("von_phase"))
    nach_phase: Mapped[Phase | None] = mapped_column(_phase_type("nach_phase"))
    strang_id: Mapped[int | None] = mapped_column(ForeignKey("strang.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    zeitpunkt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    begruendung: Mapped[str | None] = mapped_column(Text)
    uebersteuert: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    uebersteuerung_begruendung: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User | None] = relationship()
    strang: Mapped[Strang | None] = relationship()
