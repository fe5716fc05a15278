"""Link texts are unique per row: repeated actions name their organisation and question."""

from __future__ import annotations

import re
from collections import defaultdict


def unique_link_names(html: str) -> dict[str, set[str]]:
    """Link name (visible plus visually hidden text) → the targets it leads to."""
    targets: dict[str, set[str]] = defaultdict(set)
    for href, inner in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', html, re.S):
        name = " ".join(re.sub(r"<[^>]+>", "", inner).split())
        targets[name].add(href.split("#")[0])
    return {name: hrefs for name, hrefs in targets.items() if len(hrefs) > 1}


def test_the_helper_finds_repeated_texts() -> None:
    html = '<a href="/a/1">Ansehen</a><a href="/a/2">Ansehen</a><a href="/b">Ansehen<span> B</span></a>'
    assert unique_link_names(html) == {"Ansehen": {"/a/1", "/a/2"}}
