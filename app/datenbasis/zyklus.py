"""Where the Sozialreport meets the planning cycle, read only through app.workflows' public API.

- Leaving ``datenbasis`` needs the guard "Sozialreport-Entwurf liegt vor".
- Chapters change only while the phase flag ``sozialreport_bearbeitbar`` holds.
- Publication needs the cycle to have passed the Planungsrunde (phase ordering).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import exists, select

from app.datenbasis.models import Kapitel, Sozialreport
from app.extensions import db
from app.workflows.guards import Pruefergebnis, erfuellt, fehlt, guard
from app.workflows.machine import sozialreport_bearbeitbar
from app.workflows.models import Phase, Zyklus

if TYPE_CHECKING:
    from app.workflows.models import Strang

GUARD_NAME = "sozialreport_entwurf"


def cycle_passed_planungsrunde(zyklus: Zyklus | None) -> bool:
    """The cycle has moved beyond the Planungsrunde : the report may be published."""
    return zyklus is not None and zyklus.phase.index > Phase.PLANUNGSRUNDE.index


def report_editable_in_cycle(zyklus: Zyklus) -> bool:
    """Chapters change only while the cycle is in Datenbasis or Planungsrunde."""
    return sozialreport_bearbeitbar(zyklus)


def has_report_draft(zyklus_id: int) -> bool:
    """A Sozialreport with at least one chapter exists for the cycle."""
    query = select(
        exists()
        .where(Sozialreport.zyklus_id == zyklus_id)
        .where(Kapitel.report_id == Sozialreport.id)
    )
    return bool(db.session.scalar(query))


@guard(
    GUARD_NAME,
    "Sozialreport-Entwurf liegt vor",
    uebergaenge=[(Phase.DATENBASIS, Phase.PLANUNGSRUNDE)],
)
def _sozialreport_entwurf(zyklus: Zyklus, strang: Strang | None = None) -> Pruefergebnis:
    """The Planungsrunde discusses the data, so a draft report must exist before it starts."""
    if has_report_draft(zyklus.id):
        return erfuellt()
    return fehlt(
        "Für diesen Planungszyklus gibt es noch keinen Sozialreport-Entwurf mit mindestens "
        "einem Kapitel. Legen Sie ihn unter „Sozialreports“ an."
    )


def cycles() -> list[Zyklus]:
    """Cycles a new report can belong to, newest first."""
    return list(db.session.scalars(select(Zyklus).order_by(Zyklus.beginn.desc(), Zyklus.id.desc())))
