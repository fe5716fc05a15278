"""Impulses taken from a Träger's answer: creating them with their link, and what this package
registers with the impulse register (the origin, the link's carry-over)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import insert, select
from sqlalchemy.orm import joinedload

from app.beteiligung import suchquellen  # noqa: F401  (registers the search source)
from app.beteiligung.models import Rueckmeldung, RueckmeldungAntwort, antwort_impuls
from app.extensions import db
from app.impulse.herkunft import Glied, quelle, verknuepfungstabelle
from app.impulse.models import Impuls, ImpulsQuelle
from app.impulse.services import create_impuls


def create_impuls_aus_antwort(antwort: RueckmeldungAntwort, user_id: int, **felder: Any) -> Impuls:
    """A new impulse from one answer, linked to it (flushes)."""
    impuls = create_impuls(
        felder.pop("titel"), ImpulsQuelle.TRAEGER, erstellt_von_id=user_id, **felder
    )
    db.session.execute(insert(antwort_impuls).values(impuls_id=impuls.id, antwort_id=antwort.id))
    return impuls


@quelle
def aus_antwort(impuls: Impuls) -> Glied | None:
    """The Träger's answer the impulse was taken from."""
    antwort = db.session.scalar(
        select(RueckmeldungAntwort)
        .options(
            joinedload(RueckmeldungAntwort.rueckmeldung).joinedload(Rueckmeldung.organisation),
            joinedload(RueckmeldungAntwort.rueckmeldung).joinedload(Rueckmeldung.bogen),
        )
        .join(antwort_impuls, antwort_impuls.c.antwort_id == RueckmeldungAntwort.id)
        .where(antwort_impuls.c.impuls_id == impuls.id)
    )
    if antwort is None:
        return None
    rm = antwort.rueckmeldung
    return Glied(
        "Herkunft",
        f"Rückmeldung {rm.organisation.name} zu „{rm.bogen.titel}“",
        impuls.created_at,
        url_for("beteiligung.rueckmeldung", rueckmeldung_id=rm.id),
    )


verknuepfungstabelle(
    antwort_impuls, "antwort_id"
)  # its links follow an impulse into the next cycle
