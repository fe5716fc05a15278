"""The Planungsfeld master data; the tagged packages own their association tables."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import TimestampMixin
from app.extensions import db

# key, name, description, core field: the three fields of the Stabsstelle cannot be deactivated
STANDARD_FELDER: tuple[tuple[str, str, str, bool], ...] = (
    (
        "sozialplanung",
        "Sozialplanung",
        "Lebens- und Teilhabebedingungen, soziale Infrastruktur.",
        True,
    ),
    (
        "jugendhilfeplanung",
        "Jugendhilfeplanung",
        "Angebote für Kinder, Jugendliche und Familien (SGB VIII).",
        True,
    ),
    ("bildungskoordination", "Bildungskoordination", "Kitas, Schulen und Bildungsübergänge.", True),
    (
        "nahversorgung",
        "Nahversorgung",
        "Geschäfte, Ärztinnen und Ärzte, Dienstleistungen im Quartier.",
        False,
    ),
    ("mobilitaet", "Mobilität", "Verkehrsanbindung und öffentlicher Nahverkehr.", False),
    (
        "stadtentwicklung",
        "Stadtentwicklung",
        "Bewegungs- und Begegnungsräume, Wohnen, öffentlicher Raum.",
        False,
    ),
)


class Planungsfeld(TimestampMixin, db.Model):
    """A planning field such as Jugendhilfeplanung; tags indicators, Themen, measures, impulses."""

    id: Mapped[int] = mapped_column(primary_key=True)
    schluessel: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    beschreibung: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    kern: Mapped[bool] = mapped_column(default=False)
    aktiv: Mapped[bool] = mapped_column(default=True)

    def __str__(self) -> str:
        return self.name
