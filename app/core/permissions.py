"""Permissions decided in one place: named rules, default deny, object-level checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort
from flask_login import current_user

Rule = Callable[[Any, Any], bool]
_rules: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    """Register the rule that decides ``action``; each action has exactly one rule."""

    def register(fn: Rule) -> Rule:
        if action in _rules and _rules[action] is not fn:
            raise RuntimeError(f"Regel für {action!r} ist bereits registriert")
        _rules[action] = fn
        return fn

    return register


def can(user: Any, action: str, obj: Any = None) -> bool:
    """Whether ``user`` may do ``action`` (on ``obj``); unknown actions and inactive users: no."""
    check = _rules.get(action)
    if check is None:
        return False
    if not getattr(user, "is_authenticated", False) or not getattr(user, "aktiv", False):
        return bool(getattr(check, "allows_anonymous", False)) and bool(check(user, obj))
    return bool(check(user, obj))


def require(action: str, obj: Any = None) -> None:
    """Abort with 403 unless the current user may do ``action``."""
    if not can(current_user, action, obj):
        abort(403)


def anonymous_allowed(fn: Rule) -> Rule:
    """Mark a rule as also deciding for visitors who are not logged in."""
    fn.allows_anonymous = True  # type: ignore[attr-defined]
    return fn


def is_stabsstelle(user: Any, obj: Any = None) -> bool:
    """The Stabsstelle administers the platform."""
    return bool(getattr(user, "ist_stabsstelle", False))


def registered_actions() -> list[str]:
    """All actions with a rule, for tests and the documentation."""
    return sorted(_rules)
