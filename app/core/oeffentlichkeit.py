"""Whether an object is public, asked from below: the deciding package registers its rule.

Internal pages of lower packages (a Vorlage's page in ``app.vorlagen``) show the publicity
badge without importing ``app.oeffentlich``, which sits above them; ``app.oeffentlich``
registers ``@oeffentlich_pruefer(Vorlage)`` next to its rules in ``sichtbarkeit``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_pruefer: dict[type, Callable[[Any], bool]] = {}


def oeffentlich_pruefer(model: type) -> Callable[[Callable[[Any], bool]], Callable[[Any], bool]]:
    """Register the rule that says whether an object of ``model`` is public."""

    def register(fn: Callable[[Any], bool]) -> Callable[[Any], bool]:
        _pruefer[model] = fn
        return fn

    return register


def ist_oeffentlich(obj: Any) -> bool | None:
    """True/False by the registered rule; None when no package decides for this type."""
    fn = _pruefer.get(type(obj))
    return None if fn is None else bool(fn(obj))
