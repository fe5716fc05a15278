"""Links from agenda items to objects of higher packages (e.g. the Vorlage a TOP discusses).

A feature registers ``fn(top_ids, user) -> {top_id: [(label, url), …]}`` with
``@top_verweis_provider``; the meeting page shows the links under each item. One query per
provider and page, and each provider checks the user's permission itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Verweise = dict[int, list[tuple[str, str]]]
Provider = Callable[[list[int], Any], Verweise]
_providers: list[Provider] = []


def top_verweis_provider(fn: Provider) -> Provider:
    """Register a function that links agenda items to the caller's objects."""
    if fn not in _providers:
        _providers.append(fn)
    return fn


def verweise_fuer(top_ids: list[int], user: Any) -> Verweise:
    """All links of the given agenda items, per item."""
    result: Verweise = {}
    if not top_ids:
        return result
    for provider in _providers:
        for top_id, links in provider(top_ids, user).items():
            result.setdefault(top_id, []).extend(links)
    return result
