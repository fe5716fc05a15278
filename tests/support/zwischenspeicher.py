"""Checks that a page is answered from the data-state cache (``app.core.datenstand``)."""

from __future__ import annotations

from typing import Any


def aus_dem_zwischenspeicher(query_counter: Any, client: Any, url: str) -> str:
    """Warm the cache, then fetch ``url`` from it; it must need fewer queries than uncached.

    Returns the cached page's text."""
    with query_counter(zwischenspeicher=True):
        client.get(url)
    with query_counter(zwischenspeicher=True) as cached:
        body = client.get(url).get_data(as_text=True)
    with query_counter() as uncached:
        client.get(url)
    assert len(cached) < len(uncached), (cached, uncached)
    return body
