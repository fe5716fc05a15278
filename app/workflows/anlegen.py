"""Creating a cycle and its follow-up cycle with their Stränge."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask import current_app
from sqlalchemy import select

from app.auth.models import User
from app.core.i18n import anzahl
from app.core.permissions import can
from app.extensions import db
from app.stammdaten.models import Gremium
from app.workflows.abfragen import lock_zyklus
from app.workflows.fehler import Forbidden, InvalidRequest, StaleState
from app.workflows.machine import (
    STRANG_TYPEN,
)
from app.workflows.models import (
    Phase,
    Strang,
    VerlaufArt,
    Verlaufseintrag,
    Zyklus,
)
from app.workflows.signals import (
    carry_over_providers,
    zyklus_created,
)
from app.workflows.uebergaenge import write_verlauf

# --------------------------------------------------------------------------- creating


def _strang_sort_key(gremium: Gremium) -> tuple[int, str]:
    return (STRANG_TYPEN.index(gremium.typ), gremium.name)


def create_zyklus(
    titel: str,
    beginn: date,
    ende: date,
    gremien: Iterable[Gremium],
    user: User,
    *,
    erinnerung_tage: int | None = None,
    vorgaenger: Zyklus | None = None,
) -> Zyklus:
    """A new cycle in phase Datenbasis with one open Strang per Beteiligung Gremium."""
    if not can(user, "zyklus.anlegen"):
        raise Forbidden("Nur die Stabsstelle Sozialplanung kann Planungszyklen anlegen.")
    titel = titel.strip()
    if ende < beginn:
        raise InvalidRequest("Das Ende darf nicht vor dem Beginn liegen.", field="ende")
    if db.session.scalar(select(Zyklus.id).where(Zyklus.titel == titel)) is not None:
        raise InvalidRequest(f"Es gibt bereits einen Planungszyklus „{titel}“.", field="titel")
    gremien = list(dict.fromkeys(gremien))
    default_tage = int(current_app.config.get("ZYKLUS_ERINNERUNG_TAGE", 7))
    zyklus = Zyklus(
        titel=titel,
        beginn=beginn,
        ende=ende,
        phase=Phase.DATENBASIS,
        erinnerung_tage=default_tage if erinnerung_tage is None else erinnerung_tage,
        vorgaenger_id=vorgaenger.id if vorgaenger else None,
        angelegt_von_id=user.id,
    )
    zyklus.gremien = gremien
    beteiligte = sorted((g for g in gremien if g.typ in STRANG_TYPEN), key=_strang_sort_key)
    zyklus.straenge = [Strang(gremium=g) for g in beteiligte]
    db.session.add(zyklus)
    db.session.flush()
    write_verlauf(zyklus, VerlaufArt.ANGELEGT, user, nach=Phase.DATENBASIS)
    db.session.flush()
    zyklus_created.send(zyklus, vorgaenger=vorgaenger, user=user)
    return zyklus


def start_folgezyklus(
    vorgaenger_id: int, *, user: User, titel: str, beginn: date, ende: date
) -> tuple[Zyklus, list[str]]:
    """The next cycle of a finished one: same Gremien, Stränge, settings, plus open items."""
    alt = lock_zyklus(vorgaenger_id)
    if not can(user, "zyklus.folgezyklus", alt):
        raise Forbidden("Nur die Stabsstelle Sozialplanung kann einen Folgezyklus anlegen.")
    if alt.phase != Phase.ABGESCHLOSSEN:
        raise InvalidRequest(
            "Ein Folgezyklus kann erst angelegt werden, wenn dieser Zyklus abgeschlossen ist."
        )
    existing = db.session.scalar(select(Zyklus).where(Zyklus.vorgaenger_id == alt.id))
    if existing is not None:
        raise StaleState(
            f"Für „{alt.titel}“ wurde bereits der Folgezyklus „{existing.titel}“ angelegt."
        )
    gremien = [g for g in alt.gremien if g.aktiv]
    neu = create_zyklus(
        titel, beginn, ende, gremien, user, erinnerung_tage=alt.erinnerung_tage, vorgaenger=alt
    )
    notes = [
        f"{anzahl(len(gremien), 'Gremium', 'Gremien')} und "
        f"{anzahl(len(neu.straenge), 'Beteiligungsstrang', 'Beteiligungsstränge')} übernommen"
    ]
    for provider in list(carry_over_providers):
        notes.extend(provider(alt, neu) or [])
    entry = db.session.scalar(
        select(Verlaufseintrag).where(
            Verlaufseintrag.zyklus_id == neu.id, Verlaufseintrag.art == VerlaufArt.ANGELEGT
        )
    )
    entry.begruendung = f"Folgezyklus von „{alt.titel}“. " + "; ".join(notes) + "."
    db.session.flush()
    return neu, notes
