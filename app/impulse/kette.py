"""The traceable chain of one impulse across cycles: source → Planungsrunde → Maßnahme →
board decision → committee decision → umgesetzt."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.impulse.models import Impuls, ImpulsStatus, ImpulsVerlauf
from app.stammdaten.models import GremiumTyp


@dataclass
class Glied:
    """One step of the chain, for the page."""

    schritt: str
    text: str
    zeitpunkt: datetime | date | None = None
    url: str | None = None
    details: list[str] = field(default_factory=list)


@dataclass
class Kette:
    """The impulse in every cycle it passed through, and the steps in order."""

    impulse: list[Impuls]
    glieder: list[Glied]
    erreicht: set[str]


SCHRITTE = (
    "Herkunft",
    "Planungsrunde",
    "Maßnahme",
    "Verwaltungsvorstand",
    "Fachausschuss",
    "Umgesetzt",
)


def lineage(impuls: Impuls) -> list[Impuls]:
    """The impulse and its copies in earlier and later cycles, oldest first."""
    chain = [impuls]
    current = impuls
    while current.vorgaenger_id is not None:
        current = db.session.get(Impuls, current.vorgaenger_id)
        chain.insert(0, current)
    current = impuls
    while nxt := db.session.scalar(select(Impuls).where(Impuls.vorgaenger_id == current.id)):
        chain.append(nxt)
        current = nxt
    return chain


def build(impuls: Impuls, quelle: Glied | None) -> Kette:
    """Every step of the chain with dates and links (a fixed number of queries)."""
    from app.massnahmen.models import Beschluss, Massnahme, massnahme_impuls

    impulse = lineage(impuls)
    ids = [i.id for i in impulse]
    verlauf = db.session.scalars(
        select(ImpulsVerlauf)
        .options(joinedload(ImpulsVerlauf.user))
        .where(ImpulsVerlauf.impuls_id.in_(ids))
        .order_by(ImpulsVerlauf.id)
    ).all()
    massnahmen = (
        db.session.scalars(
            select(Massnahme)
            .options(
                joinedload(Massnahme.zyklus),
                selectinload(Massnahme.drittmittel),
                selectinload(Massnahme.beschluesse).joinedload(Beschluss.gremium),
            )
            .join(massnahme_impuls, massnahme_impuls.c.massnahme_id == Massnahme.id)
            .where(massnahme_impuls.c.impuls_id.in_(ids))
            .order_by(Massnahme.id)
        )
        .unique()
        .all()
    )
    zyklen = {i.id: (i.zyklus.titel if i.zyklus else "ohne Zyklus") for i in impulse}
    glieder = [quelle] if quelle else []
    glieder += _planung(verlauf, zyklen)
    glieder += _massnahmen(massnahmen)
    glieder.sort(key=lambda g: SCHRITTE.index(g.schritt))
    return Kette(impulse, glieder, {g.schritt for g in glieder})


def _planung(verlauf: list[ImpulsVerlauf], zyklen: dict[int, str]) -> list[Glied]:
    steps = []
    for e in verlauf:
        if e.von is None:
            continue
        schritt = "Umgesetzt" if e.nach == ImpulsStatus.UMGESETZT else "Planungsrunde"
        text = f"{e.von.label} → {e.nach.label} ({zyklen.get(e.impuls_id, '')})"
        details = [f"Begründung: {e.begruendung}"] if e.begruendung else []
        steps.append(Glied(schritt, text, e.zeitpunkt, details=details))
    return steps


def _massnahmen(massnahmen: list[Any]) -> list[Glied]:
    from flask import url_for

    steps = []
    for m in massnahmen:
        rang = f", Priorität {m.prioritaet}" if m.prioritaet else ""
        steps.append(
            Glied(
                "Maßnahme",
                f"{m.titel} ({m.zyklus.titel}{rang}, {m.status.label})",
                m.created_at,
                url_for("massnahmen.detail", massnahme_id=m.id),
            )
        )
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
