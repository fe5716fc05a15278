"""What the measures package registers with lower packages: the chain steps of an impulse."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.impulse.herkunft import Glied, folgen
from app.massnahmen import suchquellen  # noqa: F401  (registers the search source)
from app.massnahmen.models import Beschluss, Massnahme, massnahme_impuls
from app.stammdaten.models import GremiumTyp


@folgen
def massnahmen_der_impulse(impuls_ids: list[int]) -> list[Glied]:
    """The measures taken up from these impulses and the decisions on them (one query)."""
    massnahmen = (
        db.session.scalars(
            select(Massnahme)
            .options(
                joinedload(Massnahme.zyklus),
                selectinload(Massnahme.drittmittel),
                selectinload(Massnahme.beschluesse).joinedload(Beschluss.gremium),
            )
            .join(massnahme_impuls, massnahme_impuls.c.massnahme_id == Massnahme.id)
            .where(massnahme_impuls.c.impuls_id.in_(impuls_ids))
            .order_by(Massnahme.id)
        )
        .unique()
        .all()
    )
    return [glied for m in massnahmen for glied in _glieder(m)]


def _glieder(m: Massnahme) -> list[Glied]:
    rang = f", Priorität {m.prioritaet}" if m.prioritaet else ""
    steps = [
        Glied(
            "Maßnahme",
            f"{m.titel} ({m.zyklus.titel}{rang}, {m.status.label})",
            m.created_at,
            url_for("massnahmen.detail", massnahme_id=m.id),
        )
    ]
    for b in m.beschluesse:
        schritt = (
            "Verwaltungsvorstand"
            if b.gremium.typ == GremiumTyp.VERWALTUNGSVORSTAND
            else "Fachausschuss"
        )
        drucksache = f", Drucksache {b.drucksache}" if b.drucksache else ""
        steps.append(
            Glied(
                schritt,
                f"{b.gremium.name}: {b.ergebnis.label}{drucksache}",
                b.datum,
                details=[b.bemerkung] if b.bemerkung else [],
            )
        )
    return steps
