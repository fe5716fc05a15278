"""Deadlines per phase and Strang, their overview and the reminder run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.auth.models import User
from app.benachrichtigungen.services import notify
from app.core.i18n import anzahl
from app.core.permissions import can
from app.core.types import utcnow
from app.extensions import db
from app.mail.services import queue_mail
from app.workflows.abfragen import lock_zyklus
from app.workflows.benachrichtigung import absolute_link, link_path
from app.workflows.fehler import Forbidden, InvalidRequest
from app.workflows.models import (
    Phase,
    Phasenfrist,
    Strang,
    StrangStatus,
    VerlaufArt,
    Zyklus,
)
from app.workflows.uebergaenge import write_verlauf

BERLIN = ZoneInfo("Europe/Berlin")
# --------------------------------------------------------------------------- deadlines


def berlin_today() -> date:
    """Today in Hilden; deadlines are calendar days there."""
    return datetime.now(BERLIN).date()


@dataclass(frozen=True)
class Fristlage:
    """A deadline as the cycle page and the start page show it."""

    label: str
    faellig_am: date
    erledigt: bool
    ueberfaellig: bool
    bald: bool
    tage: int  # days left (negative: overdue)

    @property
    def hinweis(self) -> str:
        if self.erledigt:
            return "erledigt"
        if self.ueberfaellig:
            return f"überfällig seit {anzahl(-self.tage, 'Tag', 'Tagen')}"
        if self.tage == 0:
            return "heute fällig"
        return f"noch {anzahl(self.tage, 'Tag', 'Tage')}"


def _lage(label: str, faellig: date, erledigt: bool, tage_vorher: int, today: date) -> Fristlage:
    tage = (faellig - today).days
    return Fristlage(
        label,
        faellig,
        erledigt,
        not erledigt and tage < 0,
        not erledigt and 0 <= tage <= tage_vorher,
        tage,
    )


def phase_erledigt(zyklus: Zyklus, phase: Phase) -> bool:
    """The cycle has moved past ``phase`` (or is finished)."""
    return zyklus.phase == Phase.ABGESCHLOSSEN or zyklus.phase.index > phase.index


def strang_erledigt(strang: Strang, zyklus: Zyklus) -> bool:
    return not strang.offen or phase_erledigt(zyklus, Phase.BETEILIGUNG)


def fristen_overview(zyklus: Zyklus, today: date | None = None) -> dict[str, Any]:
    """Deadline state per phase and per Strang (for pages and open tasks)."""
    today = today or berlin_today()
    tage = zyklus.erinnerung_tage
    phasen = {
        f.phase: _lage(f.phase.kurz, f.faellig_am, phase_erledigt(zyklus, f.phase), tage, today)
        for f in zyklus.fristen
    }
    straenge = {
        s.id: _lage(s.gremium.name, s.frist, strang_erledigt(s, zyklus), tage, today)
        for s in zyklus.straenge
        if s.frist
    }
    return {"phasen": phasen, "straenge": straenge}


def set_fristen(
    zyklus_id: int,
    *,
    user: User,
    phasen: dict[Phase, date | None],
    straenge: dict[int, date | None],
    erinnerung_tage: int | None = None,
) -> bool:
    """Store target dates; a changed date is reminded of again. Returns whether anything changed."""
    zyklus = lock_zyklus(zyklus_id)
    if not can(user, "zyklus.fristen_setzen", zyklus):
        raise Forbidden("Nur die Stabsstelle Sozialplanung kann Fristen setzen.")
    changes = [_set_phase_frist(zyklus, phase, value) for phase, value in phasen.items()]
    by_id = {s.id: s for s in zyklus.straenge}
    for strang_id, value in straenge.items():
        if strang_id not in by_id:
            raise InvalidRequest("Dieser Strang gehört nicht zu diesem Zyklus.")
        changes.append(_set_strang_frist(by_id[strang_id], value))
    if erinnerung_tage is not None and erinnerung_tage != zyklus.erinnerung_tage:
        changes.append(f"Erinnerung {anzahl(erinnerung_tage, 'Tag', 'Tage')} vor einer Frist")
        zyklus.erinnerung_tage = erinnerung_tage
    changed = [c for c in changes if c]
    if changed:
        write_verlauf(zyklus, VerlaufArt.FRISTEN, user, begruendung="; ".join(changed))
    db.session.flush()
    return bool(changed)


def _fmt(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "keine"


def _set_phase_frist(zyklus: Zyklus, phase: Phase, value: date | None) -> str | None:
    if phase == Phase.ABGESCHLOSSEN:
        raise InvalidRequest("Für „abgeschlossen“ gibt es keine Frist.")
    row = zyklus.frist(phase)
    if (row.faellig_am if row else None) == value:
        return None
    if value is None:
        zyklus.fristen.remove(row)
    elif row is None:
        zyklus.fristen.append(Phasenfrist(phase=phase, faellig_am=value))
    else:
        row.faellig_am, row.erinnerung_gesendet_at, row.ueberfaellig_gemeldet_at = value, None, None
    return f"{phase.kurz}: {_fmt(value)}"


def _set_strang_frist(strang: Strang, value: date | None) -> str | None:
    if strang.frist == value:
        return None
    strang.frist = value
    strang.erinnerung_gesendet_at = None
    strang.ueberfaellig_gemeldet_at = None
    return f"{strang.gremium.name}: {_fmt(value)}"


def send_deadline_reminders(today: date | None = None) -> int:
    """Remind the Stabsstelle before each open deadline and report it overdue after; once each."""
    today = today or berlin_today()
    stab = db.session.scalars(
        select(User).where(User.ist_stabsstelle, User.aktiv).order_by(User.id)
    ).all()
    sent = 0
    for frist in _due_phase_fristen():
        kind = _reminder_kind(frist, frist.zyklus, phase_erledigt(frist.zyklus, frist.phase), today)
        if kind:
            _remind(
                stab, frist.zyklus, f"Phase „{frist.phase.kurz}“", frist.faellig_am, kind, today
            )
            _mark(frist, kind)
            sent += 1
    for strang in _due_strang_fristen():
        kind = _reminder_kind(strang, strang.zyklus, strang_erledigt(strang, strang.zyklus), today)
        if kind:
            _remind(
                stab, strang.zyklus, f"Strang „{strang.gremium.name}“", strang.frist, kind, today
            )
            _mark(strang, kind)
            sent += 1
    db.session.flush()
    return sent


def _due_phase_fristen() -> list[Phasenfrist]:
    """Unsent deadline rows of running cycles, locked so a parallel run skips them."""
    return list(
        db.session.scalars(
            select(Phasenfrist)
            .join(Zyklus, Zyklus.id == Phasenfrist.zyklus_id)
            .where(
                Zyklus.phase != Phase.ABGESCHLOSSEN,
                (Phasenfrist.erinnerung_gesendet_at.is_(None))
                | (Phasenfrist.ueberfaellig_gemeldet_at.is_(None)),
            )
            .order_by(Phasenfrist.id)
            .with_for_update(skip_locked=True, of=Phasenfrist)
        )
    )


def _due_strang_fristen() -> list[Strang]:
    return list(
        db.session.scalars(
            select(Strang)
            .join(Zyklus, Zyklus.id == Strang.zyklus_id)
            .where(
                Zyklus.phase.in_([Phase.DATENBASIS, Phase.PLANUNGSRUNDE, Phase.BETEILIGUNG]),
                Strang.status == StrangStatus.OFFEN,
                Strang.frist.is_not(None),
                (Strang.erinnerung_gesendet_at.is_(None))
                | (Strang.ueberfaellig_gemeldet_at.is_(None)),
            )
            .order_by(Strang.id)
            .with_for_update(skip_locked=True, of=Strang)
        )
    )


def _reminder_kind(
    row: Phasenfrist | Strang, zyklus: Zyklus, erledigt: bool, today: date
) -> str | None:
    faellig = row.faellig_am if isinstance(row, Phasenfrist) else row.frist
    if erledigt or faellig is None:
        return None
    if today > faellig:
        return None if row.ueberfaellig_gemeldet_at else "ueberfaellig"
    if (faellig - today).days <= zyklus.erinnerung_tage and not row.erinnerung_gesendet_at:
        return "erinnerung"
    return None


def _mark(row: Phasenfrist | Strang, kind: str) -> None:
    if kind == "ueberfaellig":
        row.ueberfaellig_gemeldet_at = utcnow()
    else:
        row.erinnerung_gesendet_at = utcnow()


def _remind(
    stab: list[User], zyklus: Zyklus, was: str, faellig: date, kind: str, today: date
) -> None:
    path = link_path("workflows.detail", zyklus_id=zyklus.id)
    tage = (faellig - today).days
    if kind == "ueberfaellig":
        subject = f"Frist überschritten: {was} – {zyklus.titel}"
    else:
        subject = f"Frist am {_fmt(faellig)}: {was} – {zyklus.titel}"
    notify([u.id for u in stab], subject, path, art=f"zyklus.frist.{kind}")
    for person in stab:
        queue_mail(
            person.email,
            subject,
            "workflows/mail/frist",
            recipient_name=person.name,
            kind=f"zyklus.frist.{kind}",
            zyklus=zyklus,
            was=was,
            faellig=_fmt(faellig),
            tage=tage,
            ueberfaellig=kind == "ueberfaellig",
            link=absolute_link(path),
        )
