"""Who configures the Planungsfelder and who sees what they contribute per Sozialraum.

- ``planungsfeld.verwalten``: create, rename, (de)activate fields (Stabsstelle)
- ``planungsfelder.uebersicht``: the matrix Sozialraum × Planungsfeld (Stabsstelle and members
  of the Planungsrunde)
"""

from __future__ import annotations

from typing import Any

from app.core.permissions import is_stabsstelle, rule
from app.stammdaten.permissions import is_planungsrunde_member

rule("planungsfeld.verwalten")(is_stabsstelle)


@rule("planungsfelder.uebersicht")
def can_view_overview(user: Any, obj: Any = None) -> bool:
    """The overview is working material of the Planungsrunde."""
    return is_stabsstelle(user) or is_planungsrunde_member(user)
