"""Limits, errors and shared look-ups of the feedback forms."""

from __future__ import annotations

from sqlalchemy import select

from app.beteiligung import zyklus as _zyklus  # noqa: F401  (registers the cycle guard)
from app.beteiligung.models import (
    BogenStatus,
    Rueckmeldebogen,
    Rueckmeldung,
)
from app.core.urls import external_url  # noqa: F401  (re-exported for the modules here)
from app.extensions import db
from app.stammdaten.models import Sozialraum

MAX_ERINNERUNG_TAGE = 30
BOGEN_FELDER = (
    "titel",
    "einleitung",
    "oeffnet_am",
    "frist",
    "erinnerung_tage",
    "gremium_id",
    "zyklus_id",
    "phase",
    "strang_id",
)
FRAGE_FELDER = (
    "typ",
    "text",
    "hilfetext",
    "pflicht",
    "optionen",
    "skala_min_label",
    "skala_max_label",
    "zahl_min",
    "zahl_max",
)


class BeteiligungError(ValueError):
    """A refused change; ``message`` is German, ``field`` names the form field it concerns."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class VersionKonflikt(Exception):
    """Someone else saved the answer since the user loaded it."""

    def __init__(self, rueckmeldung: Rueckmeldung) -> None:
        super().__init__("Die Rückmeldung wurde inzwischen geändert.")
        self.rueckmeldung = rueckmeldung


def sozialraeume() -> list[Sozialraum]:
    """The active Sozialräume in their order: the rows of every matrix question."""
    return list(
        db.session.scalars(select(Sozialraum).where(Sozialraum.aktiv).order_by(Sozialraum.nummer))
    )


def require_entwurf(bogen: Rueckmeldebogen) -> None:
    """Questions and sections change only before publishing, so answers keep their meaning."""
    if bogen.status != BogenStatus.ENTWURF:
        raise BeteiligungError(
            "Der Bogen ist bereits veröffentlicht; Abschnitte und Fragen können nicht mehr "
            "geändert werden. Legen Sie bei Bedarf eine Kopie an."
        )
