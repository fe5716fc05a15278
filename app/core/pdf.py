"""PDF documents from our own HTML with WeasyPrint, self-contained so user text cannot fetch URLs."""

from __future__ import annotations


def no_fetch(url: str, *args: object, **kwargs: object) -> dict:
    """Refuse every external resource: the document is rendered from our HTML alone."""
    raise ValueError(f"Externe Ressourcen sind im PDF nicht erlaubt: {url}")


def html_to_pdf(html: str) -> bytes:
    """The PDF of ``html`` (WeasyPrint is imported late: it is slow to load)."""
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=no_fetch).write_pdf()
