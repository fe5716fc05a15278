"""PDF documents from our own HTML with WeasyPrint, self-contained so user text cannot fetch URLs.

Every generated document is PDF/A-3b by default (archive format: fonts embedded, sRGB output
intent, XMP metadata naming ``pdfaid:part=3``, ``conformance=B``), so what the board and the
committees receive can go to the city's archive as it is.
"""

from __future__ import annotations

import warnings

PDF_A = "pdf/a-3b"


def no_fetch(url: str, *args: object, **kwargs: object) -> dict:
    """Refuse every external resource: the document is rendered from our HTML alone."""
    raise ValueError(f"Externe Ressourcen sind im PDF nicht erlaubt: {url}")


def html_to_pdf(html: str, *, archiv: bool = True) -> bytes:
    """The PDF of ``html``, as PDF/A-3b unless ``archiv`` is False (WeasyPrint loads late)."""
    from weasyprint import HTML

    variante = {"pdf_variant": PDF_A} if archiv else {}
    with warnings.catch_warnings():
        # WeasyPrint opens its sRGB profile for the PDF/A output intent and never closes it
        warnings.filterwarnings(
            "ignore", message=r"unclosed file .*sRGB2014\.icc", category=ResourceWarning
        )
        return HTML(string=html, url_fetcher=no_fetch).write_pdf(**variante)
