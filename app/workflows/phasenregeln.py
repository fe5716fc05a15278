"""Phase rules for other features: refuse a change when the cycle's phase flag does not allow it.

Services call ``require_phase_flag(zyklus, "themen_sammeln")`` (or ``"prioritaeten_bearbeitbar"``,
``"beschluesse"``, any ``PhaseInfo`` flag) before they change anything, and
``require_bearbeitbar(zyklus)`` where only a concluded cycle must stay untouched. Both raise
``PhasenFehler`` (German ``message``, ``status_code`` 409). Views catch it and show the form
again with the message (status 409); an uncaught one becomes the German 409 page with the
explanation (handler registered in ``app.workflows.views``). Templates ask
``phase_sperre(zyklus, "flag")`` for the reason a button is disabled (None when allowed).
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

from app.workflows.machine import PHASEN, PhaseInfo, ist_abgeschlossen

if TYPE_CHECKING:
    from app.workflows.models import Zyklus

FLAGS = frozenset(
    f.name for f in fields(PhaseInfo) if f.type in (bool, "bool") and f.name != "parallel"
)

# what the flag permits, as the subject of "… ist nur … möglich"
TAETIGKEITEN = {
    "themen_sammeln": "Themen anzulegen, zu ändern oder zu löschen",
    "prioritaeten_bearbeitbar": "Maßnahmen und Prioritäten zu ändern",
    "beschluesse": "Beschlüsse zu erfassen",
    "sozialreport_bearbeitbar": "den Sozialreport zu bearbeiten",
    "rueckmeldungen": "Rückmeldungen abzugeben",
    "protokolle": "Protokolle einzureichen",
}


class PhasenFehler(Exception):
    """A change the cycle's phase does not allow; ``message`` is German, answered with 409."""

    status_code = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _phasen_mit(flag: str) -> list[str]:
    return [phase.kurz for phase, info in PHASEN.items() if getattr(info, flag)]


def _aufzaehlung(namen: list[str]) -> str:
    if len(namen) <= 1:
        return "".join(namen)
    return ", ".join(namen[:-1]) + " und " + namen[-1]


def abgeschlossen_text(zyklus: Zyklus) -> str:
    """Why nothing in a concluded cycle changes."""
    return (
        f"Der Zyklus „{zyklus.titel}“ ist abgeschlossen und kann nur noch gelesen werden. "
        "Änderungen gehören in den Folgezyklus."
    )


def phase_sperre(zyklus: Zyklus, flag: str, taetigkeit: str | None = None) -> str | None:
    """The German reason why ``flag`` forbids a change in ``zyklus`` now, or None if allowed."""
    if flag not in FLAGS:
        raise ValueError(f"Unbekanntes Phasenmerkmal {flag!r}")
    if ist_abgeschlossen(zyklus):
        return abgeschlossen_text(zyklus)
    if getattr(PHASEN[zyklus.phase], flag):
        return None
    phasen = _phasen_mit(flag)
    was = taetigkeit or TAETIGKEITEN.get(flag, "diese Änderung vorzunehmen")
    wo = "in der Phase" if len(phasen) == 1 else "in den Phasen"
    return (
        f"Es ist nur {wo} {_aufzaehlung(phasen)} möglich, {was}. "
        f"Der Zyklus „{zyklus.titel}“ steht in der Phase {zyklus.phase.kurz}."
    )


def require_phase_flag(zyklus: Zyklus, flag: str, taetigkeit: str | None = None) -> None:
    """Refuse (``PhasenFehler``, 409) unless the cycle's phase sets ``flag``."""
    grund = phase_sperre(zyklus, flag, taetigkeit)
    if grund is not None:
        raise PhasenFehler(grund)


def require_bearbeitbar(zyklus: Zyklus) -> None:
    """Refuse (``PhasenFehler``, 409) any change in a concluded cycle."""
    if ist_abgeschlossen(zyklus):
        raise PhasenFehler(abgeschlossen_text(zyklus))
