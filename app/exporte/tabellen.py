"""The export tables: German headers, one row per object, a fixed number of queries each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.core.i18n import datum, datumzeit
from app.extensions import db
from app.impulse.models import Impuls
from app.massnahmen.models import Beschluss, Massnahme
from app.protokolle.models import Protokoll
from app.sitzungen.models import Antwort, Einladung, Sitzung
from app.stammdaten.models import Gremium

Tabelle = tuple[list[str], list[list[Any]]]


@dataclass(frozen=True)
class Export:
    schluessel: str
    titel: str
    beschreibung: str
    recht: str  # the permission that also guards the source's own pages
    tabelle: Callable[[], Tabelle]


def _betrag(wert: Decimal | None) -> float | None:
    return float(wert) if wert is not None else None


def impulse() -> Tabelle:
    """The impulse register with status and the published answer."""
    kopf = [
        "Nr.", "Eingang", "Titel", "Thema", "Quelle", "Gremium der Quelle", "Stadtbereich",
        "Adressiert an", "Status", "Beantwortet am", "Veröffentlichte Antwort", "Öffentlich",
    ]  # fmt: skip
    rows = db.session.scalars(
        select(Impuls)
        .options(joinedload(Impuls.quelle_gremium), joinedload(Impuls.sozialraum))
        .order_by(Impuls.created_at, Impuls.id)
    ).all()
    return kopf, [
        [
            i.id,
            datumzeit(i.created_at),
            i.titel,
            i.thema or "",
            i.quelle.label,
            i.quelle_gremium.name if i.quelle_gremium else "",
            i.sozialraum.name if i.sozialraum else "",
            i.adressiert_an.label,
            i.status.label,
            datum(i.beantwortet_at),
            i.antwort_veroeffentlicht or "",
            "ja" if i.oeffentlich else "nein",
        ]
        for i in rows
    ]


def massnahmen() -> Tabelle:
    """Measures with funding (budget, third-party funds) and status, by cycle and priority."""
    kopf = [
        "Planungszyklus", "Priorität", "Maßnahme", "Art", "Stadtbereich", "Status",
        "Fortschritt (%)", "Kosten (€)", "Haushalt (€)", "Drittmittel (€)", "Drittmittelquellen",
        "Beschlüsse",
    ]  # fmt: skip
    rows = db.session.scalars(
        select(Massnahme)
        .options(
            joinedload(Massnahme.zyklus),
            joinedload(Massnahme.sozialraum),
            selectinload(Massnahme.drittmittel),
            selectinload(Massnahme.beschluesse).joinedload(Beschluss.gremium),
        )
        .order_by(Massnahme.zyklus_id, Massnahme.prioritaet.is_(None), Massnahme.prioritaet)
        .order_by(Massnahme.id)
    ).all()
    return kopf, [
        [
            m.zyklus.titel,
            m.prioritaet,
            m.titel,
            m.art.label,
            m.sozialraum.name if m.sozialraum else "Gesamtstadt",
            m.status.label,
            m.fortschritt,
            _betrag(m.kosten),
            _betrag(m.haushalt),
            _betrag(m.drittmittel_summe) if m.drittmittel else None,
            "; ".join(f"{d.quelle} ({d.status.label})" for d in m.drittmittel),
            "; ".join(f"{b.gremium.name}: {b.ergebnis.label}" for b in m.beschluesse),
        ]
        for m in rows
    ]


def beschluesse() -> Tabelle:
    """Every recorded decision of the board and the committees."""
    kopf = ["Datum", "Gremium", "Maßnahme", "Ergebnis", "Drucksache", "Bemerkung", "Im Auftrag"]
    rows = db.session.scalars(
        select(Beschluss)
        .options(joinedload(Beschluss.gremium), joinedload(Beschluss.massnahme))
        .order_by(Beschluss.datum, Beschluss.id)
    ).all()
    return kopf, [
        [
            datum(b.datum),
            b.gremium.name,
            b.massnahme.titel if b.massnahme else "",
            b.ergebnis.label,
            b.drucksache or "",
            b.bemerkung or "",
            "ja" if b.im_auftrag else "nein",
        ]
        for b in rows
    ]


def sitzungen() -> Tabelle:
    """Meetings with their attendance: replies to the invitations and the minutes' count."""
    kopf = [
        "Datum", "Gremium", "Sitzung", "Status", "Eingeladen", "Zusagen", "Absagen",
        "davon mit Vertretung", "Ohne Rückmeldung", "Teilnehmende laut Protokoll",
    ]  # fmt: skip

    def zahl(antwort: Antwort | None = None):
        bedingung = Einladung.id.is_not(None) if antwort is None else Einladung.antwort == antwort
        return func.count(Einladung.id).filter(bedingung)

    rows = db.session.execute(
        select(
            Sitzung.beginn,
            Gremium.name,
            Sitzung.titel,
            Sitzung.status,
            zahl(),
            zahl(Antwort.ZUSAGE),
            zahl(Antwort.ABSAGE),
            zahl(Antwort.VERTRETUNG),
            zahl(Antwort.OFFEN),
            Protokoll.teilnehmende_anzahl,
        )
        .join(Gremium, Gremium.id == Sitzung.gremium_id)
        .outerjoin(Einladung, Einladung.sitzung_id == Sitzung.id)
        .outerjoin(Protokoll, Protokoll.sitzung_id == Sitzung.id)
        .group_by(Sitzung.id, Gremium.name, Protokoll.teilnehmende_anzahl)
        .order_by(Sitzung.beginn, Sitzung.id)
    ).all()
    return kopf, [
        [datumzeit(r[0]), r[1], r[2], r[3].label, r[4], r[5], r[6] + r[7], r[7], r[8], r[9]]
        for r in rows
    ]


EXPORTE = {
    e.schluessel: e
    for e in (
        Export(
            "impulse",
            "Impulsregister",
            "Alle Impulse mit Quelle, Status und veröffentlichter Antwort.",
            "impulse.register",
            impulse,
        ),
        Export(
            "massnahmen",
            "Maßnahmenliste",
            "Maßnahmen je Planungszyklus mit Priorität, Kosten, Finanzierung und Status.",
            "massnahmen.ansehen",
            massnahmen,
        ),
        Export(
            "beschluesse",
            "Beschlüsse",
            "Beschlüsse des Verwaltungsvorstands und der Ausschüsse mit Drucksache.",
            "massnahmen.ansehen",
            beschluesse,
        ),
        Export(
            "sitzungen",
            "Sitzungen mit Teilnahme",
            "Jede Sitzung mit Einladungen, Zu- und Absagen und der Teilnahme laut Protokoll.",
            "exporte.teilnahme",
            sitzungen,
        ),
    )
}
