"""Datenbasis: indicator catalogue and values, Einrichtungen, interview summaries, Sozialreport."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Column,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import TimestampMixin, UTCDateTime, str_enum, utcnow
from app.extensions import db
from app.planungsfelder.models import Planungsfeld
from app.suche.volltext import suchindex
from app.workflows.models import Zyklus

if TYPE_CHECKING:
    from app.auth.models import User
    from app.stammdaten.models import Organisation, Sozialraum


class Richtung(enum.StrEnum):
    """Whether a higher value of an indicator is good news or bad news."""

    HOEHER_BESSER = "hoeher_besser"
    HOEHER_SCHLECHTER = "hoeher_schlechter"
    NEUTRAL = "neutral"

    @property
    def label(self) -> str:
        return {
            "hoeher_besser": "höher ist besser",
            "hoeher_schlechter": "höher ist schlechter",
            "neutral": "keine Wertung",
        }[self]


indikator_planungsfeld = Table(
    "indikator_planungsfeld",
    db.metadata,
    Column("indikator_id", ForeignKey("indikator.id", ondelete="CASCADE"), primary_key=True),
    Column("planungsfeld_id", ForeignKey("planungsfeld.id", ondelete="CASCADE"), primary_key=True),
)


class Indikator(TimestampMixin, db.Model):
    """One statistic in the catalogue, with its meaning and source."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    einheit: Mapped[str] = mapped_column(String(40))
    definition: Mapped[str] = mapped_column(Text, default="")
    quelle: Mapped[str] = mapped_column(String(300), default="")
    richtung: Mapped[Richtung] = mapped_column(str_enum(Richtung), default=Richtung.NEUTRAL)
    demo: Mapped[bool] = mapped_column(default=False)

    planungsfelder: Mapped[list[Planungsfeld]] = relationship(
        secondary=indikator_planungsfeld, order_by="(Planungsfeld.position, Planungsfeld.name)"
    )

    def __str__(self) -> str:
        return self.name


class Indikatorwert(db.Model):
    """The value of an indicator in one year for one Sozialraum, or for the city (no Sozialraum)."""

    __table_args__ = (
        Index(
            "uq_indikatorwert_raum",
            "indikator_id",
            "sozialraum_id",
            "jahr",
            unique=True,
            postgresql_where=text("sozialraum_id IS NOT NULL"),
            sqlite_where=text("sozialraum_id IS NOT NULL"),
        ),
        Index(
            "uq_indikatorwert_stadt",
            "indikator_id",
            "jahr",
            unique=True,
            postgresql_where=text("sozialraum_id IS NULL"),
            sqlite_where=text("sozialraum_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indikator_id: Mapped[int] = mapped_column(ForeignKey("indikator.id", ondelete="CASCADE"))
    sozialraum_id: Mapped[int | None] = mapped_column(ForeignKey("sozialraum.id"), index=True)
    jahr: Mapped[int]
    wert: Mapped[float | None] = mapped_column(Float)  # None: "keine Angabe" (-, ., x, …)
    importdatei_id: Mapped[int | None] = mapped_column(
        ForeignKey("importdatei.id", ondelete="SET NULL"), index=True
    )

    indikator: Mapped[Indikator] = relationship()
    sozialraum: Mapped[Sozialraum | None] = relationship()


class ImportArt(enum.StrEnum):
    INDIKATORWERTE = "indikatorwerte"
    EINRICHTUNGEN = "einrichtungen"

    @property
    def label(self) -> str:
        return {"indikatorwerte": "Indikatorwerte", "einrichtungen": "Einrichtungen"}[self]


class ImportStatus(enum.StrEnum):
    """Where an import job stands: checked in the worker, confirmed, imported in the worker."""

    PRUEFUNG = "pruefung"
    BEREIT = "bereit"
    FEHLERHAFT = "fehlerhaft"
    IMPORT = "import"
    IMPORTIERT = "importiert"

    @property
    def label(self) -> str:
        return {
            "pruefung": "wird geprüft",
            "bereit": "geprüft, wartet auf Bestätigung",
            "fehlerhaft": "fehlerhaft – nichts importiert",
            "import": "wird importiert",
            "importiert": "importiert",
        }[self]

    @property
    def laeuft(self) -> bool:
        """The worker is (or will be) busy with it: the page shows progress."""
        return self in (ImportStatus.PRUEFUNG, ImportStatus.IMPORT)


class Importdatei(db.Model):
    """An uploaded file and its import job: progress, report, preview and log."""

    # the job's progress changes every half second; its status and outcome are what matters
    __audit_ignore__ = frozenset(
        {"zeilen_gelesen", "fehler_bisher", "zeilen_geschaetzt", "stand_at", "bericht"}
    )
    __table_args__ = (Index("ix_importdatei_status_stand", "status", "stand_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    art: Mapped[ImportArt] = mapped_column(str_enum(ImportArt))
    dateiname: Mapped[str] = mapped_column(String(255))
    inhalt: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # up to 25 MiB
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    importiert_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    anzahl: Mapped[int] = mapped_column(default=0)
    status: Mapped[ImportStatus] = mapped_column(
        str_enum(ImportStatus), default=ImportStatus.PRUEFUNG
    )
    kodierung: Mapped[str] = mapped_column(String(80), default="")
    zeilen_geschaetzt: Mapped[int | None]  # data rows expected, for the progress bar
    zeilen_gelesen: Mapped[int] = mapped_column(default=0)
    fehler_bisher: Mapped[int] = mapped_column(default=0)
    stand_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # last progress
    bericht: Mapped[dict | None] = mapped_column(JSON)  # ImportReport.as_json()

    user: Mapped[User] = relationship()


class EinrichtungTyp(enum.StrEnum):
    KITA = "kita"
    SCHULE = "schule"
    BERATUNGSSTELLE = "beratungsstelle"
    ARZTPRAXIS = "arztpraxis"
    NAHVERSORGUNG = "nahversorgung"
    HALTESTELLE = "haltestelle"
    BEGEGNUNGSRAUM = "begegnungsraum"
    JUGENDEINRICHTUNG = "jugendeinrichtung"
    SENIORENEINRICHTUNG = "senioreneinrichtung"
    SPIELPLATZ = "spielplatz"
    SONSTIGE = "sonstige"

    @property
    def label(self) -> str:
        return {
            "kita": "Kita",
            "schule": "Schule",
            "beratungsstelle": "Beratungsstelle",
            "arztpraxis": "Arztpraxis",
            "nahversorgung": "Nahversorgung",
            "haltestelle": "Haltestelle",
            "begegnungsraum": "Begegnungsraum",
            "jugendeinrichtung": "Jugendeinrichtung",
            "senioreneinrichtung": "Senioreneinrichtung",
            "spielplatz": "Spiel- und Bewegungsfläche",
            "sonstige": "Sonstige",
        }[self]


class Einrichtung(TimestampMixin, db.Model):
    """A piece of infrastructure in a Sozialraum, run by a Träger or another operator."""

    __table_args__ = (UniqueConstraint("name", "strasse", name="name_strasse"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    typ: Mapped[EinrichtungTyp] = mapped_column(str_enum(EinrichtungTyp), index=True)
    strasse: Mapped[str] = mapped_column(String(200), default="")
    plz: Mapped[str] = mapped_column(String(10), default="")
    ort: Mapped[str] = mapped_column(String(100), default="Hilden")
    sozialraum_id: Mapped[int] = mapped_column(ForeignKey("sozialraum.id"), index=True)
    traeger_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    betreiber: Mapped[str] = mapped_column(String(200), default="")
    demo: Mapped[bool] = mapped_column(default=False)
    # position in WGS 84 (entered or imported; never geocoded online), for the Sozialraum map
    breite: Mapped[float | None] = mapped_column(Float, info={"label": "Breitengrad"})
    laenge: Mapped[float | None] = mapped_column(Float, info={"label": "Längengrad"})

    sozialraum: Mapped[Sozialraum] = relationship()
    traeger: Mapped[Organisation | None] = relationship()

    @property
    def hat_koordinaten(self) -> bool:
        return self.breite is not None and self.laenge is not None

    @property
    def betreiber_name(self) -> str:
        """The operator as shown: the Träger's name, else the free text."""
        return self.traeger.name if self.traeger else self.betreiber

    @property
    def adresse(self) -> str:
        return ", ".join(p for p in (self.strasse, f"{self.plz} {self.ort}".strip()) if p)


interview_schlagwort = Table(
    "interview_schlagwort",
    db.metadata,
    Column("interview_id", ForeignKey("interview.id", ondelete="CASCADE"), primary_key=True),
    Column("schlagwort_id", ForeignKey("schlagwort.id", ondelete="CASCADE"), primary_key=True),
)


class Schlagwort(db.Model):
    """A tag for interview summaries."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)


class Interview(TimestampMixin, db.Model):
    """The summary of an interview (no personal data), for one Sozialraum or the whole city."""

    id: Mapped[int] = mapped_column(primary_key=True)
    titel: Mapped[str] = mapped_column(String(200))
    datum: Mapped[date | None]
    sozialraum_id: Mapped[int | None] = mapped_column(ForeignKey("sozialraum.id"), index=True)
    zusammenfassung: Mapped[str] = mapped_column(Text)
    demo: Mapped[bool] = mapped_column(default=False)

    sozialraum: Mapped[Sozialraum | None] = relationship()
    schlagworte: Mapped[list[Schlagwort]] = relationship(
        secondary=interview_schlagwort, order_by="Schlagwort.name"
    )


class ReportStatus(enum.StrEnum):
    ENTWURF = "entwurf"
    PLANUNGSRUNDE = "planungsrunde"
    VEROEFFENTLICHT = "veroeffentlicht"

    @property
    def label(self) -> str:
        return {
            "entwurf": "Entwurf",
            "planungsrunde": "in der Planungsrunde",
            "veroeffentlicht": "veröffentlicht",
        }[self]


class Sozialreport(TimestampMixin, db.Model):
    """The compact data report of one cycle; discussed in the Planungsrunde, then published."""

    id: Mapped[int] = mapped_column(primary_key=True)
    zyklus_id: Mapped[int] = mapped_column(ForeignKey("zyklus.id"), index=True)
    titel: Mapped[str] = mapped_column(String(200))
    einleitung: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ReportStatus] = mapped_column(
        str_enum(ReportStatus), default=ReportStatus.ENTWURF
    )
    veroeffentlicht_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    zyklus: Mapped[Zyklus] = relationship()
    kapitel: Mapped[list[Kapitel]] = relationship(
        back_populates="report",
        order_by="Kapitel.position, Kapitel.id",
        cascade="all, delete-orphan",
    )

    @property
    def veroeffentlicht(self) -> bool:
        return self.status == ReportStatus.VEROEFFENTLICHT


class Kapitel(TimestampMixin, db.Model):
    """A chapter of a Sozialreport: Markdown text and charts of chosen indicators."""

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("sozialreport.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    titel: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    # chapter type (app.datenbasis.erweiterungen): "text" or one a higher package registers
    art: Mapped[str] = mapped_column(String(40), default="text", server_default="text")

    report: Mapped[Sozialreport] = relationship(back_populates="kapitel")
    diagramme: Mapped[list[Diagramm]] = relationship(
        back_populates="kapitel", order_by="Diagramm.id", cascade="all, delete-orphan"
    )
    kommentare: Mapped[list[Kommentar]] = relationship(
        back_populates="kapitel", order_by="Kommentar.id", cascade="all, delete-orphan"
    )


class DiagrammArt(enum.StrEnum):
    ZEITREIHE = "zeitreihe"
    VERGLEICH = "vergleich"
    KARTE = "karte"  # drawn by a renderer registered in app.datenbasis.erweiterungen

    @property
    def label(self) -> str:
        return {
            "zeitreihe": "Zeitreihe je Sozialraum",
            "vergleich": "Vergleich der Sozialräume",
            "karte": "Karte der Sozialräume",
        }[self]


class Diagramm(db.Model):
    """A chart of one indicator in a chapter: a time series or a comparison in one year."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kapitel_id: Mapped[int] = mapped_column(
        ForeignKey("kapitel.id", ondelete="CASCADE"), index=True
    )
    indikator_id: Mapped[int] = mapped_column(ForeignKey("indikator.id"), index=True)
    art: Mapped[DiagrammArt] = mapped_column(str_enum(DiagrammArt))
    jahr: Mapped[int | None]  # comparison year; None = latest year with values
    # maps: Einrichtung types shown as symbols, comma-separated EinrichtungTyp values
    einrichtung_typen: Mapped[str] = mapped_column(String(300), default="", server_default="")

    kapitel: Mapped[Kapitel] = relationship(back_populates="diagramme")
    indikator: Mapped[Indikator] = relationship()


class Kommentar(db.Model):
    """A Planungsrunde member's comment on a chapter."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kapitel_id: Mapped[int] = mapped_column(
        ForeignKey("kapitel.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    kapitel: Mapped[Kapitel] = relationship(back_populates="kommentare")
    user: Mapped[User] = relationship()


_k, _e = Kapitel.__table__.c, Einrichtung.__table__.c
suchindex("ix_kapitel_suche", _k.titel, _k.text)
suchindex("ix_einrichtung_suche", _e.name, _e.strasse, _e.betreiber)
