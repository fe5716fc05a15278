"""Rückmeldebögen: the form (sections, questions, addressees) and each organisation's answers.

One ``Rueckmeldung`` row per addressed organisation is created when the form is published;
it carries the status (offen → entwurf → eingereicht), the optimistic ``version`` that detects
concurrent edits, and the reminder bookkeeping (``erinnert_at``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.beteiligung.arten import (
    AnfrageArt,
    AnfrageStatus,
    BogenStatus,
    EreignisArt,
    FrageTyp,
    RueckmeldungStatus,
)
from app.core.types import UTCDateTime, str_enum, utcnow
from app.dateien.models import Datei
from app.extensions import db
from app.workflows.models import Phase

if TYPE_CHECKING:
    from app.auth.models import User
    from app.stammdaten.models import Gremium, Organisation, Sozialraum
    from app.workflows.models import Strang, Zyklus


bogen_organisation = Table(
    "rueckmeldebogen_organisation",
    db.Model.metadata,
    Column("bogen_id", ForeignKey("rueckmeldebogen.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id"), primary_key=True),
)


class Rueckmeldebogen(db.Model):
    """A feedback form with its addressees, open and close dates and result release."""

    __audit_name__ = "Rückmeldebogen"

    __tablename__ = "rueckmeldebogen"

    id: Mapped[int] = mapped_column(primary_key=True)
    titel: Mapped[str] = mapped_column(String(200))
    einleitung: Mapped[str | None] = mapped_column(Text)
    status: Mapped[BogenStatus] = mapped_column(str_enum(BogenStatus), default=BogenStatus.ENTWURF)
    oeffnet_am: Mapped[datetime] = mapped_column(UTCDateTime)
    frist: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    erinnerung_tage: Mapped[int] = mapped_column(default=3)
    gremium_id: Mapped[int | None] = mapped_column(ForeignKey("gremium.id"))
    zyklus_id: Mapped[int | None] = mapped_column(ForeignKey("zyklus.id"), index=True)
    phase: Mapped[Phase | None] = mapped_column(str_enum(Phase))
    strang_id: Mapped[int | None] = mapped_column(ForeignKey("strang.id"), index=True)
    kopiert_von_id: Mapped[int | None] = mapped_column(ForeignKey("rueckmeldebogen.id"))
    erstellt_von_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    veroeffentlicht_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    geschlossen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ergebnisse_freigegeben_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    manuell_erinnert_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, info={"label": "Zuletzt von Hand erinnert"}
    )

    gremium: Mapped[Gremium | None] = relationship()
    zyklus: Mapped[Zyklus | None] = relationship()
    strang: Mapped[Strang | None] = relationship()
    organisationen: Mapped[list[Organisation]] = relationship(
        secondary=bogen_organisation, order_by="Organisation.name"
    )
    abschnitte: Mapped[list[BogenAbschnitt]] = relationship(
        back_populates="bogen", order_by="BogenAbschnitt.position", cascade="all, delete-orphan"
    )
    rueckmeldungen: Mapped[list[Rueckmeldung]] = relationship(back_populates="bogen")

    def __str__(self) -> str:
        return self.titel

    @property
    def fragen(self) -> list[BogenFrage]:
        """All questions in section order."""
        return [f for a in self.abschnitte for f in a.fragen]

    def ist_offen(self, now: datetime | None = None) -> bool:
        """Published, opened and before the deadline."""
        now = now or utcnow()
        return self.status == BogenStatus.VEROEFFENTLICHT and self.oeffnet_am <= now < self.frist


class BogenAbschnitt(db.Model):
    """A section of a form: a heading, an optional text, its questions."""

    __audit_name__ = "Abschnitt (Rückmeldebogen)"

    __tablename__ = "rueckmeldebogen_abschnitt"

    id: Mapped[int] = mapped_column(primary_key=True)
    bogen_id: Mapped[int] = mapped_column(
        ForeignKey("rueckmeldebogen.id", ondelete="CASCADE"), index=True
    )
    titel: Mapped[str] = mapped_column(String(200))
    beschreibung: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)

    bogen: Mapped[Rueckmeldebogen] = relationship(back_populates="abschnitte")
    fragen: Mapped[list[BogenFrage]] = relationship(
        back_populates="abschnitt", order_by="BogenFrage.position", cascade="all, delete-orphan"
    )


class BogenFrage(db.Model):
    """One question: its type, text, help, required flag, options, scale labels, bounds."""

    __audit_name__ = "Frage (Rückmeldebogen)"

    __tablename__ = "rueckmeldebogen_frage"

    id: Mapped[int] = mapped_column(primary_key=True)
    abschnitt_id: Mapped[int] = mapped_column(
        ForeignKey("rueckmeldebogen_abschnitt.id", ondelete="CASCADE"), index=True
    )
    typ: Mapped[FrageTyp] = mapped_column(str_enum(FrageTyp))
    text: Mapped[str] = mapped_column(String(500))
    hilfetext: Mapped[str | None] = mapped_column(Text)
    pflicht: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    optionen: Mapped[list[str]] = mapped_column(JSON, default=list)
    skala_min_label: Mapped[str | None] = mapped_column(String(80))
    skala_max_label: Mapped[str | None] = mapped_column(String(80))
    zahl_min: Mapped[float | None] = mapped_column(Numeric(18, 4, asdecimal=False))
    zahl_max: Mapped[float | None] = mapped_column(Numeric(18, 4, asdecimal=False))

    abschnitt: Mapped[BogenAbschnitt] = relationship(back_populates="fragen")

    @property
    def feldname(self) -> str:
        """The name of its input in the fill-in form."""
        return f"f{self.id}"


class Rueckmeldung(db.Model):
    """One addressed organisation's answer to a form; editable as a draft, then immutable."""

    __audit_name__ = "Rückmeldung"

    __tablename__ = "rueckmeldung"
    __table_args__ = (UniqueConstraint("bogen_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bogen_id: Mapped[int] = mapped_column(
        ForeignKey("rueckmeldebogen.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    status: Mapped[RueckmeldungStatus] = mapped_column(
        str_enum(RueckmeldungStatus), default=RueckmeldungStatus.OFFEN
    )
    version: Mapped[int] = mapped_column(Integer, default=0)
    bearbeitet_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    bearbeitet_von_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    eingereicht_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    eingereicht_von_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    eingeladen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erinnert_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    wiedereroeffnet_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    frist_verlaengert_bis: Mapped[datetime | None] = mapped_column(
        UTCDateTime, info={"label": "Frist für diese Organisation"}
    )

    bogen: Mapped[Rueckmeldebogen] = relationship(back_populates="rueckmeldungen")
    organisation: Mapped[Organisation] = relationship()
    bearbeitet_von: Mapped[User | None] = relationship(foreign_keys=[bearbeitet_von_id])
    eingereicht_von: Mapped[User | None] = relationship(foreign_keys=[eingereicht_von_id])
    antworten: Mapped[list[RueckmeldungAntwort]] = relationship(
        back_populates="rueckmeldung",
        order_by="RueckmeldungAntwort.id",
        cascade="all, delete-orphan",
    )
    ereignisse: Mapped[list[RueckmeldungEreignis]] = relationship(
        back_populates="rueckmeldung",
        order_by="RueckmeldungEreignis.id",
        cascade="all, delete-orphan",
    )

    @property
    def eingereicht(self) -> bool:
        return self.status == RueckmeldungStatus.EINGEREICHT

    @property
    def frist(self) -> datetime:
        """This organisation's deadline: the form's, or the later one the Stabsstelle granted."""
        if self.frist_verlaengert_bis is not None and self.frist_verlaengert_bis > self.bogen.frist:
            return self.frist_verlaengert_bis
        return self.bogen.frist


class RueckmeldungAntwort(db.Model):
    """The answer to one question (for the matrix: to one question in one Sozialraum)."""

    __audit_name__ = "Antwort (Rückmeldung)"

    __tablename__ = "rueckmeldung_antwort"

    id: Mapped[int] = mapped_column(primary_key=True)
    rueckmeldung_id: Mapped[int] = mapped_column(
        ForeignKey("rueckmeldung.id", ondelete="CASCADE"), index=True
    )
    frage_id: Mapped[int] = mapped_column(
        ForeignKey("rueckmeldebogen_frage.id", ondelete="CASCADE"), index=True
    )
    sozialraum_id: Mapped[int | None] = mapped_column(ForeignKey("sozialraum.id"))
    wert: Mapped[Any] = mapped_column(JSON)
    anhang_id: Mapped[int | None] = mapped_column(
        ForeignKey("rueckmeldung_anhang.id", ondelete="SET NULL")
    )

    rueckmeldung: Mapped[Rueckmeldung] = relationship(back_populates="antworten")
    frage: Mapped[BogenFrage] = relationship()
    sozialraum: Mapped[Sozialraum | None] = relationship()
    anhang: Mapped[RueckmeldungAnhang | None] = relationship()


class RueckmeldungAnhang(db.Model):
    """Ties an upload (``app.dateien``) to the answer it was uploaded for, also before saving."""

    __audit_name__ = "Anhang (Rückmeldung)"

    __tablename__ = "rueckmeldung_anhang"

    id: Mapped[int] = mapped_column(primary_key=True)
    rueckmeldung_id: Mapped[int] = mapped_column(
        ForeignKey("rueckmeldung.id", ondelete="CASCADE"), index=True
    )
    datei_id: Mapped[int] = mapped_column(ForeignKey("datei.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    datei: Mapped[Datei] = relationship()

    @property
    def dateiname(self) -> str:
        return self.datei.original_name


class RueckmeldungEreignis(db.Model):
    """History: each submission (with a snapshot of the answers) and reopening (with reason)."""

    __audit_name__ = "Ereignis (Rückmeldung)"

    __tablename__ = "rueckmeldung_ereignis"

    id: Mapped[int] = mapped_column(primary_key=True)
    rueckmeldung_id: Mapped[int] = mapped_column(
        ForeignKey("rueckmeldung.id", ondelete="CASCADE"), index=True
    )
    art: Mapped[EreignisArt] = mapped_column(str_enum(EreignisArt))
    grund: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    zeitpunkt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    antworten: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    rueckmeldung: Mapped[Rueckmeldung] = relationship(back_populates="ereignisse")
    user: Mapped[User | None] = relationship()


class RueckmeldungAnfrage(db.Model):
    """A Träger's request to correct a submitted answer or for more time, and its decision."""

    __audit_name__ = "Anfrage (Rückmeldung)"

    __tablename__ = "rueckmeldung_anfrage"
    __table_args__ = (
        # at most one open request of each kind per answer (double clicks, two colleagues)
        Index(
            "uq_rueckmeldung_anfrage_offen",
            "rueckmeldung_id",
            "art",
            unique=True,
            postgresql_where=sql_text("status = 'offen'"),
            sqlite_where=sql_text("status = 'offen'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rueckmeldung_id: Mapped[int] = mapped_column(
        ForeignKey("rueckmeldung.id", ondelete="CASCADE"), index=True
    )
    art: Mapped[AnfrageArt] = mapped_column(str_enum(AnfrageArt))
    status: Mapped[AnfrageStatus] = mapped_column(
        str_enum(AnfrageStatus), default=AnfrageStatus.OFFEN, index=True
    )
    grund: Mapped[str] = mapped_column(Text)
    gewuenschte_frist: Mapped[datetime | None] = mapped_column(UTCDateTime)
    gestellt_von_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    gestellt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    entschieden_von_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    entschieden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    kommentar: Mapped[str | None] = mapped_column(Text)
    neue_frist: Mapped[datetime | None] = mapped_column(UTCDateTime)

    rueckmeldung: Mapped[Rueckmeldung] = relationship()
    gestellt_von: Mapped[User | None] = relationship(foreign_keys=[gestellt_von_id])
    entschieden_von: Mapped[User | None] = relationship(foreign_keys=[entschieden_von_id])

    @property
    def offen(self) -> bool:
        return self.status == AnfrageStatus.OFFEN


#: impulses taken from a form answer; owned here, so the impulse register never points at answers
antwort_impuls = Table(
    "antwort_impuls",
    db.metadata,
    Column("impuls_id", ForeignKey("impuls.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "antwort_id",
        ForeignKey("rueckmeldung_antwort.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
)
