"""Domain operations of the Datenbasis and the Sozialreport; they flush, the view commits."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import func, select

from app.core.types import utcnow
from app.datenbasis.models import (
    Diagramm,
    DiagrammArt,
    Einrichtung,
    EinrichtungTyp,
    Indikator,
    Interview,
    Kapitel,
    Kommentar,
    ReportStatus,
    Schlagwort,
    Sozialreport,
)
from app.datenbasis.zyklus import cycle_passed_planungsrunde, report_editable_in_cycle
from app.extensions import db
from app.stammdaten.models import Sozialraum


class NotPossible(ValueError):
    """A domain rule refuses the operation; the message is German and shown as is."""


# --------------------------------------------------------------------------- indicators


def save_indikator(indikator: Indikator | None, **values: Any) -> Indikator:
    """Create or change a catalogue entry; names stay unique (case-insensitive)."""
    name = values["name"].strip()
    clash = db.session.scalar(select(Indikator).where(func.lower(Indikator.name) == name.lower()))
    if clash is not None and clash is not indikator:
        raise NotPossible(f"Einen Indikator „{name}“ gibt es bereits.")
    indikator = indikator or Indikator()
    for key, value in values.items():
        setattr(indikator, key, value.strip() if isinstance(value, str) else value)
    db.session.add(indikator)
    db.session.flush()
    return indikator


# --------------------------------------------------------------------------- Einrichtungen


def save_einrichtung(einrichtung: Einrichtung | None, **values: Any) -> Einrichtung:
    """Create or change an Einrichtung; a Träger as operator replaces the free text."""
    einrichtung = einrichtung or Einrichtung()
    for key, value in values.items():
        setattr(einrichtung, key, value.strip() if isinstance(value, str) else value)
    if einrichtung.traeger_id:
        einrichtung.betreiber = ""
    db.session.add(einrichtung)
    db.session.flush()
    return einrichtung


def count_einrichtungen() -> dict[tuple[int, EinrichtungTyp], int]:
    """Number of Einrichtungen per (Sozialraum, type), in one query."""
    rows = db.session.execute(
        select(Einrichtung.sozialraum_id, Einrichtung.typ, func.count()).group_by(
            Einrichtung.sozialraum_id, Einrichtung.typ
        )
    )
    return {(raum_id, typ): anzahl for raum_id, typ, anzahl in rows}


# --------------------------------------------------------------------------- interviews

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w,.])(?:\+|00|0)\d[\d /()\-]{4,}\d")


def personal_data_hints(text: str) -> list[str]:
    """What in ``text`` looks like an e-mail address or a phone number (to warn, not to block)."""
    hints = []
    if EMAIL.search(text or ""):
        hints.append("Der Text scheint eine E-Mail-Adresse zu enthalten.")
    if any(sum(c.isdigit() for c in m.group()) >= 6 for m in PHONE.finditer(text or "")):
        hints.append("Der Text scheint eine Telefonnummer zu enthalten.")
    return hints


def parse_tags(text: str) -> list[str]:
    """Comma-separated tags, trimmed, without duplicates, in the given order."""
    seen: dict[str, str] = {}
    for part in (text or "").split(","):
        tag = " ".join(part.split())[:60]
        if tag and tag.lower() not in seen:
            seen[tag.lower()] = tag
    return list(seen.values())


def _schlagworte(names: list[str]) -> list[Schlagwort]:
    """Existing tags are reused (case-insensitive), new ones created."""
    existing = {
        s.name.lower(): s
        for s in db.session.scalars(
            select(Schlagwort).where(func.lower(Schlagwort.name).in_([n.lower() for n in names]))
        )
    }
    result = []
    for name in names:
        tag = existing.get(name.lower())
        if tag is None:
            tag = existing[name.lower()] = Schlagwort(name=name)
            db.session.add(tag)
        result.append(tag)
    return result


def save_interview(
    interview: Interview | None,
    *,
    titel: str,
    datum: date | None,
    sozialraum_id: int | None,
    zusammenfassung: str,
    schlagworte: str,
) -> Interview:
    """Create or change an interview summary with its tags."""
    interview = interview or Interview()
    interview.titel = titel.strip()
    interview.datum = datum
    interview.sozialraum_id = sozialraum_id
    interview.zusammenfassung = zusammenfassung.strip()
    interview.schlagworte = _schlagworte(parse_tags(schlagworte))
    db.session.add(interview)
    db.session.flush()
    return interview


# --------------------------------------------------------------------------- Sozialreport


def create_report(zyklus_id: int, titel: str, einleitung: str = "") -> Sozialreport:
    """A new draft report for a cycle."""
    report = Sozialreport(zyklus_id=zyklus_id, titel=titel.strip(), einleitung=einleitung.strip())
    db.session.add(report)
    db.session.flush()
    return report


def _ensure_editable(report: Sozialreport) -> None:
    """Refuse changes after publication or once the cycle has left the Planungsrunde."""
    if report.veroeffentlicht:
        raise NotPossible("Ein veröffentlichter Sozialreport kann nicht mehr geändert werden.")
    if not report_editable_in_cycle(report.zyklus):
        raise NotPossible(
            "Der Planungszyklus hat die Planungsrunde hinter sich; der Sozialreport kann "
            "nicht mehr geändert, nur noch veröffentlicht werden."
        )


def update_report(report: Sozialreport, titel: str, einleitung: str) -> None:
    """Change title and introduction until publication."""
    _ensure_editable(report)
    report.titel, report.einleitung = titel.strip(), einleitung.strip()
    db.session.flush()


def save_kapitel(
    report: Sozialreport, kapitel: Kapitel | None, titel: str, text: str, art: str = "text"
) -> Kapitel:
    """Add a chapter at the end, or change one."""
    from app.datenbasis.erweiterungen import kapitel_arten

    _ensure_editable(report)
    if art not in {a.key for a in kapitel_arten()}:
        raise NotPossible("Diese Art von Kapitel gibt es nicht.")
    if kapitel is None:
        position = db.session.scalar(
            select(func.coalesce(func.max(Kapitel.position), 0)).where(
                Kapitel.report_id == report.id
            )
        )
        kapitel = Kapitel(report_id=report.id, position=(position or 0) + 1)
        db.session.add(kapitel)
    kapitel.titel, kapitel.text, kapitel.art = titel.strip(), text, art
    db.session.flush()
    return kapitel


def add_diagramm(
    kapitel: Kapitel,
    indikator_id: int,
    art: DiagrammArt,
    jahr: int | None,
    einrichtung_typen: list[str] | None = None,
) -> Diagramm:
    """Add a chart of one indicator to a chapter (a map may show Einrichtungen of some types)."""
    _ensure_editable(kapitel.report)
    if db.session.get(Indikator, indikator_id) is None:
        raise NotPossible("Diesen Indikator gibt es nicht.")
    typen = [EinrichtungTyp(t).value for t in einrichtung_typen or []]
    diagramm = Diagramm(
        kapitel_id=kapitel.id,
        indikator_id=indikator_id,
        art=art,
        jahr=jahr,
        einrichtung_typen=",".join(typen) if art == DiagrammArt.KARTE else "",
    )
    db.session.add(diagramm)
    db.session.flush()
    return diagramm


def remove_diagramm(diagramm: Diagramm) -> None:
    """Take a chart out of its chapter."""
    _ensure_editable(diagramm.kapitel.report)
    db.session.delete(diagramm)
    db.session.flush()


def add_kommentar(kapitel: Kapitel, user: Any, text: str) -> Kommentar:
    """A Planungsrunde member's comment on a chapter (only while the report is before it)."""
    if kapitel.report.status != ReportStatus.PLANUNGSRUNDE:
        raise NotPossible(
            "Kommentare sind nur möglich, solange der Sozialreport in der Planungsrunde liegt."
        )
    kommentar = Kommentar(kapitel_id=kapitel.id, user_id=user.id, text=text.strip())
    db.session.add(kommentar)
    db.session.flush()
    return kommentar


def submit_to_planungsrunde(report: Sozialreport) -> None:
    """Entwurf → in der Planungsrunde: members can read and comment."""
    if report.status != ReportStatus.ENTWURF:
        raise NotPossible("Nur ein Entwurf kann in die Planungsrunde gegeben werden.")
    if not report.kapitel:
        raise NotPossible("Der Sozialreport braucht mindestens ein Kapitel.")
    report.status = ReportStatus.PLANUNGSRUNDE
    db.session.flush()


def back_to_draft(report: Sozialreport) -> None:
    """In der Planungsrunde → Entwurf, e.g. for a larger revision."""
    if report.status != ReportStatus.PLANUNGSRUNDE:
        raise NotPossible("Nur ein Sozialreport in der Planungsrunde kann zurück in den Entwurf.")
    report.status = ReportStatus.ENTWURF
    db.session.flush()


def publish_report(report: Sozialreport) -> None:
    """In der Planungsrunde → veröffentlicht, once the cycle has passed the Planungsrunde."""
    if report.status != ReportStatus.PLANUNGSRUNDE:
        raise NotPossible(
            "Veröffentlicht werden kann nur ein Sozialreport, der in der Planungsrunde "
            "beraten wurde."
        )
    if not cycle_passed_planungsrunde(report.zyklus):
        raise NotPossible(
            "Der Planungszyklus hat die Phase Planungsrunde noch nicht abgeschlossen; "
            "erst danach kann der Sozialreport veröffentlicht werden."
        )
    report.status = ReportStatus.VEROEFFENTLICHT
    report.veroeffentlicht_at = utcnow()
    db.session.flush()


def sozialraeume() -> list[Sozialraum]:
    """Active Sozialräume in their numbering order."""
    return list(
        db.session.scalars(select(Sozialraum).where(Sozialraum.aktiv).order_by(Sozialraum.nummer))
    )
