"""The state machine in one place: phases with their Gremien and flags, and every allowed move.

Everything that depends on "what happens in which phase" reads the tables here: the
transition service, the permission rules (``Uebergang.action``), the diagram, the
notifications (``PhaseInfo.gremium_typen``) and the phase flags other features use
(``rueckmeldungen_offen(zyklus)`` …). Guards for the moves are registered in ``guards.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.stammdaten.models import GremiumTyp
from app.workflows.models import Phase, StrangStatus

if TYPE_CHECKING:
    from app.stammdaten.models import Gremium
    from app.workflows.models import Strang, Zyklus


@dataclass(frozen=True)
class PhaseInfo:
    """What a phase means: its Gremien and the flags other features read."""

    beschreibung: str
    gremium_typen: tuple[GremiumTyp, ...] = ()
    parallel: bool = False  # the Gremien work side by side in Stränge
    sozialreport_bearbeitbar: bool = False
    themen_sammeln: bool = False
    prioritaeten_bearbeitbar: bool = False
    rueckmeldungen: bool = False
    protokolle: bool = False
    beschluesse: bool = False


PHASEN: dict[Phase, PhaseInfo] = {
    Phase.DATENBASIS: PhaseInfo(
        "Statistiken, Interviews und Infrastrukturerhebungen werden zur Datenbasis und zum "
        "Sozialreport-Entwurf zusammengeführt.",
        sozialreport_bearbeitbar=True,
    ),
    Phase.PLANUNGSRUNDE: PhaseInfo(
        "Die städtische Planungsrunde diskutiert die Daten, sammelt Themen für die "
        "Stadtteilarbeitskreise und erarbeitet Prioritäten für den Mitteleinsatz.",
        (GremiumTyp.PLANUNGSRUNDE,),
        sozialreport_bearbeitbar=True,
        themen_sammeln=True,
        prioritaeten_bearbeitbar=True,
        protokolle=True,
    ),
    Phase.BETEILIGUNG: PhaseInfo(
        "Trägerrunde und Stadtteilarbeitskreise arbeiten nebeneinander; jeder Strang wird "
        "für sich abgeschlossen.",
        (GremiumTyp.TRAEGERRUNDE, GremiumTyp.STADTTEILARBEITSKREIS),
        parallel=True,
        rueckmeldungen=True,
        protokolle=True,
    ),
    Phase.VERWALTUNGSVORSTAND: PhaseInfo(
        "Der Verwaltungsvorstand berät die vorgeschlagenen Prioritäten und entscheidet, was "
        "in die Politik geht.",
        (GremiumTyp.VERWALTUNGSVORSTAND,),
        protokolle=True,
        beschluesse=True,
    ),
    Phase.POLITIK: PhaseInfo(
        "Die Ergebnisse werden in die politischen Fachausschüsse eingebracht.",
        (GremiumTyp.FACHAUSSCHUSS,),
        protokolle=True,
        beschluesse=True,
    ),
    Phase.ABGESCHLOSSEN: PhaseInfo(
        "Der Zyklus ist abgeschlossen; offene Punkte gehen in den Folgezyklus über."
    ),
}

STRANG_TYPEN = PHASEN[Phase.BETEILIGUNG].gremium_typen
INTERNE_TYPEN = (GremiumTyp.PLANUNGSRUNDE, GremiumTyp.VERWALTUNGSVORSTAND, GremiumTyp.FACHAUSSCHUSS)


@dataclass(frozen=True)
class Uebergang:
    """One allowed move: from, to, the permission it needs, and whether it is a referral back."""

    von: Phase
    nach: Phase
    label: str
    action: str = "zyklus.phase_wechseln"
    rueckverweisung: bool = False  # needs a written reason

    @property
    def key(self) -> str:
        return f"{self.von.value}>{self.nach.value}"


UEBERGAENGE: tuple[Uebergang, ...] = (
    Uebergang(Phase.DATENBASIS, Phase.PLANUNGSRUNDE, "Datenbasis an die Planungsrunde geben"),
    Uebergang(Phase.PLANUNGSRUNDE, Phase.BETEILIGUNG, "Beteiligung starten"),
    Uebergang(
        Phase.BETEILIGUNG, Phase.VERWALTUNGSVORSTAND, "Ergebnisse an den Verwaltungsvorstand geben"
    ),
    Uebergang(Phase.VERWALTUNGSVORSTAND, Phase.POLITIK, "In die Fachausschüsse einbringen"),
    Uebergang(Phase.POLITIK, Phase.ABGESCHLOSSEN, "Zyklus abschließen"),
    Uebergang(
        Phase.VERWALTUNGSVORSTAND,
        Phase.PLANUNGSRUNDE,
        "An die Planungsrunde zurückverweisen",
        rueckverweisung=True,
    ),
    Uebergang(
        Phase.POLITIK,
        Phase.VERWALTUNGSVORSTAND,
        "An den Verwaltungsvorstand zurückverweisen",
        rueckverweisung=True,
    ),
    Uebergang(
        Phase.POLITIK,
        Phase.PLANUNGSRUNDE,
        "An die Planungsrunde zurückverweisen",
        rueckverweisung=True,
    ),
)
STRANG_ABSCHLIESSEN = "strang.abschliessen"  # permission to conclude one's own Strang


def find_uebergang(von: Phase, nach: Phase) -> Uebergang | None:
    """The declared move from ``von`` to ``nach``, or None when it is not allowed."""
    return next((u for u in UEBERGAENGE if u.von == von and u.nach == nach), None)


def uebergaenge_von(phase: Phase) -> list[Uebergang]:
    """The moves out of ``phase``: forward first, then referrals back."""
    return sorted((u for u in UEBERGAENGE if u.von == phase), key=lambda u: u.rueckverweisung)


def phase_fuer_gremium(gremium: Gremium) -> Phase | None:
    """The phase in which a Gremium of this type works."""
    return next((p for p, info in PHASEN.items() if gremium.typ in info.gremium_typen), None)


# --------------------------------------------------------------------------- phase flags


def ist_abgeschlossen(zyklus: Zyklus) -> bool:
    """The cycle is finished; nothing in it changes any more."""
    return zyklus.phase == Phase.ABGESCHLOSSEN


def sozialreport_bearbeitbar(zyklus: Zyklus) -> bool:
    """The Sozialreport draft may still change (before and during the Planungsrunde)."""
    return PHASEN[zyklus.phase].sozialreport_bearbeitbar


def themen_sammeln(zyklus: Zyklus) -> bool:
    """The Planungsrunde collects topics for the Stadtteilarbeitskreise."""
    return PHASEN[zyklus.phase].themen_sammeln


def prioritaeten_bearbeitbar(zyklus: Zyklus) -> bool:
    """Priorities for spending may be drafted."""
    return PHASEN[zyklus.phase].prioritaeten_bearbeitbar


def rueckmeldungen_offen(zyklus: Zyklus) -> bool:
    """Feedback forms of Träger and Stadtteilarbeitskreise are accepted."""
    return PHASEN[zyklus.phase].rueckmeldungen


def protokolle_erwartet(zyklus: Zyklus) -> bool:
    """Gremien of the current phase meet, so minutes are expected."""
    return PHASEN[zyklus.phase].protokolle


def beschluesse_erwartet(zyklus: Zyklus) -> bool:
    """Decisions of Verwaltungsvorstand or Fachausschuss are expected."""
    return PHASEN[zyklus.phase].beschluesse


def impulse_offen(zyklus: Zyklus) -> bool:
    """Impulses may be taken into this cycle (anything but a finished one)."""
    return not ist_abgeschlossen(zyklus)


def strang_aktiv(strang: Strang) -> bool:
    """The Strang is open and its cycle is in the Beteiligung phase."""
    return strang.status == StrangStatus.OFFEN and strang.zyklus.phase == Phase.BETEILIGUNG


def gremium_aktiv(zyklus: Zyklus, gremium: Gremium) -> bool:
    """The Gremium takes part in the cycle, works now, and (in Beteiligung) its Strang is open."""
    if gremium not in zyklus.gremien or phase_fuer_gremium(gremium) != zyklus.phase:
        return False
    if PHASEN[zyklus.phase].parallel:
        return any(s.gremium_id == gremium.id and s.offen for s in zyklus.straenge)
    return True
