"""The ``Impuls``: an input to the process, tracked from ``eingegangen`` until umgesetzt.

Shared by several features: Rückmeldungen of the Träger and minutes of a Gremium (each links its
impulses in its own table, ``antwort_impuls`` / ``protokoll_impuls``, and describes them through
``app.impulse.herkunft``), entries of the Stabsstelle for Verwaltungsvorstand and Politik, and the register that tracks status, answer and carry-over into the next cycle.
The allowed status moves are declared once, in ``UEBERGAENGE``.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, Enum, ForeignKey, String, Table, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UTCDateTime, str_enum, utcnow
from app.extensions import db
from app.planungsfelder.models import Planungsfeld
from app.suche.volltext import suchindex

if TYPE_CHECKING:
    from app.auth.models import User
    from app.stammdaten.models import Gremium, Sozialraum
    from app.workflows.models import Zyklus


class ImpulsQuelle(enum.StrEnum):
    """Where an impulse comes from."""

    STADTTEILARBEITSKREIS = "stadtteilarbeitskreis"
    TRAEGER = "traeger"
    VERWALTUNGSVORSTAND = "verwaltungsvorstand"
    POLITIK = "politik"
    PLANUNGSRUNDE = "planungsrunde"

    @property
    def label(self) -> str:
        return {
            "stadtteilarbeitskreis": "Stadtteilarbeitskreis",
            "traeger": "Träger",
            "verwaltungsvorstand": "Verwaltungsvorstand",
            "politik": "Politik",
            "planungsrunde": "Planungsrunde",
        }[self]


class ImpulsAdressat(enum.StrEnum):
    """Who is asked to take the impulse up."""

    PLANUNGSRUNDE = "planungsrunde"
    STABSSTELLE = "stabsstelle"
    TRAEGERRUNDE = "traegerrunde"
    STADTTEILARBEITSKREIS = "stadtteilarbeitskreis"
    VERWALTUNGSVORSTAND = "verwaltungsvorstand"
    POLITIK = "politik"

    @property
    def label(self) -> str:
        return {
            "planungsrunde": "Städtische Planungsrunde",
            "stabsstelle": "Stabsstelle Sozialplanung",
            "traegerrunde": "Trägerrunde",
            "stadtteilarbeitskreis": "Stadtteilarbeitskreis",
            "verwaltungsvorstand": "Verwaltungsvorstand",
            "politik": "Politik (Fachausschüsse)",
        }[self]


class ImpulsStatus(enum.StrEnum):
    """Progress of an impulse; new ones are ``eingegangen``."""

    EINGEGANGEN = "eingegangen"
    IN_PRUEFUNG = "in_pruefung"
    AUFGENOMMEN = "aufgenommen"
    WEITERGELEITET = "weitergeleitet"
    ABGELEHNT = "abgelehnt"
    UMGESETZT = "umgesetzt"

    @property
    def label(self) -> str:
        return {
            "eingegangen": "eingegangen",
            "in_pruefung": "in Prüfung",
            "aufgenommen": "aufgenommen",
            "weitergeleitet": "an den Verwaltungsvorstand weitergeleitet",
            "abgelehnt": "abgelehnt",
            "umgesetzt": "umgesetzt",
        }[self]

    @property
    def offen(self) -> bool:
        """Still in progress, so it is carried into the next cycle."""
        return self not in (ImpulsStatus.ABGELEHNT, ImpulsStatus.UMGESETZT)


S = ImpulsStatus
# Every allowed status move in one place: (von, nach) -> button label. Nothing else moves.
UEBERGAENGE: dict[tuple[ImpulsStatus, ImpulsStatus], str] = {
    (S.EINGEGANGEN, S.IN_PRUEFUNG): "Prüfung beginnen",
    (S.IN_PRUEFUNG, S.AUFGENOMMEN): "In die Planung aufnehmen",
    (S.IN_PRUEFUNG, S.WEITERGELEITET): "An den Verwaltungsvorstand weiterleiten",
    (S.IN_PRUEFUNG, S.ABGELEHNT): "Ablehnen",
    (S.WEITERGELEITET, S.AUFGENOMMEN): "In die Planung aufnehmen",
    (S.WEITERGELEITET, S.ABGELEHNT): "Ablehnen",
    (S.AUFGENOMMEN, S.UMGESETZT): "Als umgesetzt markieren",
}
BEGRUENDUNG_NOETIG = frozenset({S.ABGELEHNT})


impuls_planungsfeld = Table(
    "impuls_planungsfeld",
    db.Model.metadata,
    Column("impuls_id", ForeignKey("impuls.id", ondelete="CASCADE"), primary_key=True),
    Column("planungsfeld_id", ForeignKey("planungsfeld.id", ondelete="CASCADE"), primary_key=True),
)


class Impuls(db.Model):
    """One impulse with its source, addressee, Sozialraum, status and official answer."""

    id: Mapped[int] = mapped_column(primary_key=True)
    titel: Mapped[str] = mapped_column(String(200))
    beschreibung: Mapped[str | None] = mapped_column(Text)
    thema: Mapped[str | None] = mapped_column(String(200))
    sozialraum_id: Mapped[int | None] = mapped_column(ForeignKey("sozialraum.id"), index=True)
    quelle: Mapped[ImpulsQuelle] = mapped_column(str_enum(ImpulsQuelle))
    quelle_gremium_id: Mapped[int | None] = mapped_column(ForeignKey("gremium.id"), index=True)
    adressiert_an: Mapped[ImpulsAdressat] = mapped_column(
        str_enum(ImpulsAdressat), default=ImpulsAdressat.PLANUNGSRUNDE
    )
    status: Mapped[ImpulsStatus] = mapped_column(
        str_enum(ImpulsStatus), default=ImpulsStatus.EINGEGANGEN
    )
    begruendung: Mapped[str | None] = mapped_column(Text)  # reason of the latest decision
    antwort: Mapped[str | None] = mapped_column(Text)  # draft of the official answer
    beantwortet_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    antwort_veroeffentlicht: Mapped[str | None] = mapped_column(Text)  # what members see
    veroeffentlicht_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # shown in the public portal (with the published answer only) when the Stabsstelle says so
    oeffentlich: Mapped[bool] = mapped_column(default=False, server_default=false())
    zyklus_id: Mapped[int | None] = mapped_column(ForeignKey("zyklus.id"), index=True)
    vorgaenger_id: Mapped[int | None] = mapped_column(
        ForeignKey("impuls.id", ondelete="SET NULL"), unique=True
    )
    erstellt_von_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sozialraum: Mapped[Sozialraum | None] = relationship()
    quelle_gremium: Mapped[Gremium | None] = relationship()
    erstellt_von: Mapped[User | None] = relationship()
    zyklus: Mapped[Zyklus | None] = relationship()
    vorgaenger: Mapped[Impuls | None] = relationship(remote_side="Impuls.id")
    verlauf: Mapped[list[ImpulsVerlauf]] = relationship(
        back_populates="impuls", cascade="all, delete-orphan", order_by="ImpulsVerlauf.id"
    )
    planungsfelder: Mapped[list[Planungsfeld]] = relationship(
        secondary=impuls_planungsfeld, order_by="(Planungsfeld.position, Planungsfeld.name)"
    )

    def __str__(self) -> str:
        return self.titel

    @property
    def beantwortet(self) -> bool:
        return self.beantwortet_at is not None

    @property
    def veroeffentlicht(self) -> bool:
        return self.veroeffentlicht_at is not None


def _status_type(name: str) -> Enum:
    """``str_enum(ImpulsStatus)`` under its own constraint name (two status columns)."""
    column_type = str_enum(ImpulsStatus)
    column_type.name = name
    return column_type


class ImpulsVerlauf(db.Model):
    """One status move of an impulse: who, when, from where to where, and why."""

    id: Mapped[int] = mapped_column(primary_key=True)
    impuls_id: Mapped[int] = mapped_column(ForeignKey("impuls.id", ondelete="CASCADE"), index=True)
    von: Mapped[ImpulsStatus | None] = mapped_column(_status_type("impulsverlauf_von"))
    nach: Mapped[ImpulsStatus] = mapped_column(_status_type("impulsverlauf_nach"))
    begruendung: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    zeitpunkt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    impuls: Mapped[Impuls] = relationship(back_populates="verlauf")
    user: Mapped[User | None] = relationship()


_i = Impuls.__table__.c
suchindex("ix_impuls_suche", _i.titel, _i.beschreibung, _i.thema, _i.antwort_veroeffentlicht)
