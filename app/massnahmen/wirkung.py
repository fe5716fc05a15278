"""Wirkungsziele: a measure's targets read against the Datenbasis (development and status).

The status compares the latest value after the baseline with the straight path from the
baseline to the target (the value the path expects in that year; the target itself from the
target year on). Direction comes from the target (above or below the baseline); a target equal
to the baseline ("hold the level") uses the indicator's direction. No value after the baseline
year: "keine Daten". Everything is read with one query of values for any number of targets.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.datenbasis import charts
from app.datenbasis.models import Indikator, Indikatorwert, Richtung
from app.extensions import db
from app.massnahmen.models import Massnahme, Wirkungsziel
from app.massnahmen.services import MassnahmeError
from app.workflows.phasenregeln import require_bearbeitbar

ZIELPFAD = "Zielpfad"
VORLAUF_JAHRE = 4  # years before the baseline a chart shows (with the baseline: five)
BIS_JAHR = 2100


class ZielStatus(enum.StrEnum):
    AUF_KURS = "auf_kurs"
    NICHT_AUF_KURS = "nicht_auf_kurs"
    KEINE_DATEN = "keine_daten"

    @property
    def label(self) -> str:
        return {
            "auf_kurs": "auf Kurs",
            "nicht_auf_kurs": "nicht auf Kurs",
            "keine_daten": "keine Daten",
        }[self]


@dataclass
class Stand:
    """Where a target stands: its values, the value compared, what the path expects, status."""

    ziel: Wirkungsziel
    werte: dict[int, float]
    keine_angabe: set[int] = field(default_factory=set)
    jahr: int | None = None
    wert: float | None = None
    erwartet: float | None = None
    status: ZielStatus = ZielStatus.KEINE_DATEN

    @property
    def hinweise(self) -> list[str]:
        """German sentences that explain the status."""
        z = self.ziel
        out = []
        if self.status == ZielStatus.KEINE_DATEN:
            out.append(f"Seit dem Basisjahr {z.basis_jahr} liegen keine Werte vor.")
        if z.ziel_jahr not in self.werte:
            out.append(f"Für das Zieljahr {z.ziel_jahr} liegt noch kein Wert vor.")
        return out


def erwartet(ziel: Wirkungsziel, jahr: int) -> float:
    """The value the straight path from baseline to target expects in ``jahr``."""
    if jahr >= ziel.ziel_jahr:
        return ziel.ziel_wert
    anteil = (jahr - ziel.basis_jahr) / (ziel.ziel_jahr - ziel.basis_jahr)
    return ziel.basis_wert + (ziel.ziel_wert - ziel.basis_wert) * anteil


def _hoeher_gewollt(ziel: Wirkungsziel) -> bool:
    if ziel.ziel_wert != ziel.basis_wert:
        return ziel.ziel_wert > ziel.basis_wert
    return ziel.indikator.richtung != Richtung.HOEHER_SCHLECHTER


def bewerten(ziel: Wirkungsziel, werte: dict[int, float], keine_angabe: set[int]) -> Stand:
    """The status of one target from the values of its indicator and area."""
    stand = Stand(ziel, dict(werte), set(keine_angabe))
    spaeter = [j for j in werte if j > ziel.basis_jahr]
    if not spaeter:
        return stand
    jahr = ziel.ziel_jahr if ziel.ziel_jahr in werte else max(spaeter)
    stand.jahr, stand.wert = jahr, werte[jahr]
    stand.erwartet = erwartet(ziel, jahr)
    tol = 1e-9 * max(1.0, abs(stand.erwartet))
    if _hoeher_gewollt(ziel):
        ok = stand.wert >= stand.erwartet - tol
    else:
        ok = stand.wert <= stand.erwartet + tol
    stand.status = ZielStatus.AUF_KURS if ok else ZielStatus.NICHT_AUF_KURS
    return stand


def staende(ziele: Iterable[Wirkungsziel]) -> dict[int, Stand]:
    """Every target's status from one query of values (targets need indikator loaded)."""
    ziele = list(ziele)
    # the status needs the years after the baseline, the chart a few before: not all history
    ab = min((z.basis_jahr for z in ziele), default=0) - VORLAUF_JAHRE
    values = charts.load_values((z.indikator_id for z in ziele), range(ab, BIS_JAHR + 1))
    result = {}
    for z in ziele:
        reihen = values.by_indikator.get(z.indikator_id, {})
        luecken = values.missing.get(z.indikator_id, {})
        result[z.id] = bewerten(
            z, reihen.get(z.sozialraum_id, {}), luecken.get(z.sozialraum_id, set())
        )
    return result


def diagramm(stand: Stand, key: str) -> charts.Chart:
    """The development as a line chart with the target path, and the same numbers as a table."""
    z = stand.ziel
    pfad = {j: erwartet(z, j) for j in range(z.basis_jahr, z.ziel_jahr + 1)}
    ab = z.basis_jahr - VORLAUF_JAHRE  # the development since shortly before the baseline
    werte = {j: w for j, w in stand.werte.items() if j >= ab}
    reihen = [
        charts.Series(z.gebiet, werte, {j for j in stand.keine_angabe if j >= ab}),
        charts.Series(ZIELPFAD, pfad),
    ]
    titel = f"{z.indikator.name}, {z.gebiet}: Entwicklung und Zielpfad bis {z.ziel_jahr}"
    return charts.time_series(key, z.indikator, reihen, titel=titel)


# --------------------------------------------------------------------------- operations


def basiswert(indikator_id: int, sozialraum_id: int | None, jahr: int) -> float | None:
    """The baseline as the Datenbasis has it (None: no value, or "keine Angabe")."""
    query = select(Indikatorwert.wert).where(
        Indikatorwert.indikator_id == indikator_id,
        Indikatorwert.jahr == jahr,
        Indikatorwert.sozialraum_id.is_(None)
        if sozialraum_id is None
        else Indikatorwert.sozialraum_id == sozialraum_id,
    )
    return db.session.scalar(query)


def add_wirkungsziel(
    massnahme: Massnahme,
    indikator_id: int,
    sozialraum_id: int | None,
    basis_jahr: int,
    ziel_wert: float,
    ziel_jahr: int,
    pruefen_am: date,
) -> Wirkungsziel:
    """Tie a target to the measure; the baseline value is taken from the Datenbasis."""
    require_bearbeitbar(massnahme.zyklus)
    indikator = db.session.get(Indikator, indikator_id)
    if indikator is None:
        raise MassnahmeError("Bitte wählen Sie einen Indikator der Datenbasis.")
    if ziel_jahr <= basis_jahr:
        raise MassnahmeError("Das Zieljahr muss nach dem Basisjahr liegen.")
    wert = basiswert(indikator_id, sozialraum_id, basis_jahr)
    if wert is None:
        raise MassnahmeError(
            f"Für „{indikator.name}“ liegt im Basisjahr {basis_jahr} für dieses Gebiet kein Wert "
            "in der Datenbasis vor. Bitte wählen Sie ein Jahr mit Wert oder importieren Sie ihn."
        )
    ziel = Wirkungsziel(
        indikator_id=indikator_id,
        sozialraum_id=sozialraum_id,
        basis_jahr=basis_jahr,
        basis_wert=wert,
        ziel_jahr=ziel_jahr,
        ziel_wert=ziel_wert,
        pruefen_am=pruefen_am,
    )
    massnahme.wirkungsziele.append(ziel)
    db.session.flush()
    return ziel


def delete_wirkungsziel(ziel: Wirkungsziel) -> None:
    require_bearbeitbar(ziel.massnahme.zyklus)
    db.session.delete(ziel)
    db.session.flush()
