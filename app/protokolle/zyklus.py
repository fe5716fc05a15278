"""The cycle guard "Protokoll liegt vor" for phase moves and for concluding Stränge."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core.i18n import datum
from app.core.types import utcnow
from app.extensions import db
from app.protokolle.models import Protokoll, ProtokollStatus
from app.sitzungen.models import Sitzung, SitzungStatus
from app.stammdaten.models import GremiumTyp
from app.workflows.guards import Pruefergebnis, erfuellt, fehlt, guard
from app.workflows.machine import PHASEN
from app.workflows.models import Phase, Strang, Zyklus

GUARD_NAME = "protokoll_liegt_vor"
GUARD_LABEL = "Protokoll liegt vor"


def held_sitzungen(
    zyklus_id: int, gremium_ids: list[int]
) -> list[tuple[Sitzung, Protokoll | None]]:
    """Meetings of the cycle in these Gremien that have begun and were not cancelled."""
    if not gremium_ids:
        return []
    rows = db.session.execute(
        select(Sitzung, Protokoll)
        .options(joinedload(Sitzung.gremium))
        .outerjoin(Protokoll, Protokoll.sitzung_id == Sitzung.id)
        .where(
            Sitzung.zyklus_id == zyklus_id,
            Sitzung.gremium_id.in_(gremium_ids),
            Sitzung.status != SitzungStatus.ABGESAGT,
            Sitzung.beginn <= utcnow(),
        )
        .order_by(Sitzung.beginn)
    ).all()
    return [(s, p) for s, p in rows]


def minutes_state(zyklus_id: int, gremium_ids: list[int], wer: str) -> Pruefergebnis:
    """Met when at least one meeting took place and every held meeting has approved minutes."""
    rows = held_sitzungen(zyklus_id, gremium_ids)
    if not rows:
        return fehlt(
            f"Für {wer} gibt es in diesem Zyklus noch keine durchgeführte Sitzung mit "
            "freigegebenem Protokoll."
        )
    fehlend = [s for s, p in rows if p is None or p.status != ProtokollStatus.FREIGEGEBEN]
    if not fehlend:
        return erfuellt()
    liste = ", ".join(f"„{s.titel}“ ({s.gremium.name}, {datum(s.beginn)})" for s in fehlend)
    return fehlt(
        f"Noch kein freigegebenes Protokoll: {liste}. Die Moderation lädt es hoch, "
        "die Stabsstelle oder der Vorsitz gibt es frei."
    )


def _phase_gremien(zyklus: Zyklus, phase: Phase) -> list[int]:
    typen = PHASEN[phase].gremium_typen
    return [g.id for g in zyklus.gremien if g.typ in typen]


@guard(
    GUARD_NAME,
    GUARD_LABEL,
    uebergaenge=[
        (Phase.PLANUNGSRUNDE, Phase.BETEILIGUNG),
        (Phase.VERWALTUNGSVORSTAND, Phase.POLITIK),
        (Phase.POLITIK, Phase.ABGESCHLOSSEN),
    ],
    strang_typen=[GremiumTyp.STADTTEILARBEITSKREIS, GremiumTyp.TRAEGERRUNDE],
)
def protokoll_liegt_vor(zyklus: Zyklus, strang: Strang | None = None) -> Pruefergebnis:
    """A track or phase closes only when its meetings' minutes are approved."""
    if strang is not None:
        return minutes_state(zyklus.id, [strang.gremium_id], f"„{strang.gremium.name}“")
    return minutes_state(
        zyklus.id, _phase_gremien(zyklus, zyklus.phase), f"die Phase „{zyklus.phase.kurz}“"
    )
