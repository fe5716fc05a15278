"""Sections that higher features add to pages of lower ones (a Gremium's page, a meeting's page).

A feature registers ``@abschnitt_provider("gremium")`` with ``fn(obj, user) -> Abschnitt | None``;
the page template renders ``{% for a in seitenabschnitte("gremium", gremium) %}`` and includes
``a.template`` (the section's data is ``a.daten``). Dependencies keep pointing downwards: the
page's package never imports the feature that fills the section.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_login import current_user


@dataclass(frozen=True)
class Abschnitt:
    """One section: its template, its data, and where it goes among the others."""

    template: str
    daten: dict[str, Any] = field(default_factory=dict)
    order: int = 50


Provider = Callable[[Any, Any], "Abschnitt | None"]
_providers: dict[str, list[Provider]] = {}


def abschnitt_provider(seite: str) -> Callable[[Provider], Provider]:
    """Register ``fn(obj, user)`` that returns a section for page ``seite`` (or None)."""

    def register(fn: Provider) -> Provider:
        liste = _providers.setdefault(seite, [])
        if fn not in liste:
            liste.append(fn)
        return fn

    return register


def abschnitte(seite: str, obj: Any, user: Any = None) -> list[Abschnitt]:
    """The sections of page ``seite`` for ``obj`` as seen by ``user`` (default: logged-in)."""
    user = user if user is not None else current_user
    found = [a for fn in _providers.get(seite, []) if (a := fn(obj, user)) is not None]
    return sorted(found, key=lambda a: a.order)
