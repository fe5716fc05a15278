"""Minutes operations (upload, results, impulses, approval, reminders); flush, never commit."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Select, exists, insert, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.core.types import utcnow
from app.dateien.services import DOCX, ODT, PDF, UploadError, file_path, store_upload
from app.extensions import db
from app.impulse.models import Impuls, ImpulsAdressat
from app.impulse.services import (
    QUELLE_FUER_TYP,
    create_impuls,
    gremium_members,
    inform,
    path_for,
)
from app.protokolle import virenscan
from app.protokolle.models import (
    Protokoll,
    ProtokollErinnerung,
    ProtokollRevision,
    ProtokollSchritt,
    ProtokollStatus,
    SchrittArt,
    protokoll_impuls,
)
from app.sitzungen.models import Sitzung, SitzungStatus
from app.stammdaten.models import Funktion
from app.stammdaten.rollen import gremien_abfrage

log = logging.getLogger(__name__)
PROTOKOLL_TYPEN = frozenset({PDF, DOCX, ODT})
ADRESSATEN = (
    ImpulsAdressat.PLANUNGSRUNDE,
    ImpulsAdressat.VERWALTUNGSVORSTAND,
    ImpulsAdressat.POLITIK,
)
DEFAULT_ERINNERUNG_TAGE = 14
ERINNERUNG_HORIZONT_TAGE = 90


class ProtokollError(ValueError):
    """A refused operation on minutes; the message is German."""

    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


# --------------------------------------------------------------------------- reading


def sitzung_or_none(sitzung_id: int) -> Sitzung | None:
    """The meeting with its Gremium."""
    return db.session.scalar(
        select(Sitzung).options(joinedload(Sitzung.gremium)).where(Sitzung.id == sitzung_id)
    )


def sitzung_with_protokoll(sitzung_id: int) -> tuple[Sitzung, Protokoll | None] | None:
    """The meeting (with its Gremium) and its minutes, if any."""
    sitzung = sitzung_or_none(sitzung_id)
    if sitzung is None:
        return None
    protokoll = db.session.scalar(
        select(Protokoll)
        .options(
            selectinload(Protokoll.revisionen).joinedload(ProtokollRevision.datei),
            selectinload(Protokoll.schritte).joinedload(ProtokollSchritt.user),
            joinedload(Protokoll.freigegeben_von),
        )
        .where(Protokoll.sitzung_id == sitzung_id)
    )
    return sitzung, protokoll


def impulse_of(protokoll: Protokoll | None) -> list[Impuls]:
    if protokoll is None:
        return []
    return list(
        db.session.scalars(
            select(Impuls)
            .options(joinedload(Impuls.sozialraum))
            .join(protokoll_impuls, protokoll_impuls.c.impuls_id == Impuls.id)
            .where(protokoll_impuls.c.protokoll_id == protokoll.id, Impuls.vorgaenger_id.is_(None))
            .order_by(Impuls.id)
        )
    )


def visible_sitzungen(user: Any) -> Select:
    """Held meetings whose minutes page ``user`` may open, newest first."""
    query = (
        select(Sitzung, Protokoll)
        .options(joinedload(Sitzung.gremium))
        .outerjoin(Protokoll, Protokoll.sitzung_id == Sitzung.id)
        .where(Sitzung.status != SitzungStatus.ABGESAGT, Sitzung.beginn <= utcnow())
        .order_by(Sitzung.beginn.desc(), Sitzung.id.desc())
    )
    if getattr(user, "ist_stabsstelle", False):
        return query
    gremien = gremien_abfrage(user)
    oeffentlich_freigegeben = Sitzung.oeffentlich & (
        Protokoll.status == ProtokollStatus.FREIGEGEBEN
    )
    return query.where(or_(Sitzung.gremium_id.in_(gremien), oeffentlich_freigegeben))


# --------------------------------------------------------------------------- writing


def _check_held(sitzung: Sitzung) -> None:
    if sitzung.status == SitzungStatus.ABGESAGT:
        raise ProtokollError("Für eine abgesagte Sitzung gibt es kein Protokoll.", 409)
    if sitzung.beginn > utcnow():
        raise ProtokollError("Ein Protokoll kann erst nach Beginn der Sitzung erfasst werden.", 409)


def ensure_protokoll(sitzung: Sitzung) -> Protokoll:
    """The meeting's minutes row, created on first use."""
    _check_held(sitzung)
    protokoll = db.session.scalar(select(Protokoll).where(Protokoll.sitzung_id == sitzung.id))
    if protokoll is None:
        protokoll = Protokoll(sitzung_id=sitzung.id)
        db.session.add(protokoll)
        db.session.flush()
    return protokoll


def upload_revision(sitzung: Sitzung, file_storage: Any, user: User) -> ProtokollRevision:
    """Store a new file revision (validated, optionally virus-scanned); approval must be renewed."""
    protokoll = ensure_protokoll(sitzung)
    datei = store_upload(file_storage, PROTOKOLL_TYPEN, uploaded_by=user)
    geprueft = _scan(datei)
    nummer = 1 + max((r.nummer for r in protokoll.revisionen), default=0)
    revision = ProtokollRevision(nummer=nummer, datei_id=datei.id, virengeprueft=geprueft)
    protokoll.revisionen.insert(0, revision)
    _reopen(protokoll, user)
    add_schritt(protokoll, SchrittArt.HOCHGELADEN, user, f"Fassung {nummer}")
    db.session.flush()
    return revision


def _scan(datei: Any) -> bool:
    """Ask clamd when configured; malware or an unreachable scanner refuses the upload."""
    if not virenscan.configured():
        return False
    try:
        fund = virenscan.scan_file(file_path(datei))
    except virenscan.ScanError:
        log.exception("Virenprüfung fehlgeschlagen")
        raise UploadError(
            "Die Virenprüfung ist zurzeit nicht möglich. Bitte versuchen Sie es später erneut.",
            503,
        ) from None
    if fund:
        raise UploadError(f"Die Datei enthält Schadsoftware ({fund}) und wurde abgelehnt.")
    return True


def add_schritt(
    protokoll: Protokoll, art: SchrittArt, user: User | None, kommentar: str | None = None
) -> ProtokollSchritt:
    """Append one step to the minutes' history."""
    schritt = ProtokollSchritt(art=art, user_id=user.id if user else None, kommentar=kommentar)
    protokoll.schritte.append(schritt)
    return schritt


def _reopen(protokoll: Protokoll, user: User | None = None) -> None:
    """A change after approval makes the minutes a draft again (to be handed in anew)."""
    if protokoll.status == ProtokollStatus.FREIGEGEBEN:
        protokoll.status = ProtokollStatus.ENTWURF
        protokoll.freigegeben_at = None
        protokoll.freigegeben_von_id = None
        add_schritt(protokoll, SchrittArt.WIEDER_GEOEFFNET, user)


def save_ergebnisse(
    sitzung: Sitzung, felder: dict[str, Any], user: User | None = None
) -> Protokoll:
    """Record attendees, results and agreements; a change needs a new approval."""
    protokoll = ensure_protokoll(sitzung)
    for key in (
        "teilnehmende_anzahl",
        "teilnehmende_organisationen",
        "ergebnisse",
        "vereinbarungen",
    ):
        value = felder.get(key)
        setattr(protokoll, key, value.strip() or None if isinstance(value, str) else value)
    _reopen(protokoll, user)
    add_schritt(protokoll, SchrittArt.ERGEBNISSE, user)
    db.session.flush()
    return protokoll


def add_impuls(sitzung: Sitzung, felder: dict[str, Any], user: User) -> Impuls:
    """An impulse raised in the meeting, recorded with the minutes as its source."""
    protokoll = ensure_protokoll(sitzung)
    adressat = ImpulsAdressat(felder["adressiert_an"])
    if adressat not in ADRESSATEN:
        raise ProtokollError(
            "Impulse aus Protokollen richten sich an Planungsrunde, "
            "Verwaltungsvorstand oder Politik."
        )
    impuls = create_impuls(
        felder["titel"],
        QUELLE_FUER_TYP[sitzung.gremium.typ],
        erstellt_von_id=user.id,
        beschreibung=felder.get("beschreibung"),
        thema=felder.get("thema"),
        sozialraum_id=felder.get("sozialraum_id") or sitzung.gremium.sozialraum_id,
        adressiert_an=adressat,
        zyklus_id=sitzung.zyklus_id,
        quelle_gremium_id=sitzung.gremium_id,
    )
    db.session.execute(
        insert(protokoll_impuls).values(impuls_id=impuls.id, protokoll_id=protokoll.id)
    )
    return impuls


def approve(sitzung: Sitzung, protokoll: Protokoll | None, user: User) -> int:
    """Approve the current revision and tell the Gremium's members; returns how many."""
    if protokoll is None or not protokoll.revisionen:
        raise ProtokollError("Es wurde noch keine Protokolldatei hochgeladen.", 409)
    if protokoll.freigegeben:
        raise ProtokollError("Das Protokoll ist bereits freigegeben.", 409)
    protokoll.status = ProtokollStatus.FREIGEGEBEN
    protokoll.freigegeben_at = utcnow()
    protokoll.freigegeben_von_id = user.id
    add_schritt(protokoll, SchrittArt.FREIGEGEBEN, user)
    db.session.flush()
    members = [u for u in gremium_members([sitzung.gremium_id]) if u.id != user.id]
    text = f"Das Protokoll der Sitzung „{sitzung.titel}“ ({sitzung.gremium.name}) ist freigegeben."
    return inform(
        members,
        text,
        path_for("protokolle.detail", sitzung_id=sitzung.id),
        kind="protokoll.freigegeben",
        template="mail/protokoll_freigegeben",
        sitzung=sitzung,
    )


def set_oeffentlich(sitzung: Sitzung, protokoll: Protokoll | None, oeffentlich: bool) -> None:
    """Release the approved minutes of a public meeting to everybody, or take them back."""
    if protokoll is None:
        raise ProtokollError("Für diese Sitzung gibt es noch kein Protokoll.", 409)
    if oeffentlich and not protokoll.freigegeben:
        raise ProtokollError(
            "Nur ein freigegebenes Protokoll kann veröffentlicht werden. Bitte zuerst freigeben.",
            409,
        )
    if oeffentlich and not sitzung.oeffentlich:
        raise ProtokollError(
            "Die Sitzung ist nicht öffentlich; ihr Protokoll kann nicht veröffentlicht werden.",
            409,
        )
    protokoll.oeffentlich = oeffentlich
    db.session.flush()


# --------------------------------------------------------------------------- reminders


def reminder_days() -> int:
    return int(current_app.config.get("PROTOKOLL_ERINNERUNG_TAGE", DEFAULT_ERINNERUNG_TAGE))


def due_reminders(now: datetime | None = None) -> list[Sitzung]:
    """Meetings that ended ``reminder_days`` ago without a minutes file and without reminder."""
    now = now or utcnow()
    cutoff = now - timedelta(days=reminder_days())
    hat_datei = exists().where(
        Protokoll.sitzung_id == Sitzung.id, ProtokollRevision.protokoll_id == Protokoll.id
    )
    erinnert = exists().where(ProtokollErinnerung.sitzung_id == Sitzung.id)
    return list(
        db.session.scalars(
            select(Sitzung)
            .options(joinedload(Sitzung.gremium))
            .where(
                Sitzung.status != SitzungStatus.ABGESAGT,
                Sitzung.ende <= cutoff,
                Sitzung.ende > cutoff - timedelta(days=ERINNERUNG_HORIZONT_TAGE),
                ~hat_datei,
                ~erinnert,
            )
            .order_by(Sitzung.id)
        )
    )


def send_reminder(sitzung: Sitzung) -> int:
    """Remind the moderators once (the row makes a second run a no-op)."""
    moderation = gremium_members([sitzung.gremium_id], [Funktion.MODERATION])
    db.session.add(ProtokollErinnerung(sitzung_id=sitzung.id, empfaenger_anzahl=len(moderation)))
    db.session.flush()
    text = (
        f"Für die Sitzung „{sitzung.titel}“ ({sitzung.gremium.name}) fehlt noch das "
        "Protokoll. Bitte laden Sie es hoch."
    )
    return inform(
        moderation,
        text,
        path_for("protokolle.detail", sitzung_id=sitzung.id),
        kind="protokoll.erinnerung",
        template="mail/protokoll_erinnerung",
        sitzung=sitzung,
    )


def missing_minutes(gremium_ids: set[int] | list[int]) -> list[Sitzung]:
    """Held meetings of these Gremien (last 90 days) without a minutes file."""
    hat_datei = exists().where(
        Protokoll.sitzung_id == Sitzung.id, ProtokollRevision.protokoll_id == Protokoll.id
    )
    now = utcnow()
    return list(
        db.session.scalars(
            select(Sitzung)
            .options(joinedload(Sitzung.gremium))
            .where(
                Sitzung.gremium_id.in_(list(gremium_ids)),
                Sitzung.status != SitzungStatus.ABGESAGT,
                Sitzung.beginn <= now,
                Sitzung.beginn > now - timedelta(days=ERINNERUNG_HORIZONT_TAGE),
                ~hat_datei,
            )
            .order_by(Sitzung.beginn)
        )
    )
