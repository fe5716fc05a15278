"""Delivery of outbox rows: claiming with a lease, the bytes on the wire, sent, failed, retries."""

from __future__ import annotations

from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr
from typing import Any

from flask import current_app
from sqlalchemy import func, or_, select, update

from app.core.types import utcnow
from app.extensions import db
from app.mail.mime import wire_bytes
from app.mail.models import Mail, MailAttachment, MailStatus

# A retry task may arrive a little before ``next_attempt_at`` (worker clocks); a task that
# comes earlier is skipped, and the sweep sends the row once it is due.
EARLY_TOLERANCE = timedelta(milliseconds=200)


def _one_line(value: str | None, limit: int) -> str:
    """Header text on one line (a line break would break the message) and within the column."""
    text = " ".join((value or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mail_domain() -> str:
    address = parseaddr(current_app.config["MAIL_FROM"])[1]
    return address.rpartition("@")[2] or "localhost"


def claim_mail(mail_id: int) -> Mail | None:
    """Lock the row and mark it sending; None when there is nothing to do right now.

    Nothing to do: the row is gone, sent or failed, another worker holds it (row lock or a
    live lease), or a retry is scheduled for later (the retry task or the sweep brings it).
    A row whose attempts are used up by dead workers is marked failed instead.
    """
    mail = db.session.execute(
        select(Mail).where(Mail.id == mail_id).with_for_update(skip_locked=True)
    ).scalar_one_or_none()
    return mail if mail is not None and _claim(mail, utcnow()) else None


def _claim(mail: Mail, now: Any) -> bool:
    """Mark a locked row sending if it is due (see ``claim_mail``)."""
    if mail.status in (MailStatus.SENT, MailStatus.FAILED):
        return False
    if mail.status == MailStatus.SENDING and mail.lease_until and mail.lease_until > now:
        return False
    if mail.status == MailStatus.PENDING and mail.next_attempt_at > now + EARLY_TOLERANCE:
        return False
    if mail.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        mark_failed(
            mail,
            (mail.last_error or "Versand wurde mehrfach abgebrochen")
            + f" (nach {mail.attempts} Versuchen aufgegeben)",
        )
        return False
    mail.status = MailStatus.SENDING
    mail.attempts += 1
    mail.lease_until = now + timedelta(seconds=current_app.config["MAIL_LEASE_SECONDS"])
    return True


def mark_sent(mail: Mail, transport: str) -> None:
    """Record the successful delivery."""
    mail.status = MailStatus.SENT
    mail.sent_at = utcnow()
    mail.lease_until = None
    mail.last_error = None
    mail.transport = transport


def mark_failed(mail: Mail, error: str) -> None:
    """Give up: the Stabsstelle sees it in the Postausgang and may send it again."""
    mail.status = MailStatus.FAILED
    mail.last_error = error
    mail.lease_until = None


def schedule_retry(mail: Mail, error: str) -> int | None:
    """Back off after a temporary error; returns the delay, or None when attempts are used up."""
    cfg = current_app.config
    if mail.attempts >= cfg["MAIL_MAX_ATTEMPTS"]:
        mark_failed(mail, f"{error} (nach {mail.attempts} Versuchen aufgegeben)")
        return None
    delay = min(
        cfg["MAIL_RETRY_BASE_SECONDS"] * 2 ** (mail.attempts - 1), cfg["MAIL_RETRY_MAX_SECONDS"]
    )
    mail.status = MailStatus.PENDING
    mail.last_error = error
    mail.lease_until = None
    mail.next_attempt_at = utcnow() + timedelta(seconds=delay)
    return delay


def due_mail_ids(limit: int = 500) -> list[int]:
    """Pending rows whose time has come and rows whose sending lease expired (worker died)."""
    now = utcnow()
    grace = now - timedelta(seconds=current_app.config["OUTBOX_SWEEP_GRACE_SECONDS"])
    stale = (Mail.status == MailStatus.SENDING) & (Mail.lease_until < now)
    waiting = (
        (Mail.status == MailStatus.PENDING)
        & (Mail.next_attempt_at <= now)
        & (Mail.created_at <= grace)
    )
    ids = db.session.scalars(
        select(Mail.id).where(or_(stale, waiting)).order_by(Mail.id).limit(limit)
    ).all()
    if ids:
        db.session.execute(
            update(Mail).where(Mail.id.in_(ids), stale).values(status=MailStatus.PENDING)
        )
    return list(ids)


def envelope_sender() -> str:
    """The address of MAIL_FROM, for the SMTP envelope."""
    return parseaddr(current_app.config["MAIL_FROM"])[1]


def wire(mail: Mail) -> bytes:
    """The message as it goes on the wire: text with HTML alternative, inline calendar parts,
    attachments (``app.mail.mime``)."""
    return wire_bytes(mail, current_app.config["MAIL_FROM"])


def build_message(mail: Mail) -> EmailMessage:
    """The wire form parsed back into a message object (for reading it, e.g. in tests)."""
    return BytesParser(policy=policy.default).parsebytes(wire(mail))


BATCH_SIZE = 50


def claim_mails(mail_ids: list[int]) -> list[Mail]:
    """Claim every sendable row of ``mail_ids`` in this transaction, attachments preloaded.

    One locking SELECT for the whole batch (rows another worker holds are skipped), the same
    rules per row as ``claim_mail``.
    """
    from sqlalchemy.orm import selectinload

    rows = db.session.scalars(
        select(Mail)
        .where(Mail.id.in_(sorted(set(mail_ids))))
        .order_by(Mail.id)
        .with_for_update(skip_locked=True, of=Mail)
        .options(selectinload(Mail.attachments).selectinload(MailAttachment.inhalt))
    ).all()
    now = utcnow()
    return [mail for mail in rows if _claim(mail, now)]


def renew_lease(mail: Mail) -> bool:
    """Extend this worker's lease right before sending; False when another worker took the row.

    While more than half of the lease is left nobody else may take the row (others only take
    expired leases), so no statement is needed; sends are bounded by ``limit_smtp_wait``.
    """
    from sqlalchemy.orm.attributes import set_committed_value

    seconds = current_app.config["MAIL_LEASE_SECONDS"]
    if mail.lease_until and mail.lease_until - utcnow() > timedelta(seconds=seconds / 2):
        return True
    lease = utcnow() + timedelta(seconds=seconds)
    result = db.session.execute(
        update(Mail)
        .where(
            Mail.id == mail.id,
            Mail.status == MailStatus.SENDING,
            Mail.lease_until == mail.lease_until,
        )
        .values(lease_until=lease)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    set_committed_value(mail, "lease_until", lease)
    return True


def record_sent(mail: Mail, transport: str) -> None:
    """``mark_sent`` as one UPDATE, committed at once (batch sends: cheap per row, and a
    delivered row is recorded before the next message goes on the wire)."""
    from sqlalchemy.orm.attributes import set_committed_value

    values = {
        "status": MailStatus.SENT,
        "sent_at": utcnow(),
        "lease_until": None,
        "last_error": None,
        "transport": transport,
    }
    statement = update(Mail).where(Mail.id == mail.id).values(**values)
    if db.session.get_bind().dialect.name == "postgresql":
        # PostgreSQL: this transaction's commit returns before its WAL is on disk. The mark
        # is visible to every other worker at once and a killed worker cannot lose it; only a
        # crash of the database server itself within a fraction of a second could, and then
        # the sweep sends that mail once more (never less). Set inside the UPDATE (a one-row
        # subquery), so it costs no round trip of its own; it saves a disk flush per message.
        ohne_warten = select(func.set_config("synchronous_commit", "off", True)).scalar_subquery()
        statement = statement.where(ohne_warten.is_not(None))
    db.session.execute(statement.execution_options(synchronize_session=False))
    db.session.commit()
    for key, value in values.items():
        set_committed_value(mail, key, value)


def limit_smtp_wait() -> None:
    """Bound every wait on the mail server below the lease, so a stalled send never outlives it."""
    import smtplib

    from app.mail import transport

    cfg = current_app.config
    if cfg["MAIL_BACKEND"] == "store":
        return
    try:
        conn = transport._connection or transport.get_connection()
    except (smtplib.SMTPException, OSError) as exc:
        message = f"Verbindung zum Mailserver fehlgeschlagen: {exc}"
        raise transport.TemporaryMailError(message) from exc
    _set_smtp_timeout(conn, min(float(cfg["SMTP_TIMEOUT"]), cfg["MAIL_LEASE_SECONDS"] * 0.5))


def release_smtp_wait() -> None:
    """Give the shared connection its configured timeout back (after a batch)."""
    from app.mail import transport

    if transport._connection is not None:
        _set_smtp_timeout(transport._connection, float(current_app.config["SMTP_TIMEOUT"]))


def _set_smtp_timeout(conn: Any, timeout: float) -> None:
    if conn.timeout != timeout:
        conn.timeout = timeout
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
