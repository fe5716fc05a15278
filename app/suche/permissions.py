"""Search permission: everyone logged in searches; each source applies its own visibility."""

from __future__ import annotations

from typing import Any

from app.core.permissions import rule


@rule("suche.benutzen")
def can_search(user: Any, obj: Any = None) -> bool:
    """Every logged-in person; what they find is filtered per source."""
    return bool(getattr(user, "is_authenticated", False))
