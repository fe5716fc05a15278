"""The ``Impuls``: an input to the process, tracked from ``eingegangen`` until answered.

Shared by several features: Rückmeldungen of the Träger (``quelle_antwort_id``), minutes of a
Gremium (``quelle_protokoll_id``, its foreign key is added by the minutes feature) and the
register that later tracks the answer.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UTCDateTime, str_enum, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User
    from app.stammdaten.models import Gremium, Sozialraum


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
    IN_BEARBEITUNG = "in_bearbeitung"
    BEANTWORTET = "beantwortet"
    ABGESCHLOSSEN = "abgeschlossen"

    @property
    def label(self) -> str:
        return {
            "eingegangen": "eingegangen",
            "in_bearbeitung": "in Bearbeitung",
            "beantwortet": "beantwortet",
            "abgeschlossen": "abgeschlossen",
        }[self]


class Impuls(db.Model):
    """One impulse with its source, addressee, Sozialraum and status."""

    id: Mapped[int] = mapped_column(primary_key=True)
    titel: Mapped[str] = mapped_column(String(200))
    beschreibung: Mapped[str | None] = mapped_column(Text)
    sozialraum_id: Mapped[int | None] = mapped_column(ForeignKey("sozialraum.id"), index=True)
    quelle: Mapped[ImpulsQuelle] = mapped_column(str_enum(ImpulsQuelle))
    quelle_antwort_id: Mapped[int | None] = mapped_column(
        ForeignKey("rueckmeldung_antwort.id", ondelete="SET NULL"), index=True
    )
    quelle_gremium_id: Mapped[int | None] = mapped_column(ForeignKey("gremium.id"))
    quelle_protokoll_id: Mapped[int | None] = mapped_column(Integer)
    adressiert_an: Mapped[ImpulsAdressat] = mapped_column(
        str_enum(ImpulsAdressat), default=ImpulsAdressat.PLANUNGSRUNDE
    )
    status: Mapped[ImpulsStatus] = mapped_column(
        str_enum(ImpulsStatus), default=ImpulsStatus.EINGEGANGEN
    )
    zyklus_id: Mapped[int | None] = mapped_column(ForeignKey("zyklus.id"), index=True)
    erstellt_von_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sozialraum: Mapped[Sozialraum | None] = relationship()
    quelle_gremium: Mapped[Gremium | None] = relationship()
    erstellt_von: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return self.titel
