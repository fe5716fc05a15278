"""Master data: organisations, Sozialräume, Gremien and memberships."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import TimestampMixin, str_enum
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User


class OrganisationArt(enum.StrEnum):
    VERWALTUNG = "verwaltung"
    TRAEGER = "traeger"
    SONSTIGE = "sonstige"

    @property
    def label(self) -> str:
        return {"verwaltung": "Städtisches Amt", "traeger": "Träger", "sonstige": "Sonstige"}[self]


class GremiumTyp(enum.StrEnum):
    PLANUNGSRUNDE = "planungsrunde"
    TRAEGERRUNDE = "traegerrunde"
    STADTTEILARBEITSKREIS = "stadtteilarbeitskreis"
    VERWALTUNGSVORSTAND = "verwaltungsvorstand"
    FACHAUSSCHUSS = "fachausschuss"

    @property
    def label(self) -> str:
        return {
            "planungsrunde": "Städtische Planungsrunde",
            "traegerrunde": "Trägerrunde",
            "stadtteilarbeitskreis": "Stadtteilarbeitskreis",
            "verwaltungsvorstand": "Verwaltungsvorstand",
            "fachausschuss": "Fachausschuss",
        }[self]


class Funktion(enum.StrEnum):
    VORSITZ = "vorsitz"
    MODERATION = "moderation"
    MITGLIED = "mitglied"
    GAST = "gast"

    @property
    def label(self) -> str:
        return {
            "vorsitz": "Vorsitz",
            "moderation": "Moderation",
            "mitglied": "Mitglied",
            "gast": "Gast",
        }[self]


class Organisation(TimestampMixin, db.Model):
    """A city office or a Träger; people act on its behalf."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kurzname: Mapped[str | None] = mapped_column(String(40))
    art: Mapped[OrganisationArt] = mapped_column(str_enum(OrganisationArt))
    email: Mapped[str | None] = mapped_column(String(254))
    aktiv: Mapped[bool] = mapped_column(default=True)

    users: Mapped[list[User]] = relationship(back_populates="organisation")

    def __str__(self) -> str:
        return self.name


class Sozialraum(TimestampMixin, db.Model):
    """One of the city's areas (Hilden: five Stadtbereiche)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    nummer: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    beschreibung: Mapped[str | None] = mapped_column(Text)
    aktiv: Mapped[bool] = mapped_column(default=True)

    def __str__(self) -> str:
        return self.name


class Gremium(TimestampMixin, db.Model):
    """A body that meets; a Stadtteilarbeitskreis belongs to exactly one Sozialraum."""

    __table_args__ = (
        CheckConstraint(
            "(typ = 'stadtteilarbeitskreis') = (sozialraum_id IS NOT NULL)",
            name="sozialraum_nur_stadtteilarbeitskreis",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    typ: Mapped[GremiumTyp] = mapped_column(str_enum(GremiumTyp))
    sozialraum_id: Mapped[int | None] = mapped_column(ForeignKey("sozialraum.id"))
    beschreibung: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(254))
    aktiv: Mapped[bool] = mapped_column(default=True)

    sozialraum: Mapped[Sozialraum | None] = relationship()
    mitgliedschaften: Mapped[list[Mitgliedschaft]] = relationship(
        back_populates="gremium", order_by="Mitgliedschaft.id"
    )

    def __str__(self) -> str:
        return self.name


class Mitgliedschaft(TimestampMixin, db.Model):
    """A person's membership (seat) in a Gremium, optionally on behalf of an organisation,
    optionally with a Stellvertretung (deputy)."""

    __audit_berechtigung__ = True  # membership decides what a person may see and do

    __table_args__ = (
        Index(
            "uq_mitgliedschaft_aktiv",
            "gremium_id",
            "user_id",
            unique=True,
            postgresql_where=text("aktiv"),
            sqlite_where=text("aktiv = 1"),
        ),
        CheckConstraint(
            "stellvertretung_id IS NULL OR stellvertretung_id <> user_id",
            name="stellvertretung_nicht_selbst",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gremium_id: Mapped[int] = mapped_column(ForeignKey("gremium.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    funktion: Mapped[Funktion] = mapped_column(str_enum(Funktion))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    aktiv: Mapped[bool] = mapped_column(default=True)
    # the seat's deputy: invited when the member declines, reads what the member reads
    stellvertretung_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id"), index=True, info={"label": "Stellvertretung"}
    )

    gremium: Mapped[Gremium] = relationship(back_populates="mitgliedschaften")
    user: Mapped[User] = relationship(back_populates="mitgliedschaften", foreign_keys=[user_id])
    organisation: Mapped[Organisation | None] = relationship()
    stellvertretung: Mapped[User | None] = relationship(foreign_keys=[stellvertretung_id])
