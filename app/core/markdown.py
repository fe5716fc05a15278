"""Text of chapters and minutes: Markdown rendered to HTML and sanitised, so text can never inject markup."""

from __future__ import annotations

import re
from functools import lru_cache

import markdown
import nh3
from flask import Flask
from markupsafe import Markup

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
_HEADING = re.compile(r"<(/?)h([1-6])([^>]*)>")


def _shift_headings(html: str) -> str:
    """Chapter headings are h2, so Markdown headings start at h3."""
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 2, 6)}{m.group(3)}>", html)


def render_markdown(text: str) -> Markup:
    """Safe HTML for a chapter's Markdown text (the same text is converted once per process)."""
    return _render(text or "")


@lru_cache(maxsize=2048)
def _render(text: str) -> Markup:
    """Markdown → sanitised HTML; pure, so cached by content."""
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    clean = nh3.clean(
        _shift_headings(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)


def init_app(app: Flask) -> None:
    """Every template may show Markdown text as sanitised HTML (``|markdown``)."""
    app.jinja_env.filters["markdown"] = render_markdown
