"""Worker tasks: send one outbox row by id, and sweep rows the queue lost."""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from flask import current_app
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.mail import transport, zustellung

log = logging.getLogger(__name__)


@shared_task(name="mail.send", bind=True, acks_late=True, max_retries=10)
def send_mail(self, mail_id: int) -> str:
    """Deliver the outbox row once; idempotent, so a second run is a no-op.

    The database row is the truth: the claim (status sending, attempts + 1, a lease) is
    committed before the SMTP conversation, so a duplicate task skips it, and a worker that
    dies mid-send leaves a lease the sweep picks up once it expired. Time limits (see
    ``worker.celery_app``) end a send before its lease runs out.
    """
    mail = zustellung.claim_mail(mail_id)
    if mail is None:
        db.session.commit()  # the claim may have given up on a row (attempts used up)
        return "skipped"
    try:
        message = zustellung.wire(mail)
    except Exception as exc:  # a broken row never gets better: give up at once, visibly
        log.exception("E-Mail %s konnte nicht erstellt werden", mail_id)
        zustellung.mark_failed(mail, f"E-Mail konnte nicht erstellt werden: {exc}")
        db.session.commit()
        return "failed"
    db.session.commit()  # the claim is durable before the SMTP conversation starts
    try:
        used = transport.deliver(zustellung.envelope_sender(), mail.recipient, message)
    except transport.PermanentMailError as exc:
        zustellung.mark_failed(mail, str(exc))
        if not _commit(mail_id):
            return "gone"
        log.warning("E-Mail %s endgültig abgelehnt: %s", mail_id, exc)
        return "failed"
    except (transport.TemporaryMailError, SoftTimeLimitExceeded) as exc:
        transport.close_connection()
        error = (
            "Zeitlimit beim Versand überschritten"
            if isinstance(exc, SoftTimeLimitExceeded)
            else str(exc)
        )
        delay = zustellung.schedule_retry(mail, error)
        if not _commit(mail_id):
            return "gone"
        if delay is None:
            log.warning("E-Mail %s nach %d Versuchen aufgegeben: %s", mail_id, mail.attempts, error)
            return "failed"
        if delay >= current_app.config["CELERY_VISIBILITY_TIMEOUT"]:
            return "later"  # no countdown beyond the visibility timeout: the sweep brings it
        raise self.retry(
            countdown=delay, exc=exc, max_retries=current_app.config["MAIL_MAX_ATTEMPTS"]
        ) from exc
    zustellung.mark_sent(mail, used)
    return "sent" if _commit(mail_id) else "gone"


def _commit(mail_id: int) -> bool:
    """Record the outcome; False when the row was deleted meanwhile (nothing left to record)."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        log.warning("E-Mail %s wurde während des Versands gelöscht", mail_id)
        return False
    return True


@shared_task(name="mail.sweep_outbox", acks_late=True)
def sweep_outbox() -> int:
    """Re-enqueue rows left pending (Redis lost, enqueue failed) or stuck sending (worker died)."""
    ids = zustellung.due_mail_ids()
    db.session.commit()
    for start in range(0, len(ids), zustellung.BATCH_SIZE):  # many per SMTP connection
        send_batch.delay(ids[start : start + zustellung.BATCH_SIZE])
    if ids:
        log.info("Postausgang: %d E-Mail(s) erneut eingereiht", len(ids))
    return len(ids)


@shared_task(name="mail.send_batch", bind=True, acks_late=True, max_retries=3)
def send_batch(self, mail_ids: list[int]) -> dict[str, int]:
    """Deliver many outbox rows over one SMTP connection; each row stays idempotent on its own.

    All rows are claimed in one transaction. Each delivered row is recorded with one
    autocommitted UPDATE before the next row goes on the wire (``zustellung.sent_marks``): a
    kill -9 re-sends at most the message in flight (one commit for the whole batch would
    re-send every message already delivered), and a row whose lease expired and was taken
    over is skipped. Temporary errors leave the row to the sweep.
    """
    mails = zustellung.claim_mails(mail_ids)
    counts = {"sent": 0, "failed": 0, "later": 0, "skipped": len(set(mail_ids)) - len(mails)}
    db.session.commit()
    try:
        with zustellung.sent_marks() as record_sent:
            for mail in mails:
                counts[_send_claimed(mail, record_sent)] += 1
    finally:
        zustellung.release_smtp_wait()
    db.session.commit()
    return counts


def _send_claimed(
    mail: zustellung.Mail, record_sent: Callable[[zustellung.Mail, str], None]
) -> str:
    """Send one claimed row of a batch; its outcome is committed before the next row goes out."""
    if not zustellung.renew_lease(mail):
        return "skipped"
    try:
        message = zustellung.wire(mail)
    except Exception as exc:  # a broken row never gets better
        log.exception("E-Mail %s konnte nicht erstellt werden", mail.id)
        zustellung.mark_failed(mail, f"E-Mail konnte nicht erstellt werden: {exc}")
        db.session.commit()
        return "failed"
    if db.session().in_transaction():
        db.session.commit()  # a renewed lease is durable before the SMTP conversation
    try:
        zustellung.limit_smtp_wait()
        used = transport.deliver(zustellung.envelope_sender(), mail.recipient, message)
    except transport.PermanentMailError as exc:
        zustellung.mark_failed(mail, str(exc))
        db.session.commit()
        return "failed"
    except transport.TemporaryMailError as exc:
        transport.close_connection()
        delay = zustellung.schedule_retry(mail, str(exc))
        db.session.commit()
        return "later" if delay is not None else "failed"
    record_sent(mail, used)
    return "sent"
