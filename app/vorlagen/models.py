"""A cycle's Vorlage, its versions (Fassungen), its Beratungsfolge and granted decision rights.

The decisions themselves are ``app.massnahmen.models.Beschluss`` rows: one without a measure
for the Vorlage as a whole, one per Maßnahme, each tied to its ``Beratung``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import TimestampMixin, UTCDateTime, utcnow
from app.extensions import db
from app.massnahmen.models import Beschluss, Ergebnis
from app.suche.volltext import suchindex

if TYPE_CHECKING:
    from app.auth.models import User
    from app.sitzungen.models import Sitzung, Tagesordnungspunkt
    from app.stammdaten.models import Gremium
    from app.workflows.models import Zyklus


class Vorlage(TimestampMixin, db.Model):
    """The paper that carries a cycle's priorities through the Beratungsfolge."""

    __audit_name__ = "Vorlage"

    id: Mapped[int] = mapped_column(primary_key=True)
    zyklus_id: Mapped[int] = mapped_column(ForeignKey("zyklus.id", ondelete="CASCADE"), unique=True)
    titel: Mapped[str] = mapped_column(String(300))
    drucksache: Mapped[str | None] = mapped_column(String(60), info={"label": "Drucksache"})
    ris_url: Mapped[str | None] = mapped_column(String(500))
    erstellt_von_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    zyklus: Mapped[Zyklus] = relationship()
    fassungen: Mapped[list[VorlageFassung]] = relationship(
        back_populates="vorlage", cascade="all, delete-orphan", order_by="VorlageFassung.nummer"
    )
    beratungen: Mapped[list[Beratung]] = relationship(
        back_populates="vorlage",
        cascade="all, delete-orphan",
        order_by="(Beratung.position, Beratung.id)",
    )

    def __str__(self) -> str:
        return self.titel

    @property
    def aktuelle_fassung(self) -> VorlageFassung | None:
        return self.fassungen[-1] if self.fassungen else None


class VorlageFassung(db.Model):
    """One version of the Vorlage: the measures in priority order as they were then."""

    __audit_name__ = "Fassung der Vorlage"
    __table_args__ = (UniqueConstraint("vorlage_id", "nummer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vorlage_id: Mapped[int] = mapped_column(
        ForeignKey("vorlage.id", ondelete="CASCADE"), index=True
    )
    nummer: Mapped[int]
    inhalt: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    summen: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    anlass: Mapped[str | None] = mapped_column(Text)
    erstellt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    erstellt_von_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    vorlage: Mapped[Vorlage] = relationship(back_populates="fassungen")
    erstellt_von: Mapped[User | None] = relationship()


class Beratung(db.Model):
    """One step of the Beratungsfolge: a body, and the meeting and TOP where it decides."""

    __audit_name__ = "Beratung"
    __table_args__ = (UniqueConstraint("vorlage_id", "gremium_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vorlage_id: Mapped[int] = mapped_column(
        ForeignKey("vorlage.id", ondelete="CASCADE"), index=True
    )
    gremium_id: Mapped[int] = mapped_column(ForeignKey("gremium.id"), index=True)
    position: Mapped[int] = mapped_column(default=1)
    sitzung_id: Mapped[int | None] = mapped_column(
        ForeignKey("sitzung.id", ondelete="SET NULL"), index=True
    )
    tagesordnungspunkt_id: Mapped[int | None] = mapped_column(
        ForeignKey("tagesordnungspunkt.id", ondelete="SET NULL"), index=True
    )

    vorlage: Mapped[Vorlage] = relationship(back_populates="beratungen")
    gremium: Mapped[Gremium] = relationship()
    sitzung: Mapped[Sitzung | None] = relationship()
    tagesordnungspunkt: Mapped[Tagesordnungspunkt | None] = relationship()
    beschluesse: Mapped[list[Beschluss]] = relationship(
        primaryjoin="Beschluss.beratung_id == Beratung.id",
        foreign_keys="Beschluss.beratung_id",
        order_by="(Beschluss.created_at, Beschluss.id)",
        viewonly=True,
    )

    def __str__(self) -> str:
        return self.gremium.name

    @property
    def gesamtbeschluss(self) -> Beschluss | None:
        """The body's latest decision on the Vorlage as a whole."""
        gesamt = [b for b in self.beschluesse if b.massnahme_id is None]
        return gesamt[-1] if gesamt else None

    @property
    def erledigt(self) -> bool:
        """The body has decided (a postponement does not count)."""
        b = self.gesamtbeschluss
        return b is not None and b.ergebnis != Ergebnis.VERTAGT

    def beschluss_zu(self, massnahme_id: int) -> Beschluss | None:
        """The body's latest decision on one measure."""
        rows = [b for b in self.beschluesse if b.massnahme_id == massnahme_id]
        return rows[-1] if rows else None


class Beschlussrecht(db.Model):
    """The Stabsstelle lets a member (besides the Vorsitz) record the body's decisions."""

    __audit_name__ = "Beschlussrecht"
    __audit_berechtigung__ = True
    __table_args__ = (UniqueConstraint("gremium_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gremium_id: Mapped[int] = mapped_column(ForeignKey("gremium.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    erteilt_von_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    gremium: Mapped[Gremium] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


_v = Vorlage.__table__.c
suchindex("ix_vorlage_suche", _v.titel, _v.drucksache)
