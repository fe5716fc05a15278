"""The attendance list of a meeting from the invitation replies: rows, counts, XLSX.

One query reads every invitation with the person's function in the Gremium and the
organisation they act for (the membership's, else the account's), so the print page and the
workbook cost the same for 3 or 300 invitees. The moderators' minutes template reads the same
rows (``app.protokolle.vorlage``).
"""

from __future__ import annotations

import io
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.core.dateinamen import namensteil
from app.core.i18n import anzahl, datum
from app.core.tabellen import write_row
from app.extensions import db
from app.sitzungen.grundlagen import BERLIN, utc_to_berlin_naive
from app.sitzungen.models import Antwort, Einladung, Sitzung
from app.sitzungen.serien import WOCHENTAGE
from app.stammdaten.models import Mitgliedschaft, Organisation

KOPF = ["Name", "Organisation", "Funktion im Gremium", "Rückmeldung", "Unterschrift"]
BREITEN = [30, 34, 20, 34, 32]
LEERZEILEN = 5  # blank rows for people who come without an invitation
# confirmed first, then substitutes (someone comes), unanswered, declined
REIHENFOLGE = {Antwort.ZUSAGE: 0, Antwort.VERTRETUNG: 1, Antwort.OFFEN: 2, Antwort.ABSAGE: 3}


@dataclass(frozen=True)
class Teilnehmer:
    """One invited person as the attendance list and the minutes template show them."""

    name: str
    organisation: str | None
    funktion: str
    antwort: Antwort
    vertretung_name: str | None
    gast: bool

    @property
    def rueckmeldung(self) -> str:
        """Zusage, Absage, „Vertretung: Name“ or „keine Rückmeldung“."""
        if self.antwort == Antwort.VERTRETUNG:
            return f"Vertretung: {self.vertretung_name or 'ohne Namen'}"
        return {Antwort.ZUSAGE: "Zusage", Antwort.ABSAGE: "Absage"}.get(
            self.antwort, "keine Rückmeldung"
        )

    @property
    def mit_organisation(self) -> str:
        """„Name (Organisation)“ for lists of names in running text."""
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


def sortierschluessel(text: str) -> str:
    """German order of names (DIN 5007-1): Ä with A, ß with ss, case ignored."""
    zerlegt = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in zerlegt if not unicodedata.combining(c))


def teilnehmer(sitzung: Sitzung) -> list[Teilnehmer]:
    """The meeting's invitees, confirmed first, then by name (one query)."""
    vertreten = aliased(Einladung)
    rows = db.session.execute(
        select(
            Einladung.id,
            Einladung.name,
            Einladung.gast,
            Einladung.antwort,
            Einladung.vertretung_name,
            Mitgliedschaft.funktion,
            Organisation.name.label("organisation"),
            vertreten.name.label("vertritt"),
        )
        .select_from(Einladung)
        .outerjoin(vertreten, vertreten.id == Einladung.vertritt_einladung_id)
        .outerjoin(User, User.id == Einladung.user_id)
        .outerjoin(
            Mitgliedschaft,
            and_(
                Mitgliedschaft.user_id == Einladung.user_id,
                Mitgliedschaft.gremium_id == sitzung.gremium_id,
                Mitgliedschaft.aktiv,
            ),
        )
        .outerjoin(
            Organisation,
            Organisation.id == func.coalesce(Mitgliedschaft.organisation_id, User.organisation_id),
        )
        .where(Einladung.sitzung_id == sitzung.id)
    ).all()
    rows.sort(key=lambda r: (REIHENFOLGE[r.antwort], sortierschluessel(r.name), r.id))
    return [
        Teilnehmer(
            name=r.name,
            organisation=r.organisation,
            funktion=_funktion(r),
            antwort=r.antwort,
            vertretung_name=r.vertretung_name,
            gast=r.gast,
        )
        for r in rows
    ]


def _funktion(row: Any) -> str:
    """The function in the Gremium; a Stellvertretung stands in for the member who declined."""
    if row.funktion:
        return row.funktion.label
    if row.vertritt:
        return f"Stellvertretung für {row.vertritt}"
    return "Gast" if row.gast else "–"


def zaehlung(liste: list[Teilnehmer]) -> str:
    """„3 Zusagen, 1 Absage, 1 Vertretung, 2 ohne Rückmeldung“ (German plurals)."""
    n = Counter(t.antwort for t in liste)
    return ", ".join(
        [
            anzahl(n[Antwort.ZUSAGE], "Zusage", "Zusagen"),
            anzahl(n[Antwort.ABSAGE], "Absage", "Absagen"),
            anzahl(n[Antwort.VERTRETUNG], "Vertretung", "Vertretungen"),
            f"{n[Antwort.OFFEN]} ohne Rückmeldung",
        ]
    )


def uhrzeit(value: datetime) -> str:
    """18:00 in Hilden."""
    return value.astimezone(BERLIN).strftime("%H:%M")


def tag(sitzung: Sitzung) -> str:
    """„Donnerstag, 22.11.2026“: the local day the meeting begins."""
    return f"{WOCHENTAGE[sitzung.beginn.astimezone(BERLIN).weekday()]}, {datum(sitzung.beginn)}"


def zeitraum(sitzung: Sitzung) -> str:
    """„18:00–20:00 Uhr“ in Hilden, with the end's date when the meeting runs past midnight."""
    beginn, ende = sitzung.beginn.astimezone(BERLIN), sitzung.ende.astimezone(BERLIN)
    if beginn.date() == ende.date():
        return f"{uhrzeit(sitzung.beginn)}–{uhrzeit(sitzung.ende)} Uhr"
    return f"{uhrzeit(sitzung.beginn)} Uhr bis {datum(sitzung.ende)}, {uhrzeit(sitzung.ende)} Uhr"


def termin(sitzung: Sitzung) -> str:
    """„Donnerstag, 22.11.2026, 18:00–20:00 Uhr“."""
    return f"{tag(sitzung)}, {zeitraum(sitzung)}"


def dateiname(sitzung: Sitzung, art: str, endung: str) -> str:
    """``<art>-<gremium>-<yyyy-mm-dd>.<endung>`` in ASCII (the meeting's local date)."""
    tag = sitzung.beginn.astimezone(BERLIN).strftime("%Y-%m-%d")
    return f"{art}-{namensteil(sitzung.gremium.name, ersatz='gremium')}-{tag}.{endung}"


def als_xlsx(sitzung: Sitzung, liste: list[Teilnehmer]) -> bytes:
    """The list as a workbook: meeting data (dates as Excel dates), then the frozen table."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Anwesenheitsliste"
    write_row(sheet, 1, [f"Anwesenheitsliste: {sitzung.titel}"], bold=True)
    kopfdaten = [
        ("Gremium", sitzung.gremium.name),
        ("Beginn", utc_to_berlin_naive(sitzung.beginn)),
        ("Ende", utc_to_berlin_naive(sitzung.ende)),
        ("Ort", sitzung.ort_text),
        ("Rückmeldungen", zaehlung(liste)),
    ]
    for zeile, werte in enumerate(kopfdaten, start=2):
        write_row(sheet, zeile, werte)
        sheet.cell(row=zeile, column=1).font = Font(bold=True)
        sheet.cell(row=zeile, column=2).alignment = Alignment(horizontal="left")
    kopfzeile = len(kopfdaten) + 3
    write_row(sheet, kopfzeile, KOPF, bold=True)
    for zeile, t in enumerate(liste, start=kopfzeile + 1):
        write_row(sheet, zeile, [t.name, t.organisation or "", t.funktion, t.rueckmeldung, ""])
    sheet.freeze_panes = f"A{kopfzeile + 1}"
    sheet.print_title_rows = f"{kopfzeile}:{kopfzeile}"
    sheet.page_setup.orientation = "landscape"
    for spalte, breite in enumerate(BREITEN, start=1):
        sheet.column_dimensions[get_column_letter(spalte)].width = breite
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
