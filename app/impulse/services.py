"""Impulse operations; they flush, never commit."""

from __future__ import annotations

from app.extensions import db
from app.impulse.models import Impuls, ImpulsAdressat, ImpulsQuelle, ImpulsStatus


class ImpulsError(ValueError):
    """A refused impulse; the message is German."""


def create_impuls(
    titel: str,
    quelle: ImpulsQuelle,
    *,
    erstellt_von_id: int | None,
    beschreibung: str | None = None,
    sozialraum_id: int | None = None,
    adressiert_an: ImpulsAdressat = ImpulsAdressat.PLANUNGSRUNDE,
    zyklus_id: int | None = None,
    quelle_antwort_id: int | None = None,
    quelle_gremium_id: int | None = None,
    quelle_protokoll_id: int | None = None,
) -> Impuls:
    """Record a new impulse as ``eingegangen``; every feature that creates impulses calls this."""
    titel = (titel or "").strip()
    if not titel:
        raise ImpulsError("Ein Impuls braucht einen Titel.")
    impuls = Impuls(
        titel=titel[:200],
        beschreibung=(beschreibung or "").strip() or None,
        quelle=quelle,
        sozialraum_id=sozialraum_id,
        adressiert_an=adressiert_an,
        status=ImpulsStatus.EINGEGANGEN,
        zyklus_id=zyklus_id,
        quelle_antwort_id=quelle_antwort_id,
        quelle_gremium_id=quelle_gremium_id,
        quelle_protokoll_id=quelle_protokoll_id,
        erstellt_von_id=erstellt_von_id,
    )
    db.session.add(impuls)
    db.session.flush()
    return impuls
