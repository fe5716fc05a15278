"""Sample files for upload tests: a real (pypdf-readable) PDF and hostile variants."""

from __future__ import annotations

import io
import zipfile

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


def text_pdf(*seiten: str) -> bytes:
    """A PDF with one page per text (to find the pages again in a joined document)."""
    from app.core.pdf import html_to_pdf

    html = "".join(f'<p style="page-break-after: always">{text}</p>' for text in seiten[:-1])
    return html_to_pdf(html + f"<p>{seiten[-1]}</p>", archiv=False)


def verschluesseltes_pdf(kennwort: str = "geheim") -> bytes:
    """A PDF that opens only with a password."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(kennwort, "eigentuemer", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _zip(eintraege: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archiv:
        for name, data in eintraege.items():
            archiv.writestr(name, data)
    return buffer.getvalue()


MINIMAL_DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
