"""Planungsrunde outputs (default deny).

- ``massnahmen.ansehen``: Themen, Maßnahmen, Vorlage and Beschlüsse of a cycle (Stabsstelle,
  members of Planungsrunde and Verwaltungsvorstand)
- ``massnahme.bearbeiten``, ``thema.bearbeiten``, ``beschluss.erfassen``: the Stabsstelle
  records what the Planungsrunde drafted and what the board and committees decided
"""

from __future__ import annotations

from typing import Any

from app.core.permissions import is_stabsstelle, rule
from app.impulse.permissions import in_internal_gremium

for _action in ("massnahme.bearbeiten", "thema.bearbeiten", "beschluss.erfassen"):
    rule(_action)(is_stabsstelle)


@rule("massnahmen.ansehen")
def can_view(user: Any, obj: Any = None) -> bool:
    """The Stabsstelle and the internal planning bodies."""
    return is_stabsstelle(user) or in_internal_gremium(user)
