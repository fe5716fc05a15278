"""The meeting pack (Sitzungsmappe): invitation, agenda and the TOPs' PDF documents in one PDF.

``erstellen(sitzung, tops)`` builds it from the meeting as it is: a cover page with the
invitation and the agenda (``templates/sitzungen/mappe.html`` through ``html_to_pdf``), then
every TOP's PDF documents in agenda order, an outline entry per TOP and "Seite x von y" on every
page (``app.core.pdfmappe``). Other documents (Word, Excel, images) and PDFs that cannot be read
are listed in the agenda as "nicht enthalten" with the reason. It runs no query: the caller
passes the agenda with its documents loaded.

Each pack is kept under a key of everything it shows (meeting data, agenda, the documents'
checksums) in a small cache of the process, so the invitation fan-out (a thousand mails in
steps, again on a retry) and repeated downloads build it once per version. ``versandmappe``
stores it once for all mails of a send (``app.mail.services.store_inhalt``); above
``SITZUNGSMAPPE_MAX_ANHANG_MB`` the mails carry a personal download link instead.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from babel.dates import format_date
from flask import current_app, render_template
from pypdf import PdfReader

from app.core.dateinamen import namensteil
from app.core.pdf import html_to_pdf
from app.core.pdfmappe import Heft, NichtLesbar, oeffnen
from app.dateien.models import Datei
from app.dateien.services import DOCX, JPEG, ODS, ODT, PDF, PNG, XLSX, read_datei
from app.mail.services import store_inhalt
from app.sitzungen.grundlagen import BERLIN
from app.sitzungen.models import Sitzung, Tagesordnungspunkt

DATEINAME = "sitzungsmappe.pdf"  # last part of both download routes
VERSION = 1  # part of the cache key: raise it when the layout changes
GRUNDGROESSE = 40 * 1024  # cover and agenda, for the estimate on the meeting page
CACHE_EINTRAEGE = 8
CACHE_BYTES = 64 * 1024 * 1024
ARTEN = {
    DOCX: "Word-Datei",
    XLSX: "Excel-Datei",
    ODT: "OpenDocument-Text",
    ODS: "OpenDocument-Tabelle",
    PNG: "Bild",
    JPEG: "Bild",
}

_cache: OrderedDict[str, Mappe] = OrderedDict()
_lock = threading.Lock()


def groesse_text(groesse: int) -> str:
    """A size for people: 12 KB, 3,4 MB."""
    if groesse < 1024 * 1024:
        return f"{max(1, round(groesse / 1024))} KB"
    return f"{groesse / (1024 * 1024):.1f} MB".replace(".", ",")


@dataclass(frozen=True)
class Anlage:
    """One document of a TOP as the pack lists it: its pages in the pack, or why not."""

    name: str
    seite: int | None = None  # index of its first page among the attachments
    seiten: int = 0
    grund: str | None = None

    @property
    def enthalten(self) -> bool:
        return self.grund is None


@dataclass(frozen=True)
class Mappe:
    """The finished pack."""

    pdf: bytes
    seiten: int
    fehlend: tuple[Anlage, ...]

    @property
    def groesse(self) -> int:
        return len(self.pdf)


def erstellen(sitzung: Sitzung, tops: list[Tagesordnungspunkt]) -> Mappe:
    """The pack of the meeting with ``tops`` (documents loaded); built once per version."""
    schluessel = _schluessel(sitzung, tops)
    with _lock:
        if schluessel in _cache:
            _cache.move_to_end(schluessel)
            return _cache[schluessel]
    mappe = _bauen(sitzung, tops)
    _merken(schluessel, mappe)
    return mappe


def _schluessel(sitzung: Sitzung, tops: list[Tagesordnungspunkt]) -> str:
    """Everything the pack shows, as a checksum (documents by their content's SHA-256)."""
    teile = [
        VERSION,
        current_app.config.get("ORGANISATION_NAME"),
        [sitzung.id, sitzung.gremium.name, sitzung.titel, sitzung.beginn, sitzung.ende],
        [sitzung.ort_name, sitzung.ort_raum, sitzung.ort_adresse, sitzung.online_link],
        [sitzung.status.value, sitzung.absage_grund],
        [
            [t.id, t.titel, t.beschreibung]
            + [[d.id, d.original_name, d.content_type, d.sha256] for d in t.dateien]
            for t in tops
        ],
    ]
    return hashlib.sha256(json.dumps(teile, default=str).encode()).hexdigest()


def _merken(schluessel: str, mappe: Mappe) -> None:
    """Keep the newest packs up to ``CACHE_EINTRAEGE`` entries and ``CACHE_BYTES`` in all."""
    if mappe.groesse > CACHE_BYTES // 2:
        return
    with _lock:
        _cache[schluessel] = mappe
        while len(_cache) > CACHE_EINTRAEGE or sum(m.groesse for m in _cache.values()) > (
            CACHE_BYTES
        ):
            _cache.popitem(last=False)


def _bauen(sitzung: Sitzung, tops: list[Tagesordnungspunkt]) -> Mappe:
    """Attachments first (so the agenda can name their pages), then cover and agenda before."""
    heft = Heft.neu()
    anlagen = [[_anhaengen(heft, datei) for datei in top.dateien] for top in tops]
    vorn, marken = _vorspann(sitzung, tops, anlagen)
    heft.voranstellen(vorn)
    versatz = len(vorn.pages)
    heft.lesezeichen("Einladung", 0)
    heft.lesezeichen("Tagesordnung", marken[0])
    for nummer, (top, eintraege) in enumerate(zip(tops, anlagen, strict=True), 1):
        enthalten = [a for a in eintraege if a.seite is not None]
        ziel = versatz + enthalten[0].seite if enthalten else marken[nummer]
        eltern = heft.lesezeichen(f"TOP {nummer}: {top.titel}", ziel)
        for anlage in enthalten:
            heft.lesezeichen(anlage.name, versatz + anlage.seite, eltern)
    titel = f"Sitzungsmappe: {sitzung.gremium.name} – {sitzung.titel}, {_tag(sitzung)}"
    pdf = heft.fertig(titel)
    fehlend = tuple(a for eintraege in anlagen for a in eintraege if not a.enthalten)
    return Mappe(pdf=pdf, seiten=heft.seiten, fehlend=fehlend)


def _anhaengen(heft: Heft, datei: Datei) -> Anlage:
    """Append a PDF document's pages; anything else is listed with the reason."""
    name = datei.original_name
    if datei.content_type != PDF:
        return Anlage(name, grund=f"{ARTEN.get(datei.content_type, 'andere Datei')}, kein PDF")
    try:
        data = read_datei(datei)
    except OSError:
        return Anlage(name, grund="Datei nicht gefunden")
    try:
        start = heft.anhaengen(oeffnen(data))
    except NichtLesbar as exc:
        return Anlage(name, grund=str(exc))
    return Anlage(name, seite=start, seiten=heft.seiten - start)


def _vorspann(
    sitzung: Sitzung, tops: list[Tagesordnungspunkt], anlagen: list[list[Anlage]]
) -> tuple[PdfReader, list[int]]:
    """Cover and agenda, with the attachments' page numbers counted from its own length;
    also the page of the agenda and of each TOP on it (from the outline WeasyPrint writes)."""
    vorn_seiten = 2
    for _versuch in range(3):  # a longer agenda moves the numbers: render again (rarely)
        html = render_template(
            "sitzungen/mappe.html",
            sitzung=sitzung,
            tops=list(zip(tops, anlagen, strict=True)),
            versatz=vorn_seiten,
            termin=_termin(sitzung),
            fehlt=any(not a.enthalten for eintraege in anlagen for a in eintraege),
        )
        reader = oeffnen(html_to_pdf(html, archiv=False))
        if len(reader.pages) == vorn_seiten:
            break
        vorn_seiten = len(reader.pages)
    return reader, _marken(reader, len(tops))


def _marken(reader: PdfReader, anzahl: int) -> list[int]:
    """[agenda page, page of TOP 1, …] from the outline: "Tagesordnung" and its entries."""
    gliederung = list(reader.outline)
    flach: list[int] = []
    for eintrag in gliederung[1:]:  # the first entry is the cover
        for e in eintrag if isinstance(eintrag, list) else [eintrag]:
            flach.append(reader.get_destination_page_number(e))
    agenda = flach[0] if flach else len(reader.pages) - 1
    return [agenda, *(flach[1:] + [agenda] * anzahl)[:anzahl]]


def _tag(sitzung: Sitzung) -> str:
    """The day in German words: Donnerstag, 25. Februar 2027."""
    return format_date(sitzung.beginn.astimezone(BERLIN).date(), "EEEE, d. MMMM yyyy", locale="de")


def _termin(sitzung: Sitzung) -> str:
    """Day and time in Europe/Berlin: Donnerstag, 25. Februar 2027, 18:00 bis 20:00 Uhr."""
    beginn, ende = sitzung.beginn.astimezone(BERLIN), sitzung.ende.astimezone(BERLIN)
    if ende.date() == beginn.date():
        return f"{_tag(sitzung)}, {beginn:%H:%M} bis {ende:%H:%M} Uhr"
    return f"{_tag(sitzung)}, {beginn:%H:%M} Uhr bis {ende:%d.%m.%Y, %H:%M} Uhr"


def dateiname(sitzung: Sitzung) -> str:
    """sitzungsmappe-traegerrunde-2027-02-25.pdf (ASCII, so every mail program keeps it)."""
    gremium = namensteil(sitzung.gremium.name, ersatz="gremium")
    return f"sitzungsmappe-{gremium}-{sitzung.beginn.astimezone(BERLIN):%Y-%m-%d}.pdf"


# --------------------------------------------------------------------------- meeting page, mails


@dataclass(frozen=True)
class Hinweis:
    """What the meeting page says about the pack without building it."""

    pdf_anlagen: int
    andere: int
    groesse: int

    @property
    def groesse_text(self) -> str:
        return groesse_text(self.groesse)


def hinweis(tops: list[Tagesordnungspunkt]) -> Hinweis:
    """PDF documents, other documents and the estimated size, from the loaded agenda."""
    dateien = [d for top in tops for d in top.dateien]
    pdfs = [d for d in dateien if d.content_type == PDF]
    return Hinweis(len(pdfs), len(dateien) - len(pdfs), GRUNDGROESSE + sum(d.size for d in pdfs))


@dataclass(frozen=True)
class Versandmappe:
    """The pack as an invitation mail carries it: attached (stored once) or too large."""

    dateiname: str
    seiten: int
    groesse: int
    inhalt_id: int | None  # None: larger than the limit, the mail links to the download

    @property
    def angehaengt(self) -> bool:
        return self.inhalt_id is not None

    @property
    def groesse_text(self) -> str:
        return groesse_text(self.groesse)

    def anhaenge(self) -> list[tuple[str, str, int]]:
        """The shared attachment for ``queue_mail`` (none when too large)."""
        return [(self.dateiname, PDF, self.inhalt_id)] if self.inhalt_id is not None else []


def versandmappe(sitzung: Sitzung) -> Versandmappe | None:
    """The pack for this send when the meeting asks for it (agenda and documents loaded)."""
    if not sitzung.mappe_beifuegen:
        return None
    mappe = erstellen(sitzung, list(sitzung.tagesordnungspunkte))
    grenze = float(current_app.config.get("SITZUNGSMAPPE_MAX_ANHANG_MB", 10)) * 1024 * 1024
    inhalt_id = store_inhalt(mappe.pdf) if mappe.groesse <= grenze else None
    return Versandmappe(dateiname(sitzung), mappe.seiten, mappe.groesse, inhalt_id)


def mappe_link(link: str) -> str:
    """The personal download of the pack: below the reply link it belongs to."""
    return f"{link}/{DATEINAME}"


def mail_kontext(mappe: Versandmappe | None, link: str) -> dict[str, Any]:
    """What the invitation templates need to mention the pack."""
    return {"mappe": mappe, "mappe_link": mappe_link(link)}
