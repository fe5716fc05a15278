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

from sqlalchemy import exists, select

from app.core.permissions import is_stabsstelle, rule
from app.extensions import db
from app.stammdaten.models import Gremium, GremiumTyp, Mitgliedschaft

for _action in ("impuls.anlegen", "impuls.verwalten", "impuls.antwort_entwurf"):
    rule(_action)(is_stabsstelle)

INTERN = (GremiumTyp.PLANUNGSRUNDE, GremiumTyp.VERWALTUNGSVORSTAND)


def in_internal_gremium(user: Any) -> bool:
    """An active membership in the Planungsrunde or the Verwaltungsvorstand."""
    query = (
        select(Mitgliedschaft.id)
        .join(Gremium, Gremium.id == Mitgliedschaft.gremium_id)
        .where(Mitgliedschaft.user_id == user.id, Mitgliedschaft.aktiv, Gremium.typ.in_(INTERN))
    )
    return bool(db.session.scalar(select(exists(query))))


def _member_of(user: Any, gremium_id: int | None) -> bool:
    if gremium_id is None:
        return False
    query = select(Mitgliedschaft.id).where(
        Mitgliedschaft.user_id == user.id,
        Mitgliedschaft.aktiv,
        Mitgliedschaft.gremium_id == gremium_id,
    )
    return bool(db.session.scalar(select(exists(query))))


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
