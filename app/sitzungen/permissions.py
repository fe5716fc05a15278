"""Who plans, sees and answers Sitzungen.

Actions (one rule each, default deny):

- ``sitzung.anlegen`` (Gremium or None): Stabsstelle; Vorsitz/Moderation of the Gremium
  (with None: of any Gremium, for the "Neue Sitzung" button)
- ``sitzung.bearbeiten`` (Sitzung): edit, agenda, invite, cancel, see the replies –
  Stabsstelle and the Gremium's Vorsitz/Moderation
- ``sitzung.ansehen`` (Sitzung): organisers, active members, invited persons; public
  meetings every logged-in person
- ``kalender.abo``: every logged-in person manages their own calendar feed
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select

from app.core.permissions import is_stabsstelle, rule
from app.extensions import db
from app.stammdaten.models import Funktion
from app.stammdaten.rollen import hat_funktion, ist_mitglied

ORGANISATION = (Funktion.VORSITZ, Funktion.MODERATION)


def _organises(user: Any, gremium_id: int | None) -> bool:
    """An active Vorsitz or Moderation membership (in ``gremium_id``, or in any Gremium)."""
    return hat_funktion(user, ORGANISATION, gremium_id)


def _member(user: Any, gremium_id: int) -> bool:
    """An active membership (from the memberships read once per request)."""
    return ist_mitglied(user, gremium_id)


def _invited(user: Any, sitzung: Any) -> bool:
    from app.sitzungen.models import Einladung

    query = select(Einladung.id).where(
        Einladung.sitzung_id == sitzung.id, Einladung.user_id == user.id
    )
    return bool(db.session.scalar(select(exists(query))))


@rule("sitzung.anlegen")
def can_create(user: Any, gremium: Any = None) -> bool:
    """The Stabsstelle for every Gremium; Vorsitz and Moderation for their own."""
    return is_stabsstelle(user) or _organises(user, gremium.id if gremium is not None else None)


@rule("sitzung.bearbeiten")
def can_edit(user: Any, sitzung: Any) -> bool:
    """Organisers change a meeting, invite to it and see who replied what."""
    return sitzung is not None and (is_stabsstelle(user) or _organises(user, sitzung.gremium_id))


@rule("sitzung.ansehen")
def can_view(user: Any, sitzung: Any) -> bool:
    """Public meetings for everyone logged in; others for organisers, members and invitees."""
    if sitzung is None:
        return False
    if sitzung.oeffentlich or is_stabsstelle(user):
        return True
    return _member(user, sitzung.gremium_id) or _invited(user, sitzung)


@rule("kalender.abo")
def can_subscribe(user: Any, obj: Any = None) -> bool:
    """Every logged-in person may have a personal calendar feed."""
    return bool(getattr(user, "is_authenticated", False))
