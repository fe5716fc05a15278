"""Checks on rendered HTML: collapsed sections and the forms in them carry accessible names."""

from __future__ import annotations

import re


def assert_named_disclosures(html: str, formen: bool = True) -> int:
    """Every <details> is named by its <summary> (aria-labelledby), and so is its form
    (``formen=False``: sections holding several forms named by their own buttons)."""
    blocks = re.findall(r"<details([^>]*)>\s*<summary([^>]*)>(.*?)</details>", html, re.S)
    for details_attrs, summary_attrs, inner in blocks:
        label = re.search(r'aria-labelledby="([^"]+)"', details_attrs)
        summary_id = re.search(r'id="([^"]+)"', summary_attrs)
        assert label and summary_id and label.group(1) == summary_id.group(1), details_attrs
        for form in re.findall(r"<form[^>]*>", inner) if formen else []:
            assert f'aria-labelledby="{summary_id.group(1)}"' in form, form
    return len(blocks)
