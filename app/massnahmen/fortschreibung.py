"""Carrying open measures into the next cycle, with their impulses and targets."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.i18n import anzahl
from app.extensions import db
from app.impulse.models import Impuls
from app.massnahmen.grundlagen import WIRKUNGSZIEL_SPALTEN
from app.massnahmen.models import (
    Bewertung,
    Drittmittel,
    DrittmittelStatus,
    Ergebnis,
    Massnahme,
    MassnahmeArt,
    MassnahmeStatus,
    Meilenstein,
    Wirkungsziel,
)
from app.workflows.models import Zyklus
from app.workflows.signals import carry_over_provider

# --------------------------------------------------------------------------- carry-over


@carry_over_provider
def carry_over_massnahmen(alt: Zyklus, neu: Zyklus) -> list[str]:
    """Unfinished measures continue in the next cycle, linked to their carried-over impulses."""
    offen = [s for s in MassnahmeStatus if s.offen]
    rows = list(
        db.session.scalars(
            select(Massnahme)
            .options(
                selectinload(Massnahme.impulse),
                selectinload(Massnahme.drittmittel),
                selectinload(Massnahme.planungsfelder),
                selectinload(Massnahme.meilensteine),
                selectinload(Massnahme.wirkungsziele),
            )
            .where(Massnahme.zyklus_id == alt.id, Massnahme.status.in_(offen))
            .order_by(Massnahme.id)
        )
    )
    if not rows:
        return []
    nachfolger = _impulse_successors(neu.id)
    for m in rows:
        db.session.add(_copy(m, neu.id, nachfolger))
    db.session.flush()
    return [anzahl(len(rows), "offene Maßnahme", "offene Maßnahmen") + " übernommen"]


def _impulse_successors(zyklus_id: int) -> dict[int, Impuls]:
    rows = db.session.scalars(
        select(Impuls).where(Impuls.zyklus_id == zyklus_id, Impuls.vorgaenger_id.is_not(None))
    )
    return {i.vorgaenger_id: i for i in rows}


def _copy(m: Massnahme, zyklus_id: int, nachfolger: dict[int, Impuls]) -> Massnahme:
    copy = Massnahme(
        zyklus_id=zyklus_id,
        titel=m.titel,
        beschreibung=m.beschreibung,
        art=m.art,
        sozialraum_id=m.sozialraum_id,
        kosten=m.kosten,
        haushalt=m.haushalt,
        engagement=m.engagement,
        bewertung=m.bewertung,
        bewertung_begruendung=m.bewertung_begruendung,
        prioritaet=m.prioritaet,
        status=m.status,
        vorgaenger_id=m.id,
        erstellt_von_id=m.erstellt_von_id,
        oeffentlich=m.oeffentlich,  # public accountability continues with the measure
        fortschritt=m.fortschritt,
    )
    copy.meilensteine = [
        Meilenstein(titel=x.titel, datum=x.datum, erreicht_am=x.erreicht_am) for x in m.meilensteine
    ]
    copy.wirkungsziele = [  # targets continue, so the next cycle reviews them
        Wirkungsziel(**{c: getattr(z, c) for c in WIRKUNGSZIEL_SPALTEN}) for z in m.wirkungsziele
    ]
    copy.impulse = [nachfolger.get(i.id, i) for i in m.impulse]
    copy.planungsfelder = list(m.planungsfelder)
    copy.drittmittel = [
        Drittmittel(quelle=d.quelle, betrag=d.betrag, status=d.status) for d in m.drittmittel
    ]
    return copy


__all__ = ["Bewertung", "DrittmittelStatus", "Ergebnis", "MassnahmeArt", "MassnahmeStatus"]
