"""Main navigation per role: features register entries guarded by a permission."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_login import current_user

from app.core.datenstand import zwischengespeichert
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


def _sorted_entries() -> list[NavEntry]:
    """The entries in menu order (sorted once per set of registrations, not per request)."""
    if _cache.get("n") != len(_entries):
        _cache["n"] = len(_entries)
        _cache["sorted"] = sorted(_entries, key=lambda e: e.order)
        prefixes = [e.endpoint.split(".")[0] + "." for e in _entries]
        _cache["alone"] = {p for p in prefixes if prefixes.count(p) == 1}
    return _cache["sorted"]


def _alone(prefix: str) -> bool:
    """The only entry of its blueprint (then every page of the blueprint marks it)."""
    return prefix in _cache["alone"]


_cache: dict = {}


@dataclass(frozen=True)
class NavItem:
    titel: str
    url: str
    aktiv: bool


def navigation() -> tuple[NavItem, ...]:
    """The entries the current user may see, the current one marked.

    Rights change only by a write, so the menu is kept per user and page until the next one."""
    endpoint = request.endpoint or ""
    key = (
        "navigation",
        getattr(current_user, "id", None),
        endpoint,
        request.script_root,
        len(_entries),
    )
    return zwischengespeichert(key, lambda: _navigation(endpoint))


def _navigation(endpoint: str) -> tuple[NavItem, ...]:
    items = []
    for entry in _sorted_entries():
        if entry.action is None or can(current_user, entry.action):
            prefix = entry.endpoint.split(".")[0] + "."
            aktiv = endpoint == entry.endpoint or (
                entry.order >= 20 and endpoint.startswith(prefix) and _alone(prefix)
            )
            items.append(NavItem(entry.titel, url_for(entry.endpoint), aktiv))
    return tuple(items)


_public: list[tuple[NavEntry, tuple[str, ...]]] = []


def public_nav_entry(titel: str, endpoint: str, order: int = 50, bereich: tuple = ()) -> None:
    """Register an entry of the public navigation; ``bereich``: endpoints that also mark it."""
    if all(e.endpoint != endpoint for e, _ in _public):
        _public.append((NavEntry(titel, endpoint, None, order), (endpoint, *bereich)))


def public_navigation() -> list[dict]:
    """The public entries for visitors, the current one marked."""
    return [
        {
            "titel": entry.titel,
            "url": url_for(entry.endpoint),
            "aktiv": request.endpoint in bereich,
        }
        for entry, bereich in sorted(_public, key=lambda item: item[0].order)
    ]


_landing = {"endpoint": "auth.login"}


def set_public_landing(endpoint: str) -> None:
    """The page visitors who are not logged in see at ``/`` (default: the login)."""
    _landing["endpoint"] = endpoint


def public_landing() -> str:
    return _landing["endpoint"]


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        navigation=navigation,
        public_navigation=public_navigation,
        can=lambda a, o=None: can(current_user, a, o),
    )


nav_entry("Startseite", "core.start", None, order=0)
