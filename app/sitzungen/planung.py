"""Planning meetings and their agenda, and tying them to a planning cycle."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.core.types import utcnow
from app.dateien.models import Datei
from app.dateien.services import delete_datei
from app.extensions import db
from app.sitzungen.einladungen import request_fan_out
from app.sitzungen.grundlagen import ORT_FELDER, SitzungError
from app.sitzungen.models import (
    Sitzung,
    SitzungStatus,
    Tagesordnungspunkt,
)
from app.stammdaten.models import Gremium

# --------------------------------------------------------------------------- planning


def create_sitzung(gremium: Gremium, erstellt_von: User | None, **felder: Any) -> Sitzung:
    """A planned meeting; nobody is invited yet."""
    sitzung = Sitzung(
        gremium_id=gremium.id, erstellt_von_id=erstellt_von.id if erstellt_von else None
    )
    sitzung.gremium = gremium
    for key, value in felder.items():
        setattr(sitzung, key, value)
    db.session.add(sitzung)
    db.session.flush()
    return sitzung


def update_sitzung(sitzung: Sitzung, **felder: Any) -> bool:
    """Change the meeting; a new time or place goes to everyone invited (SEQUENCE + 1)."""
    if not sitzung.offen_fuer_aenderungen:
        raise SitzungError(
            "Eine durchgeführte oder abgesagte Sitzung kann nicht mehr geändert werden."
        )
    moved = any(
        key in ORT_FELDER and getattr(sitzung, key) != value for key, value in felder.items()
    )
    for key, value in felder.items():
        setattr(sitzung, key, value)
    if moved and sitzung.status == SitzungStatus.EINGELADEN:
        sitzung.sequence += 1
        request_fan_out(sitzung)
    db.session.flush()
    return moved


def add_top(
    sitzung: Sitzung, titel: str, beschreibung: str | None, datei: Datei | None = None
) -> Tagesordnungspunkt:
    """Append an agenda item, optionally with its first document."""
    position = max((t.position for t in sitzung.tagesordnungspunkte), default=0) + 1
    top = Tagesordnungspunkt(titel=titel, beschreibung=beschreibung or None, position=position)
    sitzung.tagesordnungspunkte.append(top)
    if datei is not None:
        top.dateien.append(datei)
    db.session.flush()
    return top


def _renumber(sitzung: Sitzung) -> None:
    for number, top in enumerate(
        sorted(sitzung.tagesordnungspunkte, key=lambda t: (t.position, t.id)), 1
    ):
        top.position = number


def move_top(top: Tagesordnungspunkt, richtung: str) -> None:
    """Swap an item with its neighbour ('hoch' or 'runter')."""
    tops = sorted(top.sitzung.tagesordnungspunkte, key=lambda t: (t.position, t.id))
    index = tops.index(top)
    other = index - 1 if richtung == "hoch" else index + 1
    if 0 <= other < len(tops):
        tops[index], tops[other] = tops[other], tops[index]
    for number, item in enumerate(tops, 1):
        item.position = number
    top.sitzung.tagesordnungspunkte.sort(key=lambda t: t.position)
    db.session.flush()


def delete_top(top: Tagesordnungspunkt) -> None:
    """Remove an item with its documents and close the gap in the numbering."""
    sitzung = top.sitzung
    for datei in list(top.dateien):
        remove_datei(top, datei)
    sitzung.tagesordnungspunkte.remove(top)
    db.session.flush()
    _renumber(sitzung)
    db.session.flush()


def attach_datei(top: Tagesordnungspunkt, datei: Datei) -> None:
    """Attach a stored upload to an agenda item."""
    top.dateien.append(datei)
    db.session.flush()


def remove_datei(top: Tagesordnungspunkt, datei: Datei) -> None:
    """Detach and delete a document (the file goes once the change is committed)."""
    top.dateien.remove(datei)
    db.session.flush()
    delete_datei(datei)


def find_top_datei(sitzung: Sitzung, datei_id: int) -> Datei | None:
    """A document attached to one of this meeting's items, or None."""
    return db.session.scalar(
        select(Datei)
        .join(Tagesordnungspunkt.dateien)
        .where(Tagesordnungspunkt.sitzung_id == sitzung.id, Datei.id == datei_id)
    )


def mark_held(sitzung: Sitzung) -> None:
    """Record that the meeting took place (the minutes issue continues from here)."""
    if sitzung.status not in (SitzungStatus.GEPLANT, SitzungStatus.EINGELADEN):
        raise SitzungError(
            "Nur geplante oder einberufene Sitzungen können als durchgeführt markiert werden."
        )
    if sitzung.beginn > utcnow():
        raise SitzungError("Die Sitzung hat noch nicht begonnen.")
    sitzung.status = SitzungStatus.DURCHGEFUEHRT
    db.session.flush()


def cancel_sitzung(sitzung: Sitzung, grund: str | None) -> None:
    """Cancel: everyone invited gets METHOD:CANCEL with the next SEQUENCE."""
    if not sitzung.offen_fuer_aenderungen:
        raise SitzungError("Diese Sitzung ist bereits durchgeführt oder abgesagt.")
    was_invited = sitzung.status == SitzungStatus.EINGELADEN
    sitzung.status = SitzungStatus.ABGESAGT
    sitzung.absage_grund = grund or None
    if was_invited:
        sitzung.sequence += 1
        request_fan_out(sitzung)
    db.session.flush()


# --------------------------------------------------------------------------- planning cycle


def zyklus_choices(gremium_id: int | None, current_id: int | None = None) -> list[Any]:
    """Cycles a meeting can belong to: running ones (of the Gremium, if known) and the current."""
    from app.workflows.models import Zyklus
    from app.workflows.services import active_zyklen, zyklen_for_gremium

    zyklen = active_zyklen()
    if gremium_id is not None:
        own = {z.id for z in zyklen_for_gremium(gremium_id)}
        zyklen = [z for z in zyklen if z.id in own]
    if current_id is not None and all(z.id != current_id for z in zyklen):
        current = db.session.get(Zyklus, current_id)
        zyklen += [current] if current else []
    return zyklen


def default_phase(zyklus: Any, gremium: Gremium) -> Any:
    """The phase a new meeting belongs to: its Gremium's phase while that is now or ahead,
    else the phase the cycle stands in now (a meeting is never filed under a past phase)."""
    from app.workflows.machine import phase_fuer_gremium

    eigene = phase_fuer_gremium(gremium)
    if eigene is None or eigene.index < zyklus.phase.index:
        return zyklus.phase
    return eigene


def tie_to_zyklus(sitzung: Sitzung, zyklus_id: int | None, phase: Any = None) -> None:
    """Place the meeting in a cycle's phase (default: ``default_phase``) and, in the
    Beteiligung, on the Gremium's Strang; ``None`` unties it."""
    from app.workflows.models import Phase, Zyklus
    from app.workflows.services import find_strang, zyklen_for_gremium

    if zyklus_id is None:
        sitzung.zyklus_id = sitzung.phase = sitzung.strang_id = None
        return
    zyklus = db.session.get(Zyklus, zyklus_id)
    if zyklus is None:
        raise SitzungError("Diesen Planungszyklus gibt es nicht.")
    if all(z.id != zyklus.id for z in zyklen_for_gremium(sitzung.gremium_id)):
        raise SitzungError(f"Das Gremium nimmt am Planungszyklus „{zyklus.titel}“ nicht teil.")
    gremium = sitzung.gremium or db.session.get(Gremium, sitzung.gremium_id)
    sitzung.zyklus_id = zyklus.id
    sitzung.phase = Phase(phase) if phase else default_phase(zyklus, gremium)
    strang = find_strang(zyklus.id, sitzung.gremium_id)
    sitzung.strang_id = strang.id if strang and sitzung.phase == Phase.BETEILIGUNG else None
    db.session.flush()


def sitzungen_of_zyklus(
    zyklus_id: int, phase: Any = None, strang_id: int | None = None
) -> list[Sitzung]:
    """Meetings of a cycle (optionally of one phase or Strang), for guards and the minutes."""
    query = (
        select(Sitzung)
        .options(joinedload(Sitzung.gremium))
        .where(Sitzung.zyklus_id == zyklus_id)
        .order_by(Sitzung.beginn)
    )
    if phase is not None:
        query = query.where(Sitzung.phase == phase)
    if strang_id is not None:
        query = query.where(Sitzung.strang_id == strang_id)
    return list(db.session.scalars(query))
