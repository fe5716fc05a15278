"""Cycle guards: the Vorlage leaves a phase only with the decisions of that phase's bodies."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.stammdaten.models import GremiumTyp
from app.vorlagen.models import Beratung, Vorlage
from app.workflows.guards import Pruefergebnis, erfuellt, fehlt, guard
from app.workflows.models import Phase, Strang, Zyklus

GUARD_VORSTAND = "vorlage_beschluss_verwaltungsvorstand"
GUARD_POLITIK = "vorlage_beschluss_politik"


def _beratungen(zyklus_id: int, typ: GremiumTyp) -> list[Beratung] | None:
    vorlage = db.session.scalar(
        select(Vorlage)
        .options(
            selectinload(Vorlage.beratungen).options(
                joinedload(Beratung.gremium), selectinload(Beratung.beschluesse)
            )
        )
        .where(Vorlage.zyklus_id == zyklus_id)
    )
    if vorlage is None:
        return None
    return [b for b in vorlage.beratungen if b.gremium.typ == typ]


def beschluesse_liegen_vor(zyklus: Zyklus, typ: GremiumTyp, wer: str) -> Pruefergebnis:
    """Every body of ``typ`` in the Beratungsfolge has decided (not merely postponed)."""
    beratungen = _beratungen(zyklus.id, typ)
    if beratungen is None:
        return fehlt(
            "Für diesen Planungszyklus gibt es noch keine Vorlage. Die Stabsstelle legt sie "
            "unter „Vorlage“ an; danach beschließt " + wer + "."
        )
    if not beratungen:
        return fehlt(f"In der Beratungsfolge der Vorlage steht kein Gremium für {wer}.")
    offen = [b.gremium.name for b in beratungen if not b.erledigt]
    if not offen:
        return erfuellt()
    return fehlt(
        "Noch kein Beschluss zur Vorlage von: " + ", ".join(offen) + ". Der Vorsitz (oder die "
        "Stabsstelle im Auftrag) erfasst den Beschluss auf der Seite der Vorlage."
    )


@guard(
    GUARD_VORSTAND,
    "Beschluss des Verwaltungsvorstands zur Vorlage liegt vor",
    uebergaenge=[(Phase.VERWALTUNGSVORSTAND, Phase.POLITIK)],
)
def _vorstand(zyklus: Zyklus, strang: Strang | None = None) -> Pruefergebnis:
    return beschluesse_liegen_vor(zyklus, GremiumTyp.VERWALTUNGSVORSTAND, "der Verwaltungsvorstand")


@guard(
    GUARD_POLITIK,
    "Beschlüsse der Fachausschüsse zur Vorlage liegen vor",
    uebergaenge=[(Phase.POLITIK, Phase.ABGESCHLOSSEN)],
)
def _politik(zyklus: Zyklus, strang: Strang | None = None) -> Pruefergebnis:
    return beschluesse_liegen_vor(zyklus, GremiumTyp.FACHAUSSCHUSS, "die Fachausschüsse")
