"""Themen for the Stadtteilarbeitskreise, Maßnahmen with funding and priority, Beschlüsse."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Numeric,
    String,
    Table,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import TimestampMixin, UTCDateTime, str_enum, utcnow
from app.extensions import db
from app.planungsfelder.models import Planungsfeld
from app.suche.volltext import suchindex

if TYPE_CHECKING:
    from app.auth.models import User
    from app.datenbasis.models import Indikator
    from app.impulse.models import Impuls
    from app.sitzungen.models import Sitzung, Tagesordnungspunkt
    from app.stammdaten.models import Gremium, Sozialraum
    from app.workflows.models import Zyklus


class MassnahmeArt(enum.StrEnum):
    NEU = "neu"
    BESTEHEND = "bestehend"

    @property
    def label(self) -> str:
        return {"neu": "neues Angebot", "bestehend": "bestehendes Angebot"}[self]


class Bewertung(enum.StrEnum):
    """The assessment of an existing offer."""

    WEITERFUEHREN = "weiterfuehren"
    ANPASSEN = "anpassen"
    BEENDEN = "beenden"

    @property
    def label(self) -> str:
        return {"weiterfuehren": "weiterführen", "anpassen": "anpassen", "beenden": "beenden"}[self]


class MassnahmeStatus(enum.StrEnum):
    GEPLANT = "geplant"
    BESCHLOSSEN = "beschlossen"
    ABGELEHNT = "abgelehnt"
    UMGESETZT = "umgesetzt"

    @property
    def label(self) -> str:
        return {
            "geplant": "in Planung",
            "beschlossen": "beschlossen",
            "abgelehnt": "abgelehnt",
            "umgesetzt": "umgesetzt",
        }[self]

    @property
    def offen(self) -> bool:
        """Unfinished measures are carried into the next cycle."""
        return self in (MassnahmeStatus.GEPLANT, MassnahmeStatus.BESCHLOSSEN)


class DrittmittelStatus(enum.StrEnum):
    GESUCHT = "gesucht"
    BEANTRAGT = "beantragt"
    BEWILLIGT = "bewilligt"
    ABGELEHNT = "abgelehnt"

    @property
    def label(self) -> str:
        return {
            "gesucht": "Quelle in Prüfung",
            "beantragt": "beantragt",
            "bewilligt": "bewilligt",
            "abgelehnt": "abgelehnt",
        }[self]


class Ergebnis(enum.StrEnum):
    """The outcome of a decision on a measure."""

    ZUGESTIMMT = "zugestimmt"
    ABGELEHNT = "abgelehnt"
    GEAENDERT = "geaendert"
    VERTAGT = "vertagt"
    ZUR_KENNTNIS = "zur_kenntnis"

    @property
    def label(self) -> str:
        return {
            "zugestimmt": "zugestimmt",
            "abgelehnt": "abgelehnt",
            "geaendert": "geändert beschlossen",
            "vertagt": "vertagt",
            "zur_kenntnis": "zur Kenntnis genommen",
        }[self]


thema_gremium = Table(
    "thema_gremium",
    db.Model.metadata,
    Column("thema_id", ForeignKey("thema.id", ondelete="CASCADE"), primary_key=True),
    Column("gremium_id", ForeignKey("gremium.id"), primary_key=True),
)

massnahme_impuls = Table(
    "massnahme_impuls",
    db.Model.metadata,
    Column("massnahme_id", ForeignKey("massnahme.id", ondelete="CASCADE"), primary_key=True),
    Column("impuls_id", ForeignKey("impuls.id", ondelete="CASCADE"), primary_key=True),
)


thema_planungsfeld = Table(
    "thema_planungsfeld",
    db.Model.metadata,
    Column("thema_id", ForeignKey("thema.id", ondelete="CASCADE"), primary_key=True),
    Column("planungsfeld_id", ForeignKey("planungsfeld.id", ondelete="CASCADE"), primary_key=True),
)

massnahme_planungsfeld = Table(
    "massnahme_planungsfeld",
    db.Model.metadata,
    Column("massnahme_id", ForeignKey("massnahme.id", ondelete="CASCADE"), primary_key=True),
    Column("planungsfeld_id", ForeignKey("planungsfeld.id", ondelete="CASCADE"), primary_key=True),
)
FELD_ORDER = "(Planungsfeld.position, Planungsfeld.name)"


class Thema(TimestampMixin, db.Model):
    """A topic the Planungsrunde collects and assigns to Stadtteilarbeitskreise."""

    id: Mapped[int] = mapped_column(primary_key=True)
    zyklus_id: Mapped[int] = mapped_column(ForeignKey("zyklus.id", ondelete="CASCADE"), index=True)
    titel: Mapped[str] = mapped_column(String(200))
    beschreibung: Mapped[str | None] = mapped_column(Text)
    sozialraum_id: Mapped[int | None] = mapped_column(ForeignKey("sozialraum.id"))
    erstellt_von_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    zyklus: Mapped[Zyklus] = relationship()
    sozialraum: Mapped[Sozialraum | None] = relationship()
    gremien: Mapped[list[Gremium]] = relationship(secondary=thema_gremium, order_by="Gremium.name")
    planungsfelder: Mapped[list[Planungsfeld]] = relationship(
        secondary=thema_planungsfeld, order_by=FELD_ORDER
    )


class Massnahme(TimestampMixin, db.Model):
    """A proposed or existing offer with cost, funding, assessment, impulses and priority."""

    __audit_name__ = "Maßnahme"

    __table_args__ = (
        CheckConstraint(
            "fortschritt IS NULL OR fortschritt BETWEEN 0 AND 100", name="fortschritt_prozent"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zyklus_id: Mapped[int] = mapped_column(ForeignKey("zyklus.id", ondelete="CASCADE"), index=True)
    titel: Mapped[str] = mapped_column(String(200))
    beschreibung: Mapped[str | None] = mapped_column(Text)
    art: Mapped[MassnahmeArt] = mapped_column(str_enum(MassnahmeArt), default=MassnahmeArt.NEU)
    sozialraum_id: Mapped[int | None] = mapped_column(ForeignKey("sozialraum.id"))
    kosten: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    haushalt: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    engagement: Mapped[str | None] = mapped_column(Text)
    bewertung: Mapped[Bewertung | None] = mapped_column(str_enum(Bewertung))
    bewertung_begruendung: Mapped[str | None] = mapped_column(Text)
    prioritaet: Mapped[int | None]
    status: Mapped[MassnahmeStatus] = mapped_column(
        str_enum(MassnahmeStatus), default=MassnahmeStatus.GEPLANT
    )
    vorgaenger_id: Mapped[int | None] = mapped_column(
        ForeignKey("massnahme.id", ondelete="SET NULL"), unique=True
    )
    erstellt_von_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # public progress ("Rechenschaft"): shown in the portal only when the Stabsstelle says so
    oeffentlich: Mapped[bool] = mapped_column(default=False, server_default=false())
    fortschritt: Mapped[int | None]  # percent, maintained by the Stabsstelle

    zyklus: Mapped[Zyklus] = relationship()
    sozialraum: Mapped[Sozialraum | None] = relationship()
    vorgaenger: Mapped[Massnahme | None] = relationship(remote_side="Massnahme.id")
    impulse: Mapped[list[Impuls]] = relationship(secondary=massnahme_impuls, order_by="Impuls.id")
    planungsfelder: Mapped[list[Planungsfeld]] = relationship(
        secondary=massnahme_planungsfeld, order_by=FELD_ORDER
    )
    drittmittel: Mapped[list[Drittmittel]] = relationship(
        back_populates="massnahme", cascade="all, delete-orphan", order_by="Drittmittel.id"
    )
    beschluesse: Mapped[list[Beschluss]] = relationship(
        back_populates="massnahme",
        cascade="all, delete-orphan",
        order_by="(Beschluss.datum, Beschluss.id)",
    )
    meilensteine: Mapped[list[Meilenstein]] = relationship(
        back_populates="massnahme",
        cascade="all, delete-orphan",
        order_by="(Meilenstein.datum, Meilenstein.id)",
    )
    wirkungsziele: Mapped[list[Wirkungsziel]] = relationship(
        back_populates="massnahme", cascade="all, delete-orphan", order_by="Wirkungsziel.id"
    )

    def __str__(self) -> str:
        return self.titel

    @property
    def drittmittel_summe(self) -> Decimal:
        return sum((d.betrag or Decimal(0) for d in self.drittmittel), Decimal(0))


class Drittmittel(db.Model):
    """A third-party funding source of a measure with amount and status."""

    id: Mapped[int] = mapped_column(primary_key=True)
    massnahme_id: Mapped[int] = mapped_column(
        ForeignKey("massnahme.id", ondelete="CASCADE"), index=True
    )
    quelle: Mapped[str] = mapped_column(String(200))
    betrag: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    status: Mapped[DrittmittelStatus] = mapped_column(
        str_enum(DrittmittelStatus), default=DrittmittelStatus.GESUCHT
    )

    massnahme: Mapped[Massnahme] = relationship(back_populates="drittmittel")


class Beschluss(db.Model):
    """A decision of the Verwaltungsvorstand or a Fachausschuss on one measure.

    Decisions taken on a Vorlage (``app.vorlagen``) carry their ``beratung_id``, meeting and
    TOP; the one on the Vorlage as a whole has no measure.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    massnahme_id: Mapped[int | None] = mapped_column(
        ForeignKey("massnahme.id", ondelete="CASCADE"), index=True
    )
    beratung_id: Mapped[int | None] = mapped_column(
        ForeignKey("beratung.id", ondelete="CASCADE"), index=True
    )
    sitzung_id: Mapped[int | None] = mapped_column(ForeignKey("sitzung.id", ondelete="SET NULL"))
    tagesordnungspunkt_id: Mapped[int | None] = mapped_column(
        ForeignKey("tagesordnungspunkt.id", ondelete="SET NULL")
    )
    fassung: Mapped[int | None]  # number of the Vorlage's version decided on
    ris_url: Mapped[str | None] = mapped_column(String(500))
    im_auftrag: Mapped[bool] = mapped_column(default=False, server_default=false())
    gremium_id: Mapped[int] = mapped_column(ForeignKey("gremium.id"), index=True)
    ergebnis: Mapped[Ergebnis] = mapped_column(str_enum(Ergebnis))
    datum: Mapped[date]
    drucksache: Mapped[str | None] = mapped_column(String(60))
    bemerkung: Mapped[str | None] = mapped_column(Text)
    erfasst_von_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    massnahme: Mapped[Massnahme | None] = relationship(back_populates="beschluesse")
    gremium: Mapped[Gremium] = relationship()
    sitzung: Mapped[Sitzung | None] = relationship()
    tagesordnungspunkt: Mapped[Tagesordnungspunkt | None] = relationship()
    erfasst_von: Mapped[User | None] = relationship()


class Meilenstein(db.Model):
    """A step of a measure with its target date; reached when ``erreicht_am`` is set."""

    __audit_name__ = "Meilenstein"

    id: Mapped[int] = mapped_column(primary_key=True)
    massnahme_id: Mapped[int] = mapped_column(
        ForeignKey("massnahme.id", ondelete="CASCADE"), index=True
    )
    titel: Mapped[str] = mapped_column(String(200))
    datum: Mapped[date]  # planned
    erreicht_am: Mapped[date | None]

    massnahme: Mapped[Massnahme] = relationship(back_populates="meilensteine")

    @property
    def erreicht(self) -> bool:
        return self.erreicht_am is not None


class Wirkungsziel(db.Model):
    """A measurable target of a measure: an indicator of the Datenbasis moving from a baseline."""

    __audit_name__ = "Wirkungsziel"
    __table_args__ = (CheckConstraint("ziel_jahr > basis_jahr", name="ziel_nach_basis"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    massnahme_id: Mapped[int] = mapped_column(
        ForeignKey("massnahme.id", ondelete="CASCADE"), index=True
    )
    indikator_id: Mapped[int] = mapped_column(ForeignKey("indikator.id"), index=True)
    sozialraum_id: Mapped[int | None] = mapped_column(ForeignKey("sozialraum.id"))  # None: city
    basis_jahr: Mapped[int] = mapped_column(info={"label": "Basisjahr"})
    basis_wert: Mapped[float] = mapped_column(Float, info={"label": "Basiswert"})
    ziel_jahr: Mapped[int] = mapped_column(info={"label": "Zieljahr"})
    ziel_wert: Mapped[float] = mapped_column(Float, info={"label": "Zielwert"})
    pruefen_am: Mapped[date] = mapped_column(info={"label": "Überprüfung am"})

    massnahme: Mapped[Massnahme] = relationship(back_populates="wirkungsziele")
    indikator: Mapped[Indikator] = relationship()
    sozialraum: Mapped[Sozialraum | None] = relationship()

    @property
    def gebiet(self) -> str:
        return self.sozialraum.name if self.sozialraum else "Gesamtstadt"


_m = Massnahme.__table__.c
suchindex("ix_massnahme_suche", _m.titel, _m.beschreibung)
