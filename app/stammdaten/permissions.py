"""Master-data permissions: the Stabsstelle administers; members see their Gremien.

Actions (one rule each, default deny):

- ``stammdaten.verwalten``: the overview and all administration lists (Stabsstelle)
- ``organisation.anlegen`` / ``organisation.verwalten``: create; change name and art,
  deactivate, reactivate (Stabsstelle)
- ``organisation.ansehen``: the detail page (Stabsstelle, staff of the organisation)
- ``organisation.bearbeiten``: contact data (Stabsstelle, staff of the active organisation)
- ``organisation.eigene``: the "Meine Organisation" entry (staff outside the Stabsstelle)
- ``sozialraum.bearbeiten``, ``gremium.bearbeiten``, ``mitgliedschaft.bearbeiten``,
  ``benutzer.verwalten``: create, edit, deactivate (Stabsstelle)
- ``gremium.ansehen``: a Gremium page (Stabsstelle, active members and Stellvertretungen)
"""

from __future__ import annotations

from typing import Any

from app.core.permissions import is_stabsstelle, rule
from app.stammdaten.models import GremiumTyp
from app.stammdaten.rollen import in_aktivem_gremium, ist_mitglied

for _action in (
    "stammdaten.verwalten",
    "organisation.anlegen",
    "organisation.verwalten",
    "sozialraum.bearbeiten",
    "gremium.bearbeiten",
    "mitgliedschaft.bearbeiten",
    "benutzer.verwalten",
):
    rule(_action)(is_stabsstelle)


def is_member(user: Any, gremium: Any) -> bool:
    """An active membership of ``user`` in ``gremium``."""
    return ist_mitglied(user, gremium.id)


def belongs_to(user: Any, organisation: Any) -> bool:
    """``user`` works for ``organisation``."""
    return organisation is not None and user.organisation_id == organisation.id


def is_planungsrunde_member(user: Any) -> bool:
    """An active seat (own or deputised) in an active Planungsrunde; from the memberships
    read once per request."""
    return in_aktivem_gremium(user, (GremiumTyp.PLANUNGSRUNDE,))


@rule("gremium.ansehen")
def can_view_gremium(user: Any, gremium: Any) -> bool:
    """The Stabsstelle sees every Gremium, others only those they belong to (or deputise in)."""
    return is_stabsstelle(user) or (gremium is not None and is_member(user, gremium))


@rule("organisation.ansehen")
def can_view_organisation(user: Any, organisation: Any) -> bool:
    """The Stabsstelle sees every organisation, staff their own."""
    return is_stabsstelle(user) or belongs_to(user, organisation)


@rule("organisation.bearbeiten")
def can_edit_organisation(user: Any, organisation: Any) -> bool:
    """The Stabsstelle edits every organisation; staff edit the contact data of their own."""
    if is_stabsstelle(user):
        return True
    return belongs_to(user, organisation) and organisation.aktiv


@rule("organisation.eigene")
def has_own_organisation(user: Any, obj: Any = None) -> bool:
    """Staff outside the Stabsstelle reach their active organisation through the navigation."""
    if is_stabsstelle(user) or user.organisation_id is None:
        return False
    return user.organisation is not None and user.organisation.aktiv
