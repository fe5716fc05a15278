"""Everyone sees and marks only their own notifications."""

from __future__ import annotations

from typing import Any

from app.core.permissions import rule


@rule("benachrichtigungen.ansehen")
def can_view_list(user: Any, obj: Any = None) -> bool:
    """Every logged-in person has a notification list."""
    return True


@rule("benachrichtigung.lesen")
def can_read(user: Any, benachrichtigung: Any) -> bool:
    """Only the recipient opens or marks a notification."""
    return benachrichtigung is not None and benachrichtigung.user_id == user.id
