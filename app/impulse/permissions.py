"""Impulse permissions (default deny).

- ``impuls.anlegen``: record an impulse (Stabsstelle)
- ``impuls.ansehen``: the detail page (Stabsstelle, the person who recorded it)
"""

from __future__ import annotations

from typing import Any

from app.core.permissions import is_stabsstelle, rule

rule("impuls.anlegen")(is_stabsstelle)


@rule("impuls.ansehen")
def can_view_impuls(user: Any, impuls: Any) -> bool:
    """The Stabsstelle sees every impulse, others those they recorded."""
    return is_stabsstelle(user) or (impuls is not None and impuls.erstellt_von_id == user.id)
