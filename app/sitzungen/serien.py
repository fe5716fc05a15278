"""Meeting series from a rule (weekly, or the n-th weekday of each month) and copies of a meeting.

Times are wall-clock times in Hilden: every date gets the same local start, converted to UTC
on its own day, so a series keeps 18:00 across the change to and from daylight-saving time.
Holidays of NRW (``feiertage``) and days on which the Gremium already meets are skipped and
shown as such in the preview.
"""

from __future__ import annotations

import calendar
import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.sitzungen.feiertage import feiertage_nrw
from app.sitzungen.grundlagen import BERLIN, berlin_to_utc
from app.sitzungen.models import Sitzung, SitzungStatus, Tagesordnungspunkt
from app.sitzungen.planung import create_sitzung
from app.stammdaten.models import Gremium

MAX_TERMINE = 60


class Regel(enum.StrEnum):
    WOECHENTLICH = "woechentlich"
    MONATLICH = "monatlich"

    @property
    def label(self) -> str:
        return {
            "woechentlich": "wöchentlich (oder alle n Wochen)",
            "monatlich": "monatlich am n-ten Wochentag",
        }[self]


WOCHENTAGE = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
NUMMERN = {1: "ersten", 2: "zweiten", 3: "dritten", 4: "vierten", -1: "letzten"}


@dataclass(frozen=True)
class Serie:
    """What the series form asks for."""

    jahr: int
    regel: Regel
    wochentag: int  # 0 = Monday
    nummer: int = 1  # n-th weekday of the month; -1 = the last
    intervall: int = 1  # weeks between meetings (weekly rule)
    beginn: time = time(18, 0)
    dauer_minuten: int = 120
    feiertage_auslassen: bool = True

    def beschreibung(self) -> str:
        """The rule in one German sentence part."""
        tag = WOCHENTAGE[self.wochentag]
        if self.regel == Regel.MONATLICH:
            return f"jeden {NUMMERN[self.nummer]} {tag} im Monat"
        if self.intervall == 1:
            return f"jeden {tag}"
        return f"jeden {self.intervall}. {tag}"


@dataclass(frozen=True)
class Termin:
    """One date of the series; ``entfaellt`` names why it is skipped."""

    datum: date
    beginn: datetime  # aware UTC
    ende: datetime
    entfaellt: str | None = None


def _n_ter_wochentag(jahr: int, monat: int, wochentag: int, nummer: int) -> date:
    tage = [
        date(jahr, monat, t)
        for t in range(1, calendar.monthrange(jahr, monat)[1] + 1)
        if date(jahr, monat, t).weekday() == wochentag
    ]
    return tage[-1] if nummer == -1 else tage[nummer - 1]


def daten(serie: Serie) -> list[date]:
    """The calendar days of the rule in the year, before anything is skipped."""
    if serie.regel == Regel.MONATLICH:
        return [
            _n_ter_wochentag(serie.jahr, m, serie.wochentag, serie.nummer) for m in range(1, 13)
        ]
    tag = date(serie.jahr, 1, 1)
    tag += timedelta(days=(serie.wochentag - tag.weekday()) % 7)
    result = []
    while tag.year == serie.jahr:
        result.append(tag)
        tag += timedelta(weeks=serie.intervall)
    return result


def termine(serie: Serie, gremium_id: int | None = None) -> list[Termin]:
    """Each date with its UTC start and end; holidays and days already taken marked."""
    feiertage = feiertage_nrw(serie.jahr) if serie.feiertage_auslassen else {}
    belegt = _belegte_tage(gremium_id, serie.jahr) if gremium_id else set()
    result = []
    for tag in daten(serie)[:MAX_TERMINE]:
        beginn = berlin_to_utc(datetime.combine(tag, serie.beginn))
        ende = beginn + timedelta(minutes=serie.dauer_minuten)
        grund = feiertage.get(tag) or (
            "an diesem Tag tagt das Gremium bereits" if tag in belegt else None
        )
        result.append(Termin(tag, beginn, ende, grund))
    return result


def _belegte_tage(gremium_id: int, jahr: int) -> set[date]:
    von = berlin_to_utc(datetime(jahr, 1, 1)) - timedelta(days=1)
    bis = berlin_to_utc(datetime(jahr + 1, 1, 1)) + timedelta(days=1)
    beginne = db.session.scalars(
        select(Sitzung.beginn).where(
            Sitzung.gremium_id == gremium_id,
            Sitzung.status != SitzungStatus.ABGESAGT,
            Sitzung.beginn >= von,
            Sitzung.beginn < bis,
        )
    )
    return {b.astimezone(BERLIN).date() for b in beginne}


def create_serie(
    gremium: Gremium, serie: Serie, user: User, *, titel: str, ort_name: str
) -> list[Sitzung]:
    """Plan every date of the series that is not skipped (nobody is invited yet)."""
    return [
        create_sitzung(gremium, user, titel=titel, beginn=t.beginn, ende=t.ende, ort_name=ort_name)
        for t in termine(serie, gremium.id)
        if t.entfaellt is None
    ]


def copy_sitzung(original: Sitzung, beginn: datetime, user: User, titel: str) -> Sitzung:
    """A new planned meeting at ``beginn`` (UTC) with the same place and agenda (and documents)."""
    dauer = original.ende - original.beginn
    kopie = create_sitzung(
        original.gremium,
        user,
        titel=titel,
        beginn=beginn,
        ende=beginn + dauer,
        ort_name=original.ort_name,
        ort_adresse=original.ort_adresse,
        ort_raum=original.ort_raum,
        online_link=original.online_link,
        oeffentlich=original.oeffentlich,
        mappe_beifuegen=original.mappe_beifuegen,
        erinnerung_tage=original.erinnerung_tage,
        erinnerung_an=original.erinnerung_an,
    )
    for top in original.tagesordnungspunkte:
        kopie.tagesordnungspunkte.append(
            Tagesordnungspunkt(
                position=top.position,
                titel=top.titel,
                beschreibung=top.beschreibung,
                dateien=list(top.dateien),
            )
        )
    db.session.flush()
    return kopie
