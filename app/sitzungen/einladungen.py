"""Invitations: guests, recipients, the fan-out into outbox mails."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.core.after_commit import after_commit
from app.core.auftraege import enqueue
from app.core.types import utcnow
from app.extensions import db
from app.mail.services import enqueue_batches_after_commit, queue_mail
from app.sitzungen import kalender
from app.sitzungen.antworten import reply_link
from app.sitzungen.grundlagen import FAN_OUT_CHUNK, Empfaenger, SitzungError
from app.sitzungen.mappe import mail_kontext, versandmappe
from app.sitzungen.models import (
    Antwort,
    Einladung,
    Sitzung,
    SitzungGast,
    SitzungStatus,
    Tagesordnungspunkt,
)
from app.sitzungen.versand import VERTRETUNG_ENTFAELLT, subject_for, template_for, write_mails
from app.stammdaten.models import Mitgliedschaft

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
    sitzung.versand_ausstehend = True
    sitzung.versand_angefordert_at = utcnow()
    sitzung_id = sitzung.id
    after_commit(lambda: enqueue("sitzungen.send_einladungen", sitzung_id))


def recipients(sitzung: Sitzung) -> list[Empfaenger]:
    """Active members of the Gremium, then guests, then the Stellvertretungen of members who
    declined; one entry per address (a deputy invited anyway is not invited twice)."""
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
    for row in _vertretungen(sitzung):
        result.setdefault(
            row.email.lower(), Empfaenger(row.email.lower(), row.name, row.id, False, row.vertritt)
        )
    return list(result.values())


def _vertretungen(sitzung: Sitzung) -> list[Any]:
    """Active Stellvertretungen of the active seats whose member declined this meeting."""
    return list(
        db.session.execute(
            select(User.id, User.email, User.name, Einladung.id.label("vertritt"))
            .join(Mitgliedschaft, Mitgliedschaft.stellvertretung_id == User.id)
            .join(
                Einladung,
                (Einladung.user_id == Mitgliedschaft.user_id)
                & (Einladung.sitzung_id == sitzung.id),
            )
            .where(
                Mitgliedschaft.gremium_id == sitzung.gremium_id,
                Mitgliedschaft.aktiv,
                User.aktiv,
                Einladung.antwort == Antwort.ABSAGE,
                Einladung.gast.is_(False),
            )
            .order_by(Einladung.id)
        ).all()
    )


def _accounts_by_email(emails: list[str]) -> dict[str, Any]:
    if not emails:
        return {}
    rows = db.session.execute(
        select(User.id, User.name, func.lower(User.email).label("email")).where(
            func.lower(User.email).in_(emails)
        )
    ).all()
    return {row.email: row for row in rows}


def locked_sitzung(sitzung_id: int) -> Sitzung | None:
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
    ids = _drawn_ids(len(missing))
    einladungen = [
        Einladung(
            id=next(ids, None),
            sitzung_id=sitzung.id,
            email=r.email,
            name=r.name,
            user_id=r.user_id,
            gast=r.gast,
            sequence_gesendet=sitzung.sequence,
            vertritt_einladung_id=r.vertritt_einladung_id,
        )
        for r in missing
    ]
    db.session.add_all(einladungen)
    db.session.flush()
    return einladungen


def _drawn_ids(count: int) -> Iterator[int]:
    """PostgreSQL: ``count`` ids drawn from the Einladung sequence in one query, ascending.

    With their ids known the ORM inserts the rows with a plain executemany (one short statement,
    pipelined) instead of a multi-row INSERT … RETURNING with a placeholder per cell, which the
    driver parses anew for every step. Elsewhere (SQLite) the database assigns them."""
    if not count or db.session.get_bind().dialect.name != "postgresql":
        return iter(())
    sequence = func.pg_get_serial_sequence(Einladung.__tablename__, "id")
    drawn = db.session.scalars(
        select(func.nextval(sequence)).select_from(func.generate_series(1, count))
    )
    return iter(sorted(drawn))


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
    sitzung = locked_sitzung(sitzung_id)
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
    for einladung, _art in jobs:
        if einladung.sequence_gesendet != sitzung.sequence:  # new ones have it already
            einladung.sequence_gesendet = sitzung.sequence
    db.session.flush()  # the Einladungen have their ids (the reply links need them)
    mappe = versandmappe(sitzung) if any(art != "absage" for _e, art in jobs) else None
    mail_ids = write_mails(sitzung, jobs, kalender.invitation_calendar(sitzung), mappe)
    enqueue_batches_after_commit(mail_ids)
    return len(jobs)


def queue_sitzung_mail(
    sitzung: Sitzung,
    einladung: Einladung,
    art: str,
    ics: kalender.Einladungskalender | None = None,
) -> None:
    """One personal mail; invitations, updates and cancellations carry the iTIP calendar part
    (a withdrawn Stellvertretung: CANCEL for this person only), invitations and updates the
    meeting pack when the meeting asks for it."""
    parts: dict[str, Any] = {}
    if art != "erinnerung":
        ics = ics or kalender.invitation_calendar(sitzung, art == VERTRETUNG_ENTFAELLT)
        data = ics.personal(einladung)
        part = (kalender.ICS_FILENAME, kalender.mime_type(ics.method), data)
        parts = {"inline_parts": [part], "attachments": [part]}
    mappe = versandmappe(sitzung) if art in ("einladung", "aenderung") else None
    link = reply_link(einladung)
    queue_mail(
        einladung.email,
        subject_for(sitzung, art),
        template_for(art),
        recipient_name=einladung.name,
        kind=f"sitzung.{art}",
        sitzung=sitzung,
        einladung=einladung,
        art=art,
        link=link,
        tops=sitzung.tagesordnungspunkte,
        shared_attachments=mappe.anhaenge() if mappe else None,
        vertritt=einladung.vertritt_einladung.name if einladung.vertritt_einladung else None,
        **mail_kontext(mappe, link),
        **parts,
    )
