"""The traceable chain of one impulse across cycles: source → Planungsrunde → Maßnahme →
board decision → committee decision → umgesetzt (source and later steps come from the
providers registered in ``app.impulse.herkunft``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.impulse.herkunft import Glied, folgen_von
from app.impulse.models import Impuls, ImpulsStatus, ImpulsVerlauf


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
    impulse = lineage(impuls)
    ids = [i.id for i in impulse]
    verlauf = db.session.scalars(
        select(ImpulsVerlauf)
        .options(joinedload(ImpulsVerlauf.user))
        .where(ImpulsVerlauf.impuls_id.in_(ids))
        .order_by(ImpulsVerlauf.id)
    ).all()
    zyklen = {i.id: (i.zyklus.titel if i.zyklus else "ohne Zyklus") for i in impulse}
    glieder = [quelle] if quelle else []
    glieder += _planung(verlauf, zyklen)
    glieder += folgen_von(ids)
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
