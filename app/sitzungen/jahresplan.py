"""The annual meeting plan: the meetings of one year a person may see, per Gremium or all, as a
page, XLSX (German headers) and ``.ics``."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.core.i18n import datum
from app.core.tabellen import xlsx_bytes
from app.extensions import db
from app.sitzungen.grundlagen import BERLIN, berlin_to_utc
from app.sitzungen.models import Sitzung
from app.sitzungen.serien import WOCHENTAGE
from app.sitzungen.sichtbarkeit import visible_sitzungen

KOPF = ["Datum", "Wochentag", "Beginn", "Ende", "Gremium", "Titel", "Ort", "Status"]
MONATE = [
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
]  # fmt: skip


def sitzungen_im_jahr(user: User, jahr: int, gremium_id: int | None) -> list[Sitzung]:
    """The visible meetings whose local start lies in ``jahr`` (one query)."""
    von = berlin_to_utc(datetime(jahr, 1, 1))
    bis = berlin_to_utc(datetime(jahr + 1, 1, 1))
    query = (
        visible_sitzungen(user)
        .options(joinedload(Sitzung.gremium))
        .where(Sitzung.beginn >= von, Sitzung.beginn < bis)
        .order_by(Sitzung.beginn, Sitzung.id)
    )
    if gremium_id:
        query = query.where(Sitzung.gremium_id == gremium_id)
    return list(db.session.scalars(query).unique())


def nach_monat(sitzungen: list[Sitzung]) -> list[tuple[str, list[Sitzung]]]:
    """(month name, meetings) for the months that have meetings."""
    monate: dict[int, list[Sitzung]] = {}
    for s in sitzungen:
        monate.setdefault(s.beginn.astimezone(BERLIN).month, []).append(s)
    return [(MONATE[m - 1], monate[m]) for m in sorted(monate)]


def uhrzeit(value: datetime) -> str:
    """18:00 in Hilden."""
    return value.astimezone(BERLIN).strftime("%H:%M")


def zeile(s: Sitzung) -> list[str]:
    """One row of the plan as text (local dates and times)."""
    lokal = s.beginn.astimezone(BERLIN)
    return [
        datum(s.beginn),
        WOCHENTAGE[lokal.weekday()],
        uhrzeit(s.beginn),
        uhrzeit(s.ende),
        s.gremium.name,
        s.titel,
        s.ort_text,
        s.status.label,
    ]


def als_xlsx(sitzungen: list[Sitzung], titel: str) -> bytes:
    """The plan as a workbook: German headers, one row per meeting (text never a formula)."""
    return xlsx_bytes("Sitzungsplan", KOPF, (zeile(s) for s in sitzungen), width=18)


def default_jahr() -> int:
    """Next year from October on (planning season), else this year."""
    heute = (datetime.now(BERLIN) + timedelta(days=92)).date()
    return heute.year
