"""Several PDF documents joined into one: outline entries, "Seite x von y" on every page.

Used for the meeting pack (``app.sitzungen.mappe``); works with any PDF pypdf reads. The pages
of the joined documents keep their content untouched: the page number is one more content
stream after it (the original wrapped in ``q``/``Q``, so its graphics state cannot move the
number), set in Helvetica (one of the PDF standard fonts, nothing to embed) and turned with
the page's ``/Rotate``, so it always stands at the bottom as the page is shown.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    TextStringObject,
)

# what reading or copying an uploaded PDF may raise besides pypdf's own errors
PDF_FEHLER = (
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    RecursionError,
    OSError,
    AssertionError,
    ZeroDivisionError,
)
SCHRIFTGROESSE = 8
RAND = 14  # points between the page's lower edge and the number's baseline
_BREITEN = {"S": 667, "e": 556, "i": 222, "t": 278, " ": 278, "v": 500, "o": 556, "n": 556}
_FONT = "/PKSeitenzahl"


class NichtLesbar(Exception):
    """A document that cannot be joined; the message is the German reason."""


def oeffnen(data: bytes) -> PdfReader:
    """A reader for ``data`` whose pages can be copied; ``NichtLesbar`` with the reason if not."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except PDF_FEHLER:
        raise NichtLesbar("PDF nicht lesbar") from None
    try:
        anzahl = len(reader.pages)  # an encrypted file opens only without a password
        for seite in reader.pages:
            _ = seite.mediabox  # the page tree and every page's size parse
    except PDF_FEHLER:
        raise NichtLesbar("verschlüsselt" if reader.is_encrypted else "PDF nicht lesbar") from None
    if anzahl == 0:
        raise NichtLesbar("PDF ohne Seiten")
    return reader


@dataclass
class Heft:
    """A PDF being put together: documents in order, outline, page numbers at the end."""

    writer: PdfWriter

    @classmethod
    def neu(cls) -> Heft:
        return cls(PdfWriter())

    @property
    def seiten(self) -> int:
        return len(self.writer.pages)

    def anhaengen(self, reader: PdfReader) -> int:
        """Append all pages of ``reader``; the index of its first page. On failure the pages
        copied so far are removed again and ``NichtLesbar`` names the reason."""
        start = self.seiten
        try:
            self.writer.append(reader, import_outline=False)
        except PDF_FEHLER:
            del self.writer.pages[start:]
            raise NichtLesbar("PDF nicht lesbar") from None
        return start

    def voranstellen(self, reader: PdfReader) -> None:
        """Put all pages of ``reader`` before the pages already there (cover, contents)."""
        for index, seite in enumerate(reader.pages):
            self.writer.insert_page(seite, index)

    def lesezeichen(self, titel: str, seite: int, eltern: IndirectObject | None = None) -> Any:
        """An outline entry pointing at page index ``seite`` (below ``eltern``)."""
        return self.writer.add_outline_item(title=titel, page_number=seite, parent=eltern)

    def fertig(self, titel: str, sprache: str = "de-DE") -> bytes:
        """Page numbers on every page, title and language; the finished document."""
        seitenzahlen(self.writer)
        self.writer.add_metadata({"/Title": titel, "/Creator": "Planungskreislauf"})
        self.writer.root_object[NameObject("/Lang")] = TextStringObject(sprache)
        self.writer.page_mode = "/UseOutlines"
        buffer = io.BytesIO()
        self.writer.write(buffer)
        return buffer.getvalue()


def seitenzahlen(writer: PdfWriter) -> None:
    """Stamp "Seite x von y" at the bottom centre of every page (as the page is shown)."""
    gesamt = len(writer.pages)
    schrift = writer._add_object(  # pypdf offers no public call to add an indirect object
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    anfang = writer._add_object(_stream(b"q\n"))
    for nummer, seite in enumerate(writer.pages, 1):
        name = _schrift_eintragen(seite, schrift)
        text = f"Seite {nummer} von {gesamt}"
        stempel = writer._add_object(_stream(_stempel(seite, text, name)))
        seite[NameObject("/Contents")] = ArrayObject([anfang, *_inhalte(seite), stempel])


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _inhalte(seite: DictionaryObject) -> list[IndirectObject]:
    """The page's content streams as references (a single stream or an array of them)."""
    inhalt = seite.get("/Contents")
    if inhalt is None:
        return []
    objekt = inhalt.get_object()
    if isinstance(objekt, ArrayObject):
        return list(objekt)
    return [inhalt]


def _schrift_eintragen(seite: DictionaryObject, schrift: IndirectObject) -> str:
    """Add the number's font to the page's resources under a name the page does not use."""
    if "/Resources" not in seite:
        seite[NameObject("/Resources")] = DictionaryObject()
    ressourcen = seite["/Resources"].get_object()
    if "/Font" not in ressourcen:
        ressourcen[NameObject("/Font")] = DictionaryObject()
    fonts = ressourcen["/Font"].get_object()
    name, zaehler = _FONT, 0
    while name in fonts and fonts[name] != schrift:
        zaehler += 1
        name = f"{_FONT}{zaehler}"
    fonts[NameObject(name)] = schrift
    return name


def _stempel(seite: Any, text: str, schrift: str) -> bytes:
    """The content stream that writes ``text`` centred at the shown page's lower edge."""
    box = seite.cropbox
    x0, y0, x1, y1 = (float(v) for v in (box.left, box.bottom, box.right, box.top))
    halb = sum(_BREITEN.get(z, 556) for z in text) * SCHRIFTGROESSE / 2000
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    matrix = {
        0: (1, 0, 0, 1, mx - halb, y0 + RAND),
        90: (0, 1, -1, 0, x1 - RAND, my - halb),
        180: (-1, 0, 0, -1, mx + halb, y1 - RAND),
        270: (0, -1, 1, 0, x0 + RAND, my + halb),
    }[round(seite.rotation / 90) % 4 * 90]
    zahlen = " ".join(f"{v:.2f}" for v in matrix)
    return (
        f"\nQ\nq 0.25 g BT {schrift} {SCHRIFTGROESSE} Tf {zahlen} Tm ({text}) Tj ET Q\n"
    ).encode("ascii")
