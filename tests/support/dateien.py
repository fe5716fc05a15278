"""Sample files for upload tests: a real (pypdf-readable) PDF and hostile variants."""

from __future__ import annotations

import io

from pypdf import PdfWriter


def pdf(pages: int = 1) -> bytes:
    """A small valid PDF with blank pages (uploads must parse with pypdf)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


MINIMAL_PDF = pdf()
