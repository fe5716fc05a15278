"""The minutes template (Protokollvorlage): a Word document with the meeting's data filled in.

Moderators download it before the meeting, write the minutes into it and upload the result.
It carries the meeting's data, who is expected (replies to the invitations, from
``app.sitzungen.anwesenheit``), one heading per agenda item with empty result and agreement
paragraphs, and the Gremium's next meeting. Built with python-docx on its default template,
marked as German so spelling checks work.
"""

from __future__ import annotations

import io
import re
from datetime import datetime

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from sqlalchemy import select

from app.core.types import utcnow
from app.extensions import db
from app.sitzungen.anwesenheit import Teilnehmer, dateiname, tag, teilnehmer, zeitraum
from app.sitzungen.models import Antwort, Sitzung, SitzungStatus, Tagesordnungspunkt

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LUECKE = "______________________________"
# characters XML 1.0 cannot hold (python-docx refuses them); the input boundary strips most
_NICHT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str | None) -> str:
    """User text as the document may hold it (a form feed becomes a space)."""
    return _NICHT_XML.sub(" ", value or "")


def anwesend(liste: list[Teilnehmer]) -> list[str]:
    """The expected attendees: confirmations with organisation, then substitutes."""
    zusagen = [_person(t) for t in liste if t.antwort == Antwort.ZUSAGE]
    vertretungen = [
        f"{t.vertretung_name or 'Vertretung'} in Vertretung für {_person(t)}"
        for t in liste
        if t.antwort == Antwort.VERTRETUNG
    ]
    return zusagen + vertretungen


def _person(t: Teilnehmer) -> str:
    """„Name (Organisation)“, guests marked as such."""
    zusatz = [z for z in (t.organisation, "Gast" if t.gast else None) if z]
    return f"{t.name} ({', '.join(zusatz)})" if zusatz else t.name


def naechste_sitzung(sitzung: Sitzung) -> Sitzung | None:
    """The Gremium's next meeting after this one that is not cancelled (one query)."""
    return db.session.scalar(
        select(Sitzung)
        .where(
            Sitzung.gremium_id == sitzung.gremium_id,
            Sitzung.beginn > sitzung.beginn,
            Sitzung.status != SitzungStatus.ABGESAGT,
        )
        .order_by(Sitzung.beginn, Sitzung.id)
        .limit(1)
    )


def _tops(sitzung: Sitzung) -> list[Tagesordnungspunkt]:
    """The agenda in its order (without documents)."""
    return list(
        db.session.scalars(
            select(Tagesordnungspunkt)
            .where(Tagesordnungspunkt.sitzung_id == sitzung.id)
            .order_by(Tagesordnungspunkt.position, Tagesordnungspunkt.id)
        )
    )


def _deutsch(doc: DocxDocument) -> None:
    """Mark the document's default language as German (spelling, hyphenation)."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "de-DE")


def _angabe(doc: DocxDocument, label: str, wert: str) -> None:
    """A paragraph „Label: value“ with the label in bold."""
    absatz = doc.add_paragraph()
    absatz.add_run(f"{label}: ").bold = True
    absatz.add_run(_text(wert))


def _liste(doc: DocxDocument, titel: str, eintraege: list[str], leer: str) -> None:
    """A small heading and one bullet per entry (or a note that there is none)."""
    doc.add_heading(titel, level=2)
    for eintrag in eintraege or [leer]:
        doc.add_paragraph(_text(eintrag), style="List Bullet")


def _top(doc: DocxDocument, nummer: int, top: Tagesordnungspunkt) -> None:
    """One agenda item: heading, its description, empty result and agreements."""
    doc.add_heading(_text(f"TOP {nummer}: {top.titel}"), level=1)
    for zeile in _text(top.beschreibung).splitlines():
        if zeile.strip():
            doc.add_paragraph(zeile.strip())
    for label in ("Ergebnis:", "Vereinbarungen / Aufgaben:"):
        doc.add_paragraph().add_run(label).bold = True
        doc.add_paragraph()


def protokollvorlage(sitzung: Sitzung) -> bytes:
    """The filled-in template as DOCX bytes."""
    liste = teilnehmer(sitzung)
    naechste = naechste_sitzung(sitzung)
    doc = Document()
    _deutsch(doc)
    titel = _text(f"Protokoll: {sitzung.titel}")
    eigenschaften = doc.core_properties
    eigenschaften.title, eigenschaften.language = titel, "de-DE"
    eigenschaften.author = eigenschaften.last_modified_by = "Planungskreislauf"
    jetzt: datetime = utcnow().replace(tzinfo=None)
    eigenschaften.created = eigenschaften.modified = jetzt
    doc.add_heading(titel, level=0)
    _angabe(doc, "Gremium", sitzung.gremium.name)
    _angabe(doc, "Datum", tag(sitzung))
    _angabe(doc, "Zeit", zeitraum(sitzung))
    _angabe(doc, "Ort", sitzung.ort_text)
    if sitzung.online_link:
        _angabe(doc, "Online", sitzung.online_link)
    _liste(doc, "Anwesend", anwesend(liste), "(bitte ergänzen)")
    entschuldigt = [_person(t) for t in liste if t.antwort == Antwort.ABSAGE]
    _liste(doc, "Entschuldigt", entschuldigt, "niemand")
    offen = [_person(t) for t in liste if t.antwort == Antwort.OFFEN]
    if offen:
        _liste(doc, "Ohne Rückmeldung (bitte zuordnen)", offen, "")
    _angabe(doc, "Protokoll", LUECKE)
    for nummer, top in enumerate(_tops(sitzung), start=1):
        _top(doc, nummer, top)
    weiter = f"{tag(naechste)}, {zeitraum(naechste)}, {naechste.ort_text}" if naechste else LUECKE
    _angabe(doc, "Nächste Sitzung", weiter)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def vorlage_dateiname(sitzung: Sitzung) -> str:
    """protokollvorlage-<gremium>-<yyyy-mm-dd>.docx"""
    return dateiname(sitzung, "protokollvorlage", "docx")
