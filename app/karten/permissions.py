"""The map (default deny).

- ``karte.ansehen``: those who may see the Datenbasis (Stabsstelle, Planungsrunde)
- ``karte.grenzen``: importing boundaries (Stabsstelle)
"""

from __future__ import annotations

from typing import Any

from app.core.permissions import can, is_stabsstelle, rule

rule("karte.grenzen")(is_stabsstelle)


@rule("karte.ansehen")
def can_view(user: Any, obj: Any = None) -> bool:
    return can(user, "datenbasis.ansehen")
