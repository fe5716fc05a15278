"""Errors, constants and look-ups shared by the measure and Themen operations."""

from __future__ import annotations

from app.extensions import db
from app.stammdaten.models import GremiumTyp
from app.workflows.models import Zyklus

WIRKUNGSZIEL_SPALTEN = (
    "indikator_id",
    "sozialraum_id",
    "basis_jahr",
    "basis_wert",
    "ziel_jahr",
    "ziel_wert",
    "pruefen_am",
)
BESCHLUSS_GREMIEN = (GremiumTyp.VERWALTUNGSVORSTAND, GremiumTyp.FACHAUSSCHUSS)


class MassnahmeError(ValueError):
    """A refused operation; the message is German."""

    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


def zyklus_or_error(zyklus_id: int) -> Zyklus:
    zyklus = db.session.get(Zyklus, zyklus_id)
    if zyklus is None:
        raise MassnahmeError("Den Planungszyklus gibt es nicht (mehr).", 404)
    return zyklus
