"""The link between Rückmeldebögen and the planning cycle (``app.workflows``).

A form is tied to a cycle phase (``zyklus_id`` + ``phase``) or to a Gremium's track
(``strang_id``). Its deadline feeds the guard "Rückmeldefrist abgelaufen": a Trägerrunde track
(and the move from the Beteiligung to the Verwaltungsvorstand) can only be concluded when every
linked form has closed or every addressed organisation has submitted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.beteiligung.models import BogenStatus, Rueckmeldebogen, Rueckmeldung, RueckmeldungStatus
from app.core.i18n import datumzeit
from app.core.types import utcnow
from app.extensions import db
from app.stammdaten.models import GremiumTyp
from app.workflows.guards import Pruefergebnis, erfuellt, fehlt, guard
from app.workflows.machine import PHASEN
from app.workflows.models import Phase, Strang, Zyklus

GUARD_NAME = "rueckmeldefrist_abgelaufen"
GUARD_LABEL = "Rückmeldefrist abgelaufen"
KEINE = ("", "– nicht verknüpft –")


def rueckmelde_phasen() -> list[Phase]:
    """Phases in which feedback forms are collected (by the phase flag, not by name)."""
    return [phase for phase, info in PHASEN.items() if info.rueckmeldungen]


def zuordnung_choices(bogen: Rueckmeldebogen | None = None) -> list[tuple[str, str]]:
    """Options: feedback phases and tracks of unfinished cycles, plus the current link."""
    zyklen = list(
        db.session.scalars(
            select(Zyklus)
            .options(selectinload(Zyklus.straenge).selectinload(Strang.gremium))
            .where(Zyklus.phase != Phase.ABGESCHLOSSEN)
            .order_by(Zyklus.beginn.desc())
        )
    )
    if bogen is not None and bogen.zyklus is not None and bogen.zyklus not in zyklen:
        zyklen.append(bogen.zyklus)
    choices = [KEINE]
    for zyklus in zyklen:
        choices += [
            (f"z{zyklus.id}:{p.value}", f"{zyklus.titel} – Phase {p.label}")
            for p in rueckmelde_phasen()
        ]
        choices += [
            (f"s{s.id}", f"{zyklus.titel} – Strang {s.gremium.name}") for s in zyklus.straenge
        ]
    return choices


def zuordnung_value(bogen: Rueckmeldebogen) -> str:
    """The select value of a form's current link."""
    if bogen.strang_id is not None:
        return f"s{bogen.strang_id}"
    if bogen.zyklus_id is not None and bogen.phase is not None:
        return f"z{bogen.zyklus_id}:{bogen.phase.value}"
    return ""


def parse_zuordnung(value: str | None) -> dict[str, Any]:
    """``zyklus_id``, ``phase`` and ``strang_id`` from a select value (already validated)."""
    empty: dict[str, Any] = {"zyklus_id": None, "phase": None, "strang_id": None}
    if not value:
        return empty
    if value.startswith("s"):
        strang = db.session.get(Strang, int(value[1:]))
        if strang is None:
            return empty
        return {
            "zyklus_id": strang.zyklus_id,
            "phase": None,
            "strang_id": strang.id,
            "strang_gremium_id": strang.gremium_id,
        }
    zyklus_id, _, phase = value[1:].partition(":")
    return {"zyklus_id": int(zyklus_id), "phase": Phase(phase), "strang_id": None}


def linked_forms(zyklus_id: int, strang: Strang | None = None) -> list[Rueckmeldebogen]:
    """The forms of a cycle; for a track those of the track (or of its Gremium in the cycle)."""
    query = select(Rueckmeldebogen).where(Rueckmeldebogen.zyklus_id == zyklus_id)
    if strang is not None:
        query = query.where(
            or_(
                Rueckmeldebogen.strang_id == strang.id,
                (Rueckmeldebogen.strang_id.is_(None))
                & (Rueckmeldebogen.gremium_id == strang.gremium_id),
            )
        )
    return list(db.session.scalars(query.order_by(Rueckmeldebogen.frist)))


def _counts(bogen_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per form: (submitted, addressed)."""
    if not bogen_ids:
        return {}
    rows = db.session.execute(
        select(
            Rueckmeldung.bogen_id,
            func.count().filter(Rueckmeldung.status == RueckmeldungStatus.EINGEREICHT),
            func.count(),
        )
        .where(Rueckmeldung.bogen_id.in_(bogen_ids))
        .group_by(Rueckmeldung.bogen_id)
    )
    return {bogen_id: (done, total) for bogen_id, done, total in rows}


def laufende_verlaengerungen(
    bogen_ids: list[int], now: datetime | None = None
) -> dict[int, tuple[int, datetime]]:
    """Per form: how many unsubmitted organisations still have time, and until when at most."""
    if not bogen_ids:
        return {}
    now = now or utcnow()
    rows = db.session.execute(
        select(Rueckmeldung.bogen_id, func.count(), func.max(Rueckmeldung.frist_verlaengert_bis))
        .where(
            Rueckmeldung.bogen_id.in_(bogen_ids),
            Rueckmeldung.status != RueckmeldungStatus.EINGEREICHT,
            Rueckmeldung.frist_verlaengert_bis > now,
        )
        .group_by(Rueckmeldung.bogen_id)
    )
    return {bogen_id: (count, bis) for bogen_id, count, bis in rows}


def offene_fristen(zyklus_id: int, strang: Strang | None = None) -> list[str]:
    """German explanations for every linked form whose feedback period is still running."""
    now = utcnow()
    boegen = linked_forms(zyklus_id, strang)
    counts = _counts([b.id for b in boegen])
    verlaengert = laufende_verlaengerungen([b.id for b in boegen], now)
    offen = []
    for bogen in boegen:
        done, total = counts.get(bogen.id, (0, 0))
        if bogen.status == BogenStatus.ENTWURF:
            offen.append(f"„{bogen.titel}“ ist noch nicht veröffentlicht")
        elif bogen.status == BogenStatus.VEROEFFENTLICHT and bogen.frist > now and done < total:
            offen.append(
                f"„{bogen.titel}“ läuft bis {datumzeit(bogen.frist)} Uhr "
                f"({done} von {total} {'Organisation' if total == 1 else 'Organisationen'} "
                f"{'hat' if done == 1 else 'haben'} eingereicht)"
            )
        elif bogen.id in verlaengert:
            anzahl, bis = verlaengert[bogen.id]
            wer = "eine Organisation hat" if anzahl == 1 else f"{anzahl} Organisationen haben"
            offen.append(f"„{bogen.titel}“: {wer} eine verlängerte Frist bis {datumzeit(bis)} Uhr")
    return offen


@guard(
    GUARD_NAME,
    GUARD_LABEL,
    uebergaenge=[(Phase.BETEILIGUNG, Phase.VERWALTUNGSVORSTAND)],
    strang_typen=[GremiumTyp.TRAEGERRUNDE],
)
def rueckmeldefrist_abgelaufen(zyklus: Zyklus, strang: Strang | None = None) -> Pruefergebnis:
    """Met when every linked form has closed (deadline passed) or all addressees submitted."""
    offen = offene_fristen(zyklus.id, strang)
    if not offen:
        return erfuellt()
    return fehlt("Die Rückmeldefrist ist noch nicht abgelaufen: " + "; ".join(offen) + ".")
