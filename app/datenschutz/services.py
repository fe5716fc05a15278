"""Data-protection operations: request "Meine Daten", build it (worker), find the download."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.audit.models import Aktion
from app.audit.services import record_event
from app.auth.models import User
from app.benachrichtigungen.services import notify
from app.core.after_commit import after_commit
from app.core.auftraege import enqueue
from app.core.types import utcnow
from app.datenschutz import auskunft
from app.datenschutz.models import AuskunftStatus, Datenauskunft
from app.extensions import db

TASK = "datenschutz.meine_daten"


class AuskunftFehler(Exception):
    """A request that cannot be served now; the message is German."""


def request_auskunft(user: User) -> Datenauskunft:
    """Record the request (audited) and hand the building to the worker after commit."""
    offen = db.session.scalar(
        select(Datenauskunft.id).where(
            Datenauskunft.user_id == user.id,
            Datenauskunft.status == AuskunftStatus.ANGEFORDERT,
            Datenauskunft.angefordert_at > utcnow() - timedelta(hours=1),
        )
    )
    if offen is not None:
        raise AuskunftFehler("Ihre Daten werden bereits zusammengestellt. Bitte warten Sie kurz.")
    row = Datenauskunft(user_id=user.id, download_token=secrets.token_urlsafe(32))
    db.session.add(row)
    db.session.flush()
    record_event(
        Aktion.DATENAUSKUNFT,
        objekt=user,
        hinweis="„Meine Daten“ angefordert (Art. 15/20 DSGVO)",
    )
    auskunft_id = row.id
    after_commit(lambda: enqueue(TASK, auskunft_id))
    return row


def build_auskunft(auskunft_id: int) -> bool:
    """Build the ZIP for a request (worker; idempotent: a finished request stays as it is)."""
    row = db.session.get(Datenauskunft, auskunft_id, with_for_update=True)
    if row is None or row.status != AuskunftStatus.ANGEFORDERT:
        return False
    user = db.session.get(User, row.user_id)
    data = auskunft.build_zip(user)
    name = f"{secrets.token_hex(16)}.zip"
    target = auskunft.export_dir() / name
    target.write_bytes(data)
    row.dateiname, row.groesse = name, len(data)
    row.status, row.fertig_at = AuskunftStatus.FERTIG, utcnow()
    row.laeuft_ab_at = row.fertig_at + timedelta(
        seconds=current_app.config["MEINE_DATEN_GUELTIGKEIT"]
    )
    notify(
        [user.id],
        "Ihre Daten („Meine Daten“) stehen zum Herunterladen bereit.",
        "/konto/",
        art=None,
    )
    db.session.flush()
    return True


def mark_failed(auskunft_id: int) -> None:
    """A build that raised: the person sees it and may ask again."""
    row = db.session.get(Datenauskunft, auskunft_id)
    if row is not None and row.status == AuskunftStatus.ANGEFORDERT:
        row.status = AuskunftStatus.FEHLGESCHLAGEN


def for_download(auskunft_id: int, token: str | None) -> Datenauskunft | None:
    """The finished, unexpired request matching the link, else None."""
    row = db.session.get(Datenauskunft, auskunft_id)
    if (
        row is None
        or row.status != AuskunftStatus.FERTIG
        or row.abgelaufen
        or not token
        or not secrets.compare_digest(token, row.download_token)
    ):
        return None
    return row


def own_requests(user: User) -> list[Datenauskunft]:
    """The person's requests, newest first."""
    return list(
        db.session.scalars(
            select(Datenauskunft)
            .where(Datenauskunft.user_id == user.id)
            .order_by(Datenauskunft.id.desc())
            .limit(10)
        )
    )


def remove_file(row: Datenauskunft) -> None:
    """Delete a request's ZIP from disk (expired, deleted account)."""
    if row.dateiname:
        (auskunft.export_dir() / row.dateiname).unlink(missing_ok=True)
