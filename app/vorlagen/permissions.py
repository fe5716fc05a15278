"""Who may read a Vorlage and who records a body's decision (default deny).

- ``vorlage.ansehen`` (Vorlage): the Stabsstelle, members of the Planungsrunde and the
  Verwaltungsvorstand (they see all Maßnahmen anyway), and members of every body in the
  Vorlage's Beratungsfolge.
- ``beratung.beschliessen`` (Beratung): the body's Vorsitz, a member the Stabsstelle granted
  the right (``Beschlussrecht``), or the Stabsstelle on the body's behalf. Ordinary members read.
- ``vorlage.verwalten``: create versions, configure the Beratungsfolge, grant rights
  (Stabsstelle).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select

from app.core.permissions import is_stabsstelle, rule
from app.extensions import db
from app.impulse.permissions import in_internal_gremium
from app.stammdaten.models import Funktion, Mitgliedschaft
from app.stammdaten.rollen import mitgliedschaften
from app.vorlagen.models import Beratung, Beschlussrecht

rule("vorlage.verwalten")(is_stabsstelle)


def _member_of_any(user: Any, gremium_ids: list[int]) -> bool:
    eigene = mitgliedschaften(user)
    return any(gid in eigene for gid in gremium_ids)


@rule("vorlage.ansehen")
def can_view(user: Any, vorlage: Any = None) -> bool:
    """The Stabsstelle, the internal planning bodies, and every body it is submitted to."""
    if is_stabsstelle(user) or in_internal_gremium(user):
        return True
    if vorlage is None:
        return False
    ids = list(
        db.session.scalars(select(Beratung.gremium_id).where(Beratung.vorlage_id == vorlage.id))
    )
    return _member_of_any(user, ids)


def darf_fuer_gremium_beschliessen(user: Any, gremium_id: int) -> bool:
    """Vorsitz of the body, or a member with a granted right (not the Stabsstelle's proxy)."""
    vorsitz = select(Mitgliedschaft.id).where(
        Mitgliedschaft.user_id == user.id,
        Mitgliedschaft.gremium_id == gremium_id,
        Mitgliedschaft.aktiv,
        Mitgliedschaft.funktion == Funktion.VORSITZ,
    )
    recht = (
        select(Beschlussrecht.id)
        .join(
            Mitgliedschaft,
            (Mitgliedschaft.user_id == Beschlussrecht.user_id)
            & (Mitgliedschaft.gremium_id == Beschlussrecht.gremium_id),
        )
        .where(
            Beschlussrecht.user_id == user.id,
            Beschlussrecht.gremium_id == gremium_id,
            Mitgliedschaft.aktiv,
        )
    )
    return bool(db.session.scalar(select(exists(vorsitz) | exists(recht))))


def beschluss_gremien(user: Any) -> set[int]:
    """Ids of the bodies whose decisions ``user`` records (as Vorsitz or by a granted right)."""
    vorsitz = select(Mitgliedschaft.gremium_id).where(
        Mitgliedschaft.user_id == user.id,
        Mitgliedschaft.aktiv,
        Mitgliedschaft.funktion == Funktion.VORSITZ,
    )
    recht = (
        select(Beschlussrecht.gremium_id)
        .join(
            Mitgliedschaft,
            (Mitgliedschaft.user_id == Beschlussrecht.user_id)
            & (Mitgliedschaft.gremium_id == Beschlussrecht.gremium_id),
        )
        .where(Beschlussrecht.user_id == user.id, Mitgliedschaft.aktiv)
    )
    return set(db.session.scalars(vorsitz.union(recht)))


@rule("beratung.beschliessen")
def can_decide(user: Any, beratung: Any = None) -> bool:
    """Vorsitz or granted member of the body; the Stabsstelle records on the body's behalf."""
    if beratung is None:
        return False
    return is_stabsstelle(user) or darf_fuer_gremium_beschliessen(user, beratung.gremium_id)
