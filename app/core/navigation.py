"""Main navigation per role: features register entries guarded by a permission."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_login import current_user

from app.core.permissions import can


@dataclass(frozen=True)
class NavEntry:
    titel: str
    endpoint: str
    action: str | None  # permission needed; None = every logged-in user
    order: int = 50


_entries: list[NavEntry] = []


def nav_entry(titel: str, endpoint: str, action: str | None = None, order: int = 50) -> None:
    """Register a navigation entry (called at import of a feature's views)."""
    if all(e.endpoint != endpoint for e in _entries):
        _entries.append(NavEntry(titel, endpoint, action, order))


def navigation() -> list[dict]:
    """The entries the current user may see, the current one marked."""
    items = []
    for entry in sorted(_entries, key=lambda e: e.order):
        if entry.action is None or can(current_user, entry.action):
            prefix = entry.endpoint.split(".")[0] + "."
            aktiv = request.endpoint == entry.endpoint or (
                entry.order >= 20
                and (request.endpoint or "").startswith(prefix)
                and sum(e.endpoint.startswith(prefix) for e in _entries) == 1
            )
            items.append({"titel": entry.titel, "url": url_for(entry.endpoint), "aktiv": aktiv})
    return items


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        navigation=navigation, can=lambda a, o=None: can(current_user, a, o)
    )


nav_entry("Startseite", "core.start", None, order=0)
