"""Who downloads which export (default deny); each export names the permission of its source.

- ``exporte.uebersicht``: the page listing the exports (whoever may download at least one)
- ``exporte.teilnahme``: meetings with who replied how (personal data: Stabsstelle)
"""

from __future__ import annotations

from typing import Any

from app.core.permissions import can, is_stabsstelle, rule
from app.exporte.tabellen import EXPORTE

rule("exporte.teilnahme")(is_stabsstelle)


@rule("exporte.uebersicht")
def can_list(user: Any, obj: Any = None) -> bool:
    """Anyone who may download one of the exports."""
    return any(can(user, e.recht) for e in EXPORTE.values())
