"""What the personal start page shows besides the open tasks; each feature registers its part.

A provider returns template variables for ``core/start.html`` (e.g. ``mitgliedschaften``), so the
start page lives in ``core`` without importing the packages that know the data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

KontextProvider = Callable[[Any], dict[str, Any]]
_providers: list[KontextProvider] = []


def startseiten_kontext(provider: KontextProvider) -> KontextProvider:
    """Register a function that adds template variables for ``user``'s start page."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def kontext_fuer(user: Any) -> dict[str, Any]:
    """All registered variables for ``user`` (later registrations win on equal names)."""
    kontext: dict[str, Any] = {}
    for provider in _providers:
        kontext.update(provider(user))
    return kontext
