"""What makes a PDF an archive PDF/A-3b, read with pypdf: identification and embedded fonts."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader


def pdfa_kennung(pdf: bytes) -> tuple[str | None, str | None]:
    """(part, conformance) from the XMP metadata's ``pdfaid`` entries."""
    reader = PdfReader(io.BytesIO(pdf))
    metadata = reader.trailer["/Root"].get("/Metadata")
    if metadata is None:
        return None, None
    xmp = metadata.get_object().get_data().decode("utf-8", "replace")
    part = re.search(r'pdfaid:part(?:="|>)(\d)', xmp)
    conformance = re.search(r'pdfaid:conformance(?:="|>)([ABU])', xmp)
    return (part.group(1) if part else None, conformance.group(1) if conformance else None)


def output_intent(pdf: bytes) -> str | None:
    """The subtype of the document's output intent (PDF/A: ``/GTS_PDFA1`` with an ICC profile)."""
    intents = PdfReader(io.BytesIO(pdf)).trailer["/Root"].get("/OutputIntents")
    if not intents:
        return None
    intent = intents[0].get_object()
    return intent["/S"] if "/DestOutputProfile" in intent else None


def nicht_eingebettete_schriften(pdf: bytes) -> list[str]:
    """Names of fonts without an embedded font program (must be empty for PDF/A)."""
    fehlend: list[str] = []
    gesehen: set[int] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.get_object().values():
            font = ref.get_object()
            if id(font) in gesehen:
                continue
            gesehen.add(id(font))
            kandidaten = [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]
            deskriptoren = [
                k.get("/FontDescriptor") for k in kandidaten if k.get("/FontDescriptor")
            ]
            eingebettet = any(
                any(k in d.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                for d in deskriptoren
            )
            if not eingebettet:
                fehlend.append(str(font.get("/BaseFont")))
    return fehlend


def assert_pdfa(pdf: bytes) -> None:
    """PDF/A-3b identification, sRGB output intent, at least one font and all embedded."""
    assert pdfa_kennung(pdf) == ("3", "B")
    assert output_intent(pdf) == "/GTS_PDFA1"
    assert nicht_eingebettete_schriften(pdf) == []
    assert any((p.get("/Resources") or {}).get("/Font") for p in PdfReader(io.BytesIO(pdf)).pages)
