"""Signals of the planning cycle and the carry-over hook for the next cycle (see ``guards.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from blinker import Namespace

if TYPE_CHECKING:
    from app.workflows.models import Zyklus

_signals = Namespace()

# sender: the Zyklus; keyword arguments: eintrag (Verlaufseintrag), von, nach (Phase), user.
zyklus_phase_changed = _signals.signal("zyklus-phase-changed")
# sender: the Strang; keyword arguments: eintrag (Verlaufseintrag), user, erzwungen (bool).
strang_closed = _signals.signal("strang-closed")
# sender: the new Zyklus; keyword arguments: vorgaenger (Zyklus | None), user.
zyklus_created = _signals.signal("zyklus-created")

CarryOver = Callable[["Zyklus", "Zyklus"], "list[str] | None"]
carry_over_providers: list[CarryOver] = []


def carry_over_provider(fn: CarryOver) -> CarryOver:
    """Register ``fn(alter_zyklus, neuer_zyklus)`` that copies open items into the next cycle."""
    if fn not in carry_over_providers:
        carry_over_providers.append(fn)
    return fn


def remove_carry_over_provider(fn: CarryOver) -> None:
    """Unregister a provider (tests)."""
    if fn in carry_over_providers:
        carry_over_providers.remove(fn)


# ``fn(zyklus, phase) -> [(label, endpoint, values), …]``: further links in the phase-change
# mail (e.g. the Vorlage the bodies of the new phase decide on).
PhaseLink = Callable[["Zyklus", object], "list[tuple[str, str, dict]]"]
phase_link_providers: list[PhaseLink] = []


def phase_link_provider(fn: PhaseLink) -> PhaseLink:
    """Register ``fn(zyklus, phase)`` that adds links to the mail announcing ``phase``."""
    if fn not in phase_link_providers:
        phase_link_providers.append(fn)
    return fn
