"""Who may do what with a planning cycle.

- Stabsstelle: sees every cycle, creates, moves phases, overrides guards (with reason), closes
  remaining Stränge, sets deadlines, starts the next cycle.
- Members of a participating city Gremium (Planungsrunde, Verwaltungsvorstand, Fachausschuss):
  see the cycle page with diagram, deadlines and the full history (reasons of referrals and
  overrides included).
- Members of a participating Trägerrunde or Stadtteilarbeitskreis (Träger staff, citizens,
  moderators): see the cycle page with diagram, Stränge and deadlines, but not the internal
  history; Vorsitz/Moderation of such a Gremium may conclude their own Strang.
- Everybody else (also Träger staff outside the cycle's Gremien): the cycle list is empty
  and a cycle page answers 403. Nobody but the Stabsstelle changes a phase.
"""

from __future__ import annotations

from typing import Any

from app.core.datenstand import zwischengespeichert
from app.core.permissions import is_stabsstelle, rule
from app.stammdaten.models import Funktion, GremiumTyp
from app.stammdaten.rollen import hat_funktion, mitgliedschaften
from app.workflows.machine import INTERNE_TYPEN, STRANG_ABSCHLIESSEN

for _action in (
    "zyklus.anlegen",
    "zyklus.phase_wechseln",
    "zyklus.uebersteuern",
    "zyklus.straenge_schliessen",
    "zyklus.fristen_setzen",
    "zyklus.folgezyklus",
):
    rule(_action)(is_stabsstelle)

LEITUNG = (Funktion.VORSITZ, Funktion.MODERATION)


def member_typen(user: Any, zyklus: Any) -> set[GremiumTyp]:
    """Types of the cycle's active Gremien in which ``user`` is an active member."""
    if zyklus is None:
        return set()
    # the person's memberships are read once per request (not every member of every Gremium)
    eigene = mitgliedschaften(user)
    return {typ for gid, typ, aktiv in _gremien(zyklus) if aktiv and gid in eigene}


def _gremien(zyklus: Any) -> tuple[tuple[int, GremiumTyp, bool], ...]:
    """(id, type, active) of the cycle's Gremien: the loaded list, else kept until a write."""
    if "gremien" in vars(zyklus):  # loaded (maybe just changed in this session): use it
        return tuple((g.id, g.typ, g.aktiv) for g in zyklus.gremien)
    return zwischengespeichert(
        ("zyklus-gremien", zyklus.id),
        lambda: tuple((g.id, g.typ, g.aktiv) for g in zyklus.gremien),
    )


@rule("zyklus.liste")
def can_list(user: Any, obj: Any = None) -> bool:
    """Every logged-in person has the list; it shows only the cycles they may see."""
    return True


@rule("zyklus.ansehen")
def can_view(user: Any, zyklus: Any) -> bool:
    """The Stabsstelle and members of any participating Gremium."""
    return is_stabsstelle(user) or bool(member_typen(user, zyklus))


@rule("zyklus.verlauf_ansehen")
def can_view_history(user: Any, zyklus: Any) -> bool:
    """The history holds internal reasons: Stabsstelle and members of the city's Gremien."""
    return is_stabsstelle(user) or bool(member_typen(user, zyklus) & set(INTERNE_TYPEN))


@rule(STRANG_ABSCHLIESSEN)
def can_close_strang(user: Any, strang: Any) -> bool:
    """The Stabsstelle, or Vorsitz/Moderation of the Strang's own Gremium."""
    if is_stabsstelle(user):
        return True
    return (
        strang is not None
        and strang.gremium.aktiv
        and hat_funktion(user, LEITUNG, strang.gremium_id)
    )
