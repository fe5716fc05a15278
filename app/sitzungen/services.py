"""Sitzungen: plan, invite (fan-out through the outbox), reply by signed link, remind, feeds.

Services flush, never commit; views and tasks commit once. Mails go through the outbox
(``queue_mail``); a fan-out of many invitations is handed to the worker in batches.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.core.after_commit import after_commit
from app.core.types import utcnow
from app.dateien.models import Datei
from app.dateien.services import delete_datei
from app.extensions import db
from app.mail.services import collect_mail_ids, enqueue_batches_after_commit, queue_mail
from app.sitzungen import kalender
from app.sitzungen.models import (
    Antwort,
    Einladung,
    EinladungVerlauf,
    ErinnerungAn,
    KalenderAbo,
    Sitzung,
    SitzungGast,
    SitzungStatus,
    Tagesordnungspunkt,
)
from app.stammdaten.models import Gremium, Mitgliedschaft

BERLIN = ZoneInfo("Europe/Berlin")
ORT_FELDER = ("beginn", "ende", "ort_name", "ort_adresse", "ort_raum", "online_link")
FAN_OUT_CHUNK = 100
DEFAULT_REPLY_MAX_AGE = 180 * 24 * 3600


class SitzungError(ValueError):
    """A request that does not fit the meeting's state; the message is German."""


class LinkError(ValueError):
    """A reply link is tampered with, expired or points nowhere; the message is German."""


@dataclass(frozen=True)
class Empfaenger:
    """One person to invite: a member of the Gremium or a guest."""

    email: str
    name: str
    user_id: int | None
    gast: bool


# --------------------------------------------------------------------------- time and URLs


def berlin_to_utc(value: datetime) -> datetime:
    """A wall-clock time entered in Hilden as an aware UTC datetime."""
    local = value.replace(tzinfo=BERLIN) if value.tzinfo is None else value
    return local.astimezone(ZoneInfo("UTC"))


def utc_to_berlin_naive(value: datetime) -> datetime:
    """For ``datetime-local`` inputs: the Berlin wall-clock time without zone."""
    return value.astimezone(BERLIN).replace(tzinfo=None)


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL under BASE_URL, also in the worker where no request exists."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


# --------------------------------------------------------------------------- planning


def create_sitzung(gremium: Gremium, erstellt_von: User | None, **felder: Any) -> Sitzung:
    """A planned meeting; nobody is invited yet."""
    sitzung = Sitzung(
        gremium_id=gremium.id, erstellt_von_id=erstellt_von.id if erstellt_von else None
    )
    sitzung.gremium = gremium
    for key, value in felder.items():
        setattr(sitzung, key, value)
    db.session.add(sitzung)
    db.session.flush()
    return sitzung


def update_sitzung(sitzung: Sitzung, **felder: Any) -> bool:
    """Change the meeting; a new time or place goes to everyone invited (SEQUENCE + 1)."""
    if not sitzung.offen_fuer_aenderungen:
        raise SitzungError(
            "Eine durchgeführte oder abgesagte Sitzung kann nicht mehr geändert werden."
        )
    moved = any(
        key in ORT_FELDER and getattr(sitzung, key) != value for key, value in felder.items()
    )
    for key, value in felder.items():
        setattr(sitzung, key, value)
    if moved and sitzung.status == SitzungStatus.EINGELADEN:
        sitzung.sequence += 1
        request_fan_out(sitzung)
    db.session.flush()
    return moved


def add_top(
    sitzung: Sitzung, titel: str, beschreibung: str | None, datei: Datei | None = None
) -> Tagesordnungspunkt:
    """Append an agenda item, optionally with its first document."""
    position = max((t.position for t in sitzung.tagesordnungspunkte), default=0) + 1
    top = Tagesordnungspunkt(titel=titel, beschreibung=beschreibung or None, position=position)
    sitzung.tagesordnungspunkte.append(top)
    if datei is not None:
        top.dateien.append(datei)
    db.session.flush()
    return top


def _renumber(sitzung: Sitzung) -> None:
    for number, top in enumerate(
        sorted(sitzung.tagesordnungspunkte, key=lambda t: (t.position, t.id)), 1
    ):
        top.position = number


def move_top(top: Tagesordnungspunkt, richtung: str) -> None:
    """Swap an item with its neighbour ('hoch' or 'runter')."""
    tops = sorted(top.sitzung.tagesordnungspunkte, key=lambda t: (t.position, t.id))
    index = tops.index(top)
    other = index - 1 if richtung == "hoch" else index + 1
    if 0 <= other < len(tops):
        tops[index], tops[other] = tops[other], tops[index]
    for number, item in enumerate(tops, 1):
        item.position = number
    top.sitzung.tagesordnungspunkte.sort(key=lambda t: t.position)
    db.session.flush()


def delete_top(top: Tagesordnungspunkt) -> None:
    """Remove an item with its documents and close the gap in the numbering."""
    sitzung = top.sitzung
    for datei in list(top.dateien):
        remove_datei(top, datei)
    sitzung.tagesordnungspunkte.remove(top)
    db.session.flush()
    _renumber(sitzung)
    db.session.flush()


def attach_datei(top: Tagesordnungspunkt, datei: Datei) -> None:
    """Attach a stored upload to an agenda item."""
    top.dateien.append(datei)
    db.session.flush()


def remove_datei(top: Tagesordnungspunkt, datei: Datei) -> None:
    """Detach and delete a document (the file goes once the change is committed)."""
    top.dateien.remove(datei)
    db.session.flush()
    delete_datei(datei)


def find_top_datei(sitzung: Sitzung, datei_id: int) -> Datei | None:
    """A document attached to one of this meeting's items, or None."""
    return db.session.scalar(
        select(Datei)
        .join(Tagesordnungspunkt.dateien)
        .where(Tagesordnungspunkt.sitzung_id == sitzung.id, Datei.id == datei_id)
    )


def mark_held(sitzung: Sitzung) -> None:
    """Record that the meeting took place (the minutes issue continues from here)."""
    if sitzung.status not in (SitzungStatus.GEPLANT, SitzungStatus.EINGELADEN):
        raise SitzungError(
            "Nur geplante oder einberufene Sitzungen können als durchgeführt markiert werden."
        )
    if sitzung.beginn > utcnow():
        raise SitzungError("Die Sitzung hat noch nicht begonnen.")
    sitzung.status = SitzungStatus.DURCHGEFUEHRT
    db.session.flush()


def cancel_sitzung(sitzung: Sitzung, grund: str | None) -> None:
    """Cancel: everyone invited gets METHOD:CANCEL with the next SEQUENCE."""
    if not sitzung.offen_fuer_aenderungen:
        raise SitzungError("Diese Sitzung ist bereits durchgeführt oder abgesagt.")
    was_invited = sitzung.status == SitzungStatus.EINGELADEN
    sitzung.status = SitzungStatus.ABGESAGT
    sitzung.absage_grund = grund or None
    if was_invited:
        sitzung.sequence += 1
        request_fan_out(sitzung)
    db.session.flush()


# --------------------------------------------------------------------------- planning cycle


def zyklus_choices(gremium_id: int | None, current_id: int | None = None) -> list[Any]:
    """Cycles a meeting can belong to: running ones (of the Gremium, if known) and the current."""
    from app.workflows.models import Zyklus
    from app.workflows.services import active_zyklen, zyklen_for_gremium

    zyklen = active_zyklen()
    if gremium_id is not None:
        own = {z.id for z in zyklen_for_gremium(gremium_id)}
        zyklen = [z for z in zyklen if z.id in own]
    if current_id is not None and all(z.id != current_id for z in zyklen):
        current = db.session.get(Zyklus, current_id)
        zyklen += [current] if current else []
    return zyklen


def tie_to_zyklus(sitzung: Sitzung, zyklus_id: int | None, phase: Any = None) -> None:
    """Place the meeting in a cycle's phase (default: the phase its Gremium works in) and,
    in the Beteiligung, on the Gremium's Strang; ``None`` unties it."""
    from app.workflows.machine import phase_fuer_gremium
    from app.workflows.models import Phase, Zyklus
    from app.workflows.services import find_strang, zyklen_for_gremium

    if zyklus_id is None:
        sitzung.zyklus_id = sitzung.phase = sitzung.strang_id = None
        return
    zyklus = db.session.get(Zyklus, zyklus_id)
    if zyklus is None:
        raise SitzungError("Diesen Planungszyklus gibt es nicht.")
    if all(z.id != zyklus.id for z in zyklen_for_gremium(sitzung.gremium_id)):
        raise SitzungError(f"Das Gremium nimmt am Planungszyklus „{zyklus.titel}“ nicht teil.")
    gremium = sitzung.gremium or db.session.get(Gremium, sitzung.gremium_id)
    sitzung.zyklus_id = zyklus.id
    sitzung.phase = Phase(phase) if phase else phase_fuer_gremium(gremium)
    strang = find_strang(zyklus.id, sitzung.gremium_id)
    sitzung.strang_id = strang.id if strang and sitzung.phase == Phase.BETEILIGUNG else None
    db.session.flush()


def sitzungen_of_zyklus(
    zyklus_id: int, phase: Any = None, strang_id: int | None = None
) -> list[Sitzung]:
    """Meetings of a cycle (optionally of one phase or Strang), for guards and the minutes."""
    query = (
        select(Sitzung)
        .options(joinedload(Sitzung.gremium))
        .where(Sitzung.zyklus_id == zyklus_id)
        .order_by(Sitzung.beginn)
    )
    if phase is not None:
        query = query.where(Sitzung.phase == phase)
    if strang_id is not None:
        query = query.where(Sitzung.strang_id == strang_id)
    return list(db.session.scalars(query))


# --------------------------------------------------------------------------- invitations

_GUEST_LINE = re.compile(r"^\s*(?:(?P<name>[^<>]*?)\s*<(?P<addr>[^<>]+)>|(?P<bare>\S+))\s*$")


def parse_gaeste(text: str | None) -> list[tuple[str, str | None]]:
    """Guest addresses, one per line ('Name <adresse>' or 'adresse'); German error on bad lines."""
    result: dict[str, str | None] = {}
    for number, raw in enumerate(
        (text or "").replace(";", "\n").replace(",", "\n").splitlines(), 1
    ):
        if not raw.strip():
            continue
        match = _GUEST_LINE.match(raw)
        address = (match.group("addr") or match.group("bare")) if match else raw.strip()
        try:
            email = validate_email(address.strip(), check_deliverability=False).normalized.lower()
        except EmailNotValidError as exc:
            raise SitzungError(
                f"Zeile {number}: „{raw.strip()}“ ist keine gültige E-Mail-Adresse."
            ) from exc
        result.setdefault(email, ((match.group("name") or "").strip() or None) if match else None)
    return list(result.items())


def add_gaeste(sitzung: Sitzung, gaeste: list[tuple[str, str | None]]) -> int:
    """Add guests not yet on the list; returns how many are new."""
    known = {g.email for g in sitzung.gaeste}
    new = [SitzungGast(email=email, name=name) for email, name in gaeste if email not in known]
    sitzung.gaeste.extend(new)
    db.session.flush()
    return len(new)


def invite(sitzung: Sitzung, gaeste: list[tuple[str, str | None]]) -> None:
    """Invite all members plus the guests; the worker writes one Einladung and mail per person."""
    if not sitzung.offen_fuer_aenderungen:
        raise SitzungError(
            "Zu einer durchgeführten oder abgesagten Sitzung kann nicht eingeladen werden."
        )
    if sitzung.ende <= utcnow():
        raise SitzungError(
            "Die Sitzung liegt in der Vergangenheit; bitte zuerst den Termin ändern."
        )
    add_gaeste(sitzung, gaeste)
    sitzung.status = SitzungStatus.EINGELADEN
    request_fan_out(sitzung)
    db.session.flush()


def request_fan_out(sitzung: Sitzung) -> None:
    """Mark the fan-out as due (the sweep finds it if the queue loses it) and enqueue it."""
    from app.sitzungen.tasks import send_einladungen

    sitzung.versand_ausstehend = True
    sitzung.versand_angefordert_at = utcnow()
    sitzung_id = sitzung.id
    after_commit(lambda: send_einladungen.delay(sitzung_id))


def recipients(sitzung: Sitzung) -> list[Empfaenger]:
    """Active members of the Gremium, then guests; one entry per address."""
    members = db.session.execute(
        select(User.id, User.email, User.name)
        .join(Mitgliedschaft, Mitgliedschaft.user_id == User.id)
        .where(Mitgliedschaft.gremium_id == sitzung.gremium_id, Mitgliedschaft.aktiv, User.aktiv)
        .order_by(User.name, User.id)
    ).all()
    result = {
        row.email.lower(): Empfaenger(row.email.lower(), row.name, row.id, False) for row in members
    }
    gaeste = db.session.execute(
        select(SitzungGast.email, SitzungGast.name)
        .where(SitzungGast.sitzung_id == sitzung.id)
        .order_by(SitzungGast.id)
    ).all()
    accounts = _accounts_by_email([g.email for g in gaeste if g.email not in result])
    for gast in gaeste:
        if gast.email not in result:
            user = accounts.get(gast.email)
            name = gast.name or (user.name if user else gast.email)
            result[gast.email] = Empfaenger(gast.email, name, user.id if user else None, True)
    return list(result.values())


def _accounts_by_email(emails: list[str]) -> dict[str, Any]:
    if not emails:
        return {}
    rows = db.session.execute(
        select(User.id, User.name, func.lower(User.email).label("email")).where(
            func.lower(User.email).in_(emails)
        )
    ).all()
    return {row.email: row for row in rows}


def _locked_sitzung(sitzung_id: int) -> Sitzung | None:
    """The meeting row locked for this step, agenda and documents loaded; None when it is gone
    or another worker holds it (that one does the work; if it dies, the sweep comes back)."""
    sitzung = db.session.scalar(
        select(Sitzung).where(Sitzung.id == sitzung_id).with_for_update(skip_locked=True)
    )
    if sitzung is None:
        return None
    return db.session.scalar(
        select(Sitzung)
        .options(
            joinedload(Sitzung.gremium),
            selectinload(Sitzung.tagesordnungspunkte).selectinload(Tagesordnungspunkt.dateien),
        )
        .where(Sitzung.id == sitzung_id)
        .execution_options(populate_existing=True)
    )


def _new_einladungen(sitzung: Sitzung, limit: int) -> list[Einladung]:
    existing = set(
        db.session.scalars(select(Einladung.email).where(Einladung.sitzung_id == sitzung.id))
    )
    missing = [r for r in recipients(sitzung) if r.email not in existing][:limit]
    einladungen = [
        Einladung(
            sitzung_id=sitzung.id,
            email=r.email,
            name=r.name,
            user_id=r.user_id,
            gast=r.gast,
            sequence_gesendet=sitzung.sequence,
        )
        for r in missing
    ]
    db.session.add_all(einladungen)
    db.session.flush()
    return einladungen


def _outdated_einladungen(sitzung: Sitzung, limit: int) -> list[Einladung]:
    return list(
        db.session.scalars(
            select(Einladung)
            .where(
                Einladung.sitzung_id == sitzung.id, Einladung.sequence_gesendet < sitzung.sequence
            )
            .order_by(Einladung.id)
            .limit(limit)
        )
    )


def fan_out_step(sitzung_id: int, limit: int = FAN_OUT_CHUNK) -> int:
    """Write up to ``limit`` invitation, update or cancellation mails; 0 when nothing is left.

    Idempotent: the meeting row is locked, new Einladungen are only those missing
    (unique per sitzung and address), and an Einladung records the SEQUENCE it was sent,
    in the same transaction as its mail. The caller commits; mails go out in batches.
    """
    sitzung = _locked_sitzung(sitzung_id)
    if sitzung is None:
        return 0
    jobs: list[tuple[Einladung, str]] = []
    if sitzung.status == SitzungStatus.EINGELADEN:
        jobs += [(e, "einladung") for e in _new_einladungen(sitzung, limit)]
    if sitzung.status in (SitzungStatus.EINGELADEN, SitzungStatus.ABGESAGT) and len(jobs) < limit:
        art = "absage" if sitzung.status == SitzungStatus.ABGESAGT else "aenderung"
        jobs += [(e, art) for e in _outdated_einladungen(sitzung, limit - len(jobs))]
    if not jobs:
        sitzung.versand_ausstehend = False
        return 0
    sitzung.versand_angefordert_at = utcnow()  # progress: the sweep leaves a running fan-out alone
    from app.sitzungen.versand import write_mails

    for einladung, _art in jobs:
        einladung.sequence_gesendet = sitzung.sequence
    db.session.flush()  # the Einladungen have their ids (the reply links need them)
    mail_ids = write_mails(sitzung, jobs, kalender.invitation_calendar(sitzung))
    enqueue_batches_after_commit(mail_ids)
    return len(jobs)


SUBJECTS = {
    "einladung": "Einladung: {titel} am {datum}",
    "aenderung": "Geänderter Termin oder Ort: {titel} am {datum}",
    "absage": "Abgesagt: {titel} am {datum}",
    "erinnerung": "Erinnerung: {titel} am {datum}",
}


def _subject(sitzung: Sitzung, art: str) -> str:
    from app.core.i18n import datumzeit

    return SUBJECTS[art].format(
        titel=f"{sitzung.gremium.name} – {sitzung.titel}", datum=datumzeit(sitzung.beginn)
    )


def _queue_sitzung_mail(
    sitzung: Sitzung,
    einladung: Einladung,
    art: str,
    ics: kalender.Einladungskalender | None = None,
) -> None:
    """One personal mail; invitations, updates and cancellations carry the iTIP calendar part."""
    parts: dict[str, Any] = {}
    if art != "erinnerung":
        ics = ics or kalender.invitation_calendar(sitzung)
        data = ics.personal(einladung)
        part = (kalender.ICS_FILENAME, kalender.mime_type(ics.method), data)
        parts = {"inline_parts": [part], "attachments": [part]}
    queue_mail(
        einladung.email,
        _subject(sitzung, art),
        "mail/sitzung_absage" if art == "absage" else "mail/sitzung_einladung",
        recipient_name=einladung.name,
        kind=f"sitzung.{art}",
        sitzung=sitzung,
        einladung=einladung,
        art=art,
        link=reply_link(einladung),
        tops=sitzung.tagesordnungspunkte,
        **parts,
    )


# --------------------------------------------------------------------------- replies


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="sitzung-antwort")


def reply_token(einladung: Einladung) -> str:
    """The signed, personal token of the reply link (no login needed)."""
    return _serializer().dumps({"e": einladung.id, "s": einladung.sitzung_id})


def reply_link(einladung: Einladung) -> str:
    """The absolute reply URL for mails."""
    return external_url("sitzungen.antwort", token=reply_token(einladung))


def read_reply_token(token: str) -> Einladung:
    """The Einladung of a valid token; raises LinkError with a German explanation."""
    max_age = int(current_app.config.get("SITZUNG_ANTWORT_MAX_AGE", DEFAULT_REPLY_MAX_AGE))
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise LinkError(
            "Dieser Antwort-Link ist abgelaufen. "
            "Bitte wenden Sie sich an die Stabsstelle Sozialplanung."
        ) from exc
    except BadData as exc:
        raise LinkError(
            "Dieser Antwort-Link ist ungültig. Bitte prüfen Sie, "
            "ob er vollständig aus der E-Mail übernommen wurde."
        ) from exc
    einladung = db.session.get(Einladung, data.get("e")) if isinstance(data, dict) else None
    if einladung is None or einladung.sitzung_id != data.get("s"):
        raise LinkError("Diese Einladung gibt es nicht mehr.")
    return einladung


def reply_closed_reason(sitzung: Sitzung) -> str | None:
    """Why a reply is no longer possible, or None."""
    if sitzung.status == SitzungStatus.ABGESAGT:
        return "Die Sitzung wurde abgesagt; eine Rückmeldung ist nicht mehr nötig."
    if sitzung.status == SitzungStatus.DURCHGEFUEHRT or sitzung.ende <= utcnow():
        return "Die Sitzung hat bereits stattgefunden."
    return None


def answer_einladung(
    einladung: Einladung,
    antwort: Antwort,
    vertretung_name: str | None = None,
    kommentar: str | None = None,
    von: User | None = None,
) -> EinladungVerlauf:
    """Record a reply (or a change of it) and keep the previous ones in the history."""
    reason = reply_closed_reason(einladung.sitzung)
    if reason:
        raise SitzungError(reason)
    if antwort == Antwort.OFFEN:
        raise SitzungError("Bitte wählen Sie Zusage, Absage oder Vertretung.")
    if antwort == Antwort.VERTRETUNG and not (vertretung_name or "").strip():
        raise SitzungError("Bitte nennen Sie die Person, die Sie vertritt.")
    einladung.antwort = antwort
    einladung.vertretung_name = (
        vertretung_name.strip() if antwort == Antwort.VERTRETUNG and vertretung_name else None
    )
    einladung.kommentar = (kommentar or "").strip() or None
    einladung.beantwortet_at = utcnow()
    eintrag = EinladungVerlauf(
        antwort=antwort,
        vertretung_name=einladung.vertretung_name,
        kommentar=einladung.kommentar,
        geaendert_von_id=von.id
        if von is not None and getattr(von, "is_authenticated", False)
        else None,
    )
    einladung.verlauf.append(eintrag)
    db.session.flush()
    return eintrag


def attendance_counts(einladungen: list[Einladung]) -> dict[Antwort, int]:
    """How many replied what (for the attendance list)."""
    counts = Counter(e.antwort for e in einladungen)
    return {a: counts.get(a, 0) for a in Antwort}


def reply_counts(sitzung_ids: list[int]) -> dict[int, dict[Antwort, int]]:
    """Per meeting the number of each reply, in one query."""
    result: dict[int, dict[Antwort, int]] = {sid: dict.fromkeys(Antwort, 0) for sid in sitzung_ids}
    if sitzung_ids:
        rows = db.session.execute(
            select(Einladung.sitzung_id, Einladung.antwort, func.count())
            .where(Einladung.sitzung_id.in_(sitzung_ids))
            .group_by(Einladung.sitzung_id, Einladung.antwort)
        ).all()
        for sitzung_id, antwort, count in rows:
            result[sitzung_id][antwort] = count
    return result


def history(sitzung: Sitzung, limit: int = 50) -> list[tuple[EinladungVerlauf, str]]:
    """The latest reply changes of a meeting with the invitee's name, newest first."""
    rows = db.session.execute(
        select(EinladungVerlauf, Einladung.name)
        .join(Einladung, Einladung.id == EinladungVerlauf.einladung_id)
        .where(Einladung.sitzung_id == sitzung.id)
        .order_by(EinladungVerlauf.id.desc())
        .limit(limit)
    ).all()
    return [(row[0], row[1]) for row in rows]


def own_einladung(sitzung: Sitzung, user: User) -> Einladung | None:
    """The logged-in person's invitation to this meeting."""
    return db.session.scalar(
        select(Einladung).where(Einladung.sitzung_id == sitzung.id, Einladung.user_id == user.id)
    )


def open_einladungen(user: User) -> list[Einladung]:
    """Upcoming invitations of ``user`` without reply (start-page tasks)."""
    return list(
        db.session.scalars(
            select(Einladung)
            .join(Sitzung, Sitzung.id == Einladung.sitzung_id)
            .options(joinedload(Einladung.sitzung).joinedload(Sitzung.gremium))
            .where(
                Einladung.user_id == user.id,
                Einladung.antwort == Antwort.OFFEN,
                Sitzung.status == SitzungStatus.EINGELADEN,
                Sitzung.beginn > utcnow(),
            )
            .order_by(Sitzung.beginn)
        )
    )


# --------------------------------------------------------------------------- reminders


def due_reminder_ids(now: datetime | None = None) -> list[int]:
    """Invited, upcoming meetings whose reminder time (beginn − days) has come."""
    now = now or utcnow()
    candidates = db.session.execute(
        select(Sitzung.id, Sitzung.beginn, Sitzung.erinnerung_tage).where(
            Sitzung.status == SitzungStatus.EINGELADEN,
            Sitzung.erinnerung_tage.is_not(None),
            Sitzung.beginn > now,
            Sitzung.beginn <= now + timedelta(days=61),
        )
    ).all()
    return [row.id for row in candidates if row.beginn - timedelta(days=row.erinnerung_tage) <= now]


def send_reminders_for(sitzung_id: int, now: datetime | None = None) -> int:
    """Queue the reminder to each invitee not yet reminded of the current date; flushes.

    ``erinnert_fuer`` holds the start time the reminder was about: a reminder goes out once,
    and again only if the meeting moved to another date afterwards.
    """
    now = now or utcnow()
    sitzung = _locked_sitzung(sitzung_id)
    if sitzung is None or sitzung.id not in due_reminder_ids(now):
        return 0
    query = select(Einladung).where(
        Einladung.sitzung_id == sitzung.id,
        or_(Einladung.erinnert_fuer.is_(None), Einladung.erinnert_fuer != sitzung.beginn),
        Einladung.sequence_gesendet == sitzung.sequence,
    )
    if sitzung.erinnerung_an == ErinnerungAn.OFFENE:
        query = query.where(Einladung.antwort == Antwort.OFFEN)
    einladungen = list(db.session.scalars(query.order_by(Einladung.id)))
    with collect_mail_ids() as mail_ids:
        for einladung in einladungen:
            _queue_sitzung_mail(sitzung, einladung, "erinnerung")
            einladung.erinnert_fuer = sitzung.beginn
    enqueue_batches_after_commit(mail_ids)
    db.session.flush()
    return len(einladungen)


def stuck_fan_out_ids() -> list[int]:
    """Meetings whose fan-out was requested but not finished (queue lost, worker died)."""
    grace = utcnow() - timedelta(seconds=current_app.config["OUTBOX_SWEEP_GRACE_SECONDS"])
    return list(
        db.session.scalars(
            select(Sitzung.id)
            .where(Sitzung.versand_ausstehend, Sitzung.versand_angefordert_at <= grace)
            .with_for_update(skip_locked=True)
        )
    )


def touch_fan_out(sitzung_ids: list[int]) -> None:
    """Restart the grace period of re-enqueued fan-outs, so the sweep does not pile them up."""
    if sitzung_ids:
        db.session.execute(
            update(Sitzung)
            .where(Sitzung.id.in_(sitzung_ids))
            .values(versand_angefordert_at=utcnow())
        )


# --------------------------------------------------------------------------- visibility and feeds


def visible_sitzungen(user: User) -> Select:
    """The meetings ``user`` may see: all for the Stabsstelle; else public, own Gremien, invited."""
    query = select(Sitzung)
    if getattr(user, "ist_stabsstelle", False):
        return query
    gremien = select(Mitgliedschaft.gremium_id).where(
        Mitgliedschaft.user_id == user.id, Mitgliedschaft.aktiv
    )
    eingeladen = select(Einladung.sitzung_id).where(Einladung.user_id == user.id)
    return query.where(
        or_(Sitzung.oeffentlich, Sitzung.gremium_id.in_(gremien), Sitzung.id.in_(eingeladen))
    )


def organised_gremium_ids(user: User) -> set[int]:
    """Gremien in which ``user`` holds Vorsitz or Moderation."""
    from app.sitzungen.permissions import ORGANISATION

    return set(
        db.session.scalars(
            select(Mitgliedschaft.gremium_id).where(
                Mitgliedschaft.user_id == user.id,
                Mitgliedschaft.aktiv,
                Mitgliedschaft.funktion.in_(ORGANISATION),
            )
        )
    )


def creatable_gremien(user: User) -> list[Gremium]:
    """Active Gremien ``user`` may plan meetings for."""
    query = select(Gremium).where(Gremium.aktiv).order_by(Gremium.typ, Gremium.name)
    if not getattr(user, "ist_stabsstelle", False):
        query = query.where(Gremium.id.in_(organised_gremium_ids(user) or {-1}))
    return list(db.session.scalars(query))


def active_abo(user: User) -> KalenderAbo | None:
    """The person's current calendar feed, if any."""
    return db.session.scalar(
        select(KalenderAbo).where(KalenderAbo.user_id == user.id, KalenderAbo.revoked_at.is_(None))
    )


def renew_abo(user: User) -> KalenderAbo:
    """A new feed URL; the previous one stops working at once."""
    revoke_abo(user)
    abo = KalenderAbo(user_id=user.id)
    db.session.add(abo)
    db.session.flush()
    return abo


def revoke_abo(user: User) -> None:
    """Make the person's feed URL useless."""
    db.session.execute(
        update(KalenderAbo)
        .where(KalenderAbo.user_id == user.id, KalenderAbo.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def _feed_query() -> Select:
    return (
        select(Sitzung)
        .options(joinedload(Sitzung.gremium), selectinload(Sitzung.tagesordnungspunkte))
        .where(
            Sitzung.status != SitzungStatus.GEPLANT, Sitzung.ende >= utcnow() - timedelta(days=365)
        )
        .order_by(Sitzung.beginn)
    )


def feed_for_token(token: str) -> tuple[User, list[Sitzung]] | None:
    """The person and the meetings of a live feed token; None when unknown or revoked."""
    abo = db.session.scalar(
        select(KalenderAbo)
        .options(joinedload(KalenderAbo.user))
        .where(KalenderAbo.token == token, KalenderAbo.revoked_at.is_(None))
    )
    if abo is None or not abo.user.aktiv:
        return None
    user = abo.user
    gremien = select(Mitgliedschaft.gremium_id).where(
        Mitgliedschaft.user_id == user.id, Mitgliedschaft.aktiv
    )
    eingeladen = select(Einladung.sitzung_id).where(Einladung.user_id == user.id)
    query = _feed_query().where(or_(Sitzung.gremium_id.in_(gremien), Sitzung.id.in_(eingeladen)))
    return user, list(db.session.scalars(query).unique())


def public_feed(gremium: Gremium) -> list[Sitzung]:
    """A Gremium's public meetings for its subscribable calendar."""
    query = _feed_query().where(Sitzung.gremium_id == gremium.id, Sitzung.oeffentlich)
    return list(db.session.scalars(query).unique())
