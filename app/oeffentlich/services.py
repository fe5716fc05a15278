"""Read operations of the portal: public meetings, minutes, files and the cycle's timeline.

Every query filters through ``sichtbarkeit``; none writes. Each returns what one page needs in
a fixed number of statements, however long the lists are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from app.core.types import utcnow
from app.dateien.models import Datei
from app.extensions import db
from app.oeffentlich import sichtbarkeit as sicht
from app.protokolle.models import Protokoll
from app.sitzungen.models import Sitzung, SitzungStatus, Tagesordnungspunkt
from app.stammdaten.models import Gremium, Mitgliedschaft
from app.workflows.machine import PHASEN
from app.workflows.models import Phase, VerlaufArt, Verlaufseintrag, Zyklus

BERLIN = ZoneInfo("Europe/Berlin")
LIST_LIMIT = 200


def berlin_today() -> date:
    return utcnow().astimezone(BERLIN).date()


def month_bounds(jahr: int, monat: int) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next one, in UTC (Berlin calendar)."""
    start = datetime.combine(date(jahr, monat, 1), time(0), tzinfo=BERLIN)
    nxt = date(jahr + (monat == 12), monat % 12 + 1, 1)
    return start, datetime.combine(nxt, time(0), tzinfo=BERLIN)


# --------------------------------------------------------------------------- meetings


def _public_meetings() -> Select:
    return (
        select(Sitzung)
        .options(joinedload(Sitzung.gremium))
        .where(sicht.sitzung_oeffentlich())
        .order_by(Sitzung.beginn, Sitzung.id)
    )


def meetings_in_month(jahr: int, monat: int, gremium_id: int | None = None) -> list[Sitzung]:
    """Public meetings starting in the month (Berlin time), optionally of one Gremium."""
    start, end = month_bounds(jahr, monat)
    query = _public_meetings().where(Sitzung.beginn >= start, Sitzung.beginn < end)
    if gremium_id:
        query = query.where(Sitzung.gremium_id == gremium_id)
    return list(db.session.scalars(query.limit(LIST_LIMIT)))


def upcoming_meetings(limit: int = 5, gremium_ids: list[int] | None = None) -> list[Sitzung]:
    """The next public meetings that are not cancelled."""
    query = _public_meetings().where(
        Sitzung.ende >= utcnow(), Sitzung.status != SitzungStatus.ABGESAGT
    )
    if gremium_ids is not None:
        query = query.where(Sitzung.gremium_id.in_(gremium_ids))
    return list(db.session.scalars(query.limit(limit)))


def public_meeting(sitzung_id: int) -> Sitzung | None:
    """One public meeting with its agenda and the agenda's documents."""
    return db.session.scalar(
        select(Sitzung)
        .options(
            joinedload(Sitzung.gremium).joinedload(Gremium.sozialraum),
            selectinload(Sitzung.tagesordnungspunkte).selectinload(Tagesordnungspunkt.dateien),
        )
        .where(Sitzung.id == sitzung_id, sicht.sitzung_oeffentlich())
    )


def feed_meetings(gremium_id: int | None = None) -> list[Sitzung]:
    """Public meetings of the last year and the future, for the subscribable calendars."""
    query = (
        _public_meetings()
        .options(selectinload(Sitzung.tagesordnungspunkte))
        .where(Sitzung.ende >= utcnow() - timedelta(days=365))
    )
    if gremium_id is not None:
        query = query.where(Sitzung.gremium_id == gremium_id)
    return list(db.session.scalars(query.limit(1000)))


def gremien_with_public_meetings() -> list[Gremium]:
    """Gremien that have at least one public meeting (filter and subscription choices)."""
    ids = select(Sitzung.gremium_id).where(sicht.sitzung_oeffentlich())
    return list(
        db.session.scalars(select(Gremium).where(Gremium.id.in_(ids)).order_by(Gremium.name))
    )


# --------------------------------------------------------------------------- minutes


def _public_minutes() -> Select:
    return (
        select(Protokoll)
        .join(Sitzung, Sitzung.id == Protokoll.sitzung_id)
        .options(joinedload(Protokoll.sitzung).joinedload(Sitzung.gremium))
        .where(sicht.protokoll_oeffentlich())
    )


def public_minutes(
    gremium_id: int | None = None,
    jahr: int | None = None,
    gremium_ids: list[int] | None = None,
    limit: int = LIST_LIMIT,
) -> list[Protokoll]:
    """Released minutes of public meetings, newest first, filtered by Gremium and year."""
    query = _public_minutes().order_by(Sitzung.beginn.desc(), Sitzung.id.desc())
    if gremium_id:
        query = query.where(Sitzung.gremium_id == gremium_id)
    if gremium_ids is not None:
        query = query.where(Sitzung.gremium_id.in_(gremium_ids))
    if jahr:
        start, _ = month_bounds(jahr, 1)
        end, _ = month_bounds(jahr + 1, 1)
        query = query.where(Sitzung.beginn >= start, Sitzung.beginn < end)
    return list(db.session.scalars(query.limit(limit)))


def minutes_years() -> list[int]:
    """Years that have public minutes, newest first (the year filter)."""
    rows = db.session.scalars(
        _public_minutes().with_only_columns(Sitzung.beginn).order_by(Sitzung.beginn.desc())
    )
    return sorted({b.astimezone(BERLIN).year for b in rows}, reverse=True)


def minutes_gremien() -> list[Gremium]:
    """Gremien with public minutes (the Gremium filter)."""
    ids = _public_minutes().with_only_columns(Sitzung.gremium_id)
    return list(
        db.session.scalars(select(Gremium).where(Gremium.id.in_(ids)).order_by(Gremium.name))
    )


def public_minutes_of(sitzung_id: int) -> Protokoll | None:
    """The released minutes of a public meeting, with their file revisions."""
    return db.session.scalar(
        _public_minutes()
        .options(selectinload(Protokoll.revisionen))
        .where(Protokoll.sitzung_id == sitzung_id)
    )


def minutes_flags(sitzung_ids: list[int]) -> set[int]:
    """Which of these meetings have public minutes (one query for a whole list)."""
    if not sitzung_ids:
        return set()
    return set(
        db.session.scalars(
            _public_minutes()
            .with_only_columns(Protokoll.sitzung_id)
            .where(Protokoll.sitzung_id.in_(sitzung_ids))
        )
    )


# --------------------------------------------------------------------------- files


def public_file(datei_id: int) -> Datei | None:
    """A document of a public agenda or the current file of public minutes; else None."""
    public = sicht.oeffentliche_datei_ids()
    return db.session.scalar(select(Datei).where(Datei.id == datei_id, Datei.id.in_(public)))


# --------------------------------------------------------------------------- people


def public_members(gremium_id: int) -> list[Mitgliedschaft]:
    """Active memberships of office holders who agreed to be named."""
    from app.auth.models import User

    return list(
        db.session.scalars(
            select(Mitgliedschaft)
            .join(User, User.id == Mitgliedschaft.user_id)
            .options(joinedload(Mitgliedschaft.user), joinedload(Mitgliedschaft.organisation))
            .where(
                Mitgliedschaft.gremium_id == gremium_id,
                Mitgliedschaft.aktiv,
                sicht.person_oeffentlich(),
            )
            .order_by(Mitgliedschaft.funktion, User.name)
        )
    )


# --------------------------------------------------------------------------- the cycle


@dataclass
class Station:
    """One phase of the public timeline."""

    phase: Phase
    beschreibung: str
    status: str  # erledigt | aktuell | kommend
    begonnen: datetime | None = None
    zieltermin: date | None = None
    sitzungen: list[Sitzung] = field(default_factory=list)

    @property
    def status_text(self) -> str:
        return {"erledigt": "abgeschlossen", "aktuell": "läuft gerade", "kommend": "folgt"}[
            self.status
        ]


def current_zyklus() -> Zyklus | None:
    """The running cycle (newest start), else the most recent finished one."""
    return db.session.scalar(
        select(Zyklus)
        .options(selectinload(Zyklus.fristen))
        .order_by((Zyklus.phase == Phase.ABGESCHLOSSEN), Zyklus.beginn.desc(), Zyklus.id.desc())
        .limit(1)
    )


def _status(zyklus: Zyklus, phase: Phase) -> str:
    if zyklus.phase == Phase.ABGESCHLOSSEN or phase.index < zyklus.phase.index:
        return "erledigt"
    return "aktuell" if phase == zyklus.phase else "kommend"


def timeline(zyklus: Zyklus) -> list[Station]:
    """Every phase with what happens in it, when it began, its target date and public meetings."""
    entered: dict[Phase, datetime] = {}
    for eintrag in db.session.scalars(
        select(Verlaufseintrag)
        .where(
            Verlaufseintrag.zyklus_id == zyklus.id,
            Verlaufseintrag.art.in_((VerlaufArt.ANGELEGT, VerlaufArt.VORWAERTS)),
        )
        .order_by(Verlaufseintrag.zeitpunkt, Verlaufseintrag.id)
    ):
        entered[eintrag.nach_phase or Phase.DATENBASIS] = eintrag.zeitpunkt
    meetings: dict[Phase, list[Sitzung]] = {}
    for sitzung in db.session.scalars(
        _public_meetings().where(Sitzung.zyklus_id == zyklus.id, Sitzung.phase.is_not(None))
    ):
        meetings.setdefault(sitzung.phase, []).append(sitzung)
    stations = []
    for phase in Phase:
        if phase == Phase.ABGESCHLOSSEN:
            continue
        frist = zyklus.frist(phase)
        stations.append(
            Station(
                phase,
                PHASEN[phase].beschreibung,
                _status(zyklus, phase),
                entered.get(phase) if _status(zyklus, phase) != "kommend" else None,
                frist.faellig_am if frist else None,
                meetings.get(phase, []),
            )
        )
    return stations


def year_filter_value(value: Any) -> int | None:
    """A year from the query string, or None when absent or implausible."""
    try:
        jahr = int(value)
    except (TypeError, ValueError):
        return None
    return jahr if 1900 <= jahr <= 2999 else None
