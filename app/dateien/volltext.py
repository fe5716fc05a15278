"""The text of uploaded documents (PDF, DOCX, ODT), read once at upload for the search.

Bounded: at most ``MAX_SEITEN`` PDF pages and ``MAX_ZEICHEN`` characters; a file whose text
cannot be read simply has none (the upload itself was already validated by ``inspection``).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

MAX_SEITEN = 300
MAX_ZEICHEN = 200_000
MAX_XML_BYTES = 20 * 1024 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
_XML_TEIL = {DOCX: "word/document.xml", ODT: "content.xml"}
_ABSATZ = {
    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p",
    "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}p",
    "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}h",
}


def text_aus(path: Path, content_type: str) -> str | None:
    """The document's plain text (whitespace folded), or None for other types and failures."""
    try:
        if content_type == PDF:
            text = _pdf_text(path)
        elif content_type in _XML_TEIL:
            text = _xml_text(path, _XML_TEIL[content_type])
        else:
            return None
    except Exception:  # a text we cannot read is no reason to refuse a validated upload
        return None
    text = re.sub(r"[ \t\r\f\v]+", " ", text).replace("\x00", "")
    text = re.sub(r"\n\s*\n+", "\n", text).strip()
    return text[:MAX_ZEICHEN] or None


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path, strict=False)
    teile: list[str] = []
    laenge = 0
    for seite in reader.pages[:MAX_SEITEN]:
        teil = seite.extract_text() or ""
        teile.append(teil)
        laenge += len(teil)
        if laenge >= MAX_ZEICHEN:
            break
    return "\n".join(teile)


def _xml_text(path: Path, teil: str) -> str:
    with zipfile.ZipFile(path) as archiv:
        info = archiv.getinfo(teil)
        if info.file_size > MAX_XML_BYTES:
            return ""
        wurzel = ElementTree.fromstring(archiv.read(info))
    absaetze = []
    for element in wurzel.iter():
        if element.tag in _ABSATZ:
            absaetze.append("".join(element.itertext()))
    return "\n".join(absaetze)


def lesbar(content_type: str) -> bool:
    """Whether the search reads this type's text."""
    return content_type == PDF or content_type in _XML_TEIL
