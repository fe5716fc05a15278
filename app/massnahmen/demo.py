"""Demo Wirkungsziele: the Jugendtreff of the demo is measured against the Datenbasis.

Idempotent (skipped when the measure already has targets). Needs the demo Datenbasis (values
2019–2024) and the measure from ``app.protokolle.demo``. One target is on course, one is not.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.datenbasis.models import Indikator
from app.extensions import db
from app.massnahmen import wirkung
from app.massnahmen.models import Massnahme
from app.massnahmen.services import MassnahmeError

MASSNAHME = "Offener Jugendtreff im Stadtbereich"
# indicator, baseline year, target value relative to the baseline, target year
ZIELE = [
    ("Kinderarmutsquote", 2021, -0.4, 2026),
    ("SGB-II-Quote", 2021, -1.5, 2025),
]


def load_demo_wirkung() -> None:
    """Give the demo measure two targets, with baselines from the demo Datenbasis."""
    massnahme = db.session.scalar(
        select(Massnahme).where(Massnahme.titel == MASSNAHME).order_by(Massnahme.id)
    )
    if massnahme is None or massnahme.wirkungsziele:
        return
    for name, basis_jahr, delta, ziel_jahr in ZIELE:
        indikator = db.session.scalar(select(Indikator).where(Indikator.name == name))
        if indikator is None:
            continue
        basis = wirkung.basiswert(indikator.id, massnahme.sozialraum_id, basis_jahr)
        if basis is None:
            continue
        try:
            wirkung.add_wirkungsziel(
                massnahme,
                indikator.id,
                massnahme.sozialraum_id,
                basis_jahr,
                round(basis + delta, 1),
                ziel_jahr,
                date(ziel_jahr + 1, 3, 31),
            )
        except MassnahmeError:  # demo data never stops the loader
            continue
