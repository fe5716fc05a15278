"""Delivery of outbox rows: claiming with a lease, the bytes on the wire, sent, failed, retries."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr
from functools import lru_cache
from typing import Any

from flask import current_app
from sqlalchemy import Engine, or_, select, update

from app.core import datenstand
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
    if not _due(mail, now):
        return False
    mail.status = MailStatus.SENDING
    mail.attempts += 1
    mail.lease_until = now + timedelta(seconds=current_app.config["MAIL_LEASE_SECONDS"])
    return True


def _due(mail: Mail, now: Any) -> bool:
    """Whether a locked row may be sent now; a row whose attempts are used up is marked failed."""
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
    return _envelope_address(current_app.config["MAIL_FROM"])


@lru_cache(maxsize=16)
def _envelope_address(mail_from: str) -> str:
    return parseaddr(mail_from)[1]


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
    claimed = [mail for mail in rows if _due(mail, now)]
    if claimed:  # one UPDATE for the batch, not one per row through the unit of work
        from sqlalchemy.orm.attributes import set_committed_value

        lease = now + timedelta(seconds=current_app.config["MAIL_LEASE_SECONDS"])
        db.session.execute(
            update(Mail)
            .where(Mail.id.in_([mail.id for mail in claimed]))
            .values(status=MailStatus.SENDING, attempts=Mail.attempts + 1, lease_until=lease)
            .execution_options(synchronize_session=False)
        )
        for mail in claimed:
            set_committed_value(mail, "status", MailStatus.SENDING)
            set_committed_value(mail, "attempts", mail.attempts + 1)
            set_committed_value(mail, "lease_until", lease)
    return claimed


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


# The sent mark on PostgreSQL as the driver's prepared statement: one per delivered message, so
# it must cost as little as possible (no statement building, no ORM). ``synchronous_commit``
# off for this transaction only, set inside the UPDATE (a one-row subquery), so it costs no
# round trip of its own: the commit returns before its WAL is on disk. The mark is visible to
# every other worker at once and a killed worker cannot lose it; only a crash of the database
# server itself within a fraction of a second could, and then the sweep sends that mail once
# more (never less). It saves a disk flush per message.
_SENT_SQL = (
    f"UPDATE {Mail.__tablename__} SET status = %s, sent_at = %s, lease_until = NULL,"
    " last_error = NULL, transport = %s"
    " WHERE id = %s AND (SELECT set_config('synchronous_commit', 'off', true)) IS NOT NULL"
)


def _sent_params(mail: Mail, transport: str, now: Any) -> tuple[str, Any, str, int]:
    return (MailStatus.SENT.value, now.replace(tzinfo=None), transport, mail.id)


def _set_sent(mail: Mail, transport: str, now: Any) -> None:
    """The loaded row says what the database says now (no reload)."""
    from sqlalchemy.orm.attributes import set_committed_value

    for key, value in (
        ("status", MailStatus.SENT),
        ("sent_at", now),
        ("lease_until", None),
        ("last_error", None),
        ("transport", transport),
    ):
        set_committed_value(mail, key, value)


def record_sent(mail: Mail, transport: str) -> None:
    """``mark_sent`` as one UPDATE, committed at once (a delivered row is recorded before the
    next message goes on the wire)."""
    now = utcnow()
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.connection.driver_connection.execute(
            _SENT_SQL, _sent_params(mail, transport, now), prepare=True
        )
    else:
        connection.execute(
            update(Mail)
            .where(Mail.id == mail.id)
            .values(status=MailStatus.SENT, sent_at=now, transport=transport)
            .values(lease_until=None, last_error=None)
        )
    db.session.commit()
    _set_sent(mail, transport, now)


@contextmanager
def sent_marks() -> Iterator[Callable[[Mail, str], None]]:
    """``record_sent`` for a batch: on PostgreSQL each mark is one autocommitted statement on a
    connection of its own (one round trip, no BEGIN/COMMIT, no session bookkeeping).

    Still one committed mark per delivered message, before the next one goes on the wire, so
    a kill -9 re-sends at most the message in flight. The session's connection is back in the
    pool after the claim, so this one is usually the same. Each mark increments the
    ``datenstand`` counter as a session commit would (the Postausgang counts are cached by it).
    A session bound to one connection (the test harness's rolled-back transaction) or SQLite
    records through the session instead.
    """
    bind = db.session.get_bind()
    if not (isinstance(bind, Engine) and bind.dialect.name == "postgresql"):
        yield record_sent
        return
    with bind.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT")
        driver = connection.connection.driver_connection

        def mark(mail: Mail, transport: str) -> None:
            now = utcnow()
            driver.execute(_SENT_SQL, _sent_params(mail, transport, now), prepare=True)
            datenstand.geaendert()
            _set_sent(mail, transport, now)

        yield mark


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
