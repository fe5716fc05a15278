"""Impulse permissions (default deny).

- ``impuls.anlegen``: record an impulse directly (Stabsstelle; Verwaltungsvorstand and Politik)
- ``impuls.verwalten``: status moves, answer and its publication (Stabsstelle)
- ``impulse.register``: the register (Stabsstelle, members of Planungsrunde and
  Verwaltungsvorstand)
- ``impuls.ansehen``: the page of one impulse (the above, the person who recorded it, members
  of the source Gremium)
- ``impuls.antwort_entwurf``: the unpublished answer (Stabsstelle)
"""

from __future__ import annotations

from typing import Any

from app.core.permissions import is_stabsstelle, rule
from app.stammdaten.models import GremiumTyp
from app.stammdaten.rollen import in_aktivem_gremium, ist_mitglied

for _action in ("impuls.anlegen", "impuls.verwalten", "impuls.antwort_entwurf"):
    rule(_action)(is_stabsstelle)

INTERN = (GremiumTyp.PLANUNGSRUNDE, GremiumTyp.VERWALTUNGSVORSTAND)


def in_internal_gremium(user: Any) -> bool:
    """An active membership in the Planungsrunde or the Verwaltungsvorstand."""
    return in_aktivem_gremium(user, INTERN)


def _member_of(user: Any, gremium_id: int | None) -> bool:
    """An active membership (memberships are read once per request)."""
    return ist_mitglied(user, gremium_id)


@rule("impulse.register")
def can_list(user: Any, obj: Any = None) -> bool:
    """The Stabsstelle and the internal planning bodies work with the register."""
    return is_stabsstelle(user) or in_internal_gremium(user)


@rule("impuls.ansehen")
def can_view_impuls(user: Any, impuls: Any) -> bool:
    """The register's users, the person who recorded it and the source Gremium's members."""
    if impuls is None:
        return False
    if is_stabsstelle(user) or impuls.erstellt_von_id == user.id:
        return True
    return _member_of(user, impuls.quelle_gremium_id) or in_internal_gremium(user)
