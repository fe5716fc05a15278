"""Master-data permissions: the Stabsstelle administers; members see their Gremien."""

from __future__ import annotations

from typing import Any

from app.core.permissions import is_stabsstelle, rule

for _action in (
    "stammdaten.verwalten",
    "organisation.anlegen",
    "sozialraum.bearbeiten",
    "gremium.bearbeiten",
    "mitgliedschaft.bearbeiten",
    "benutzer.verwalten",
):
    rule(_action)(is_stabsstelle)


def is_member(user: Any, gremium: Any) -> bool:
    """An active membership of ``user`` in ``gremium``."""
    return any(m.aktiv and m.user_id == user.id for m in gremium.mitgliedschaften)


@rule("gremium.ansehen")
def can_view_gremium(user: Any, gremium: Any) -> bool:
    """The Stabsstelle sees every Gremium, others only those they belong to."""
    return is_stabsstelle(user) or (gremium is not None and is_member(user, gremium))


@rule("organisation.bearbeiten")
def can_edit_organisation(user: Any, organisation: Any) -> bool:
    """The Stabsstelle edits every organisation; staff edit the contact data of their own."""
    if is_stabsstelle(user):
        return True
    return organisation is not None and user.organisation_id == organisation.id
