"""Worker tasks: send one outbox row by id, and sweep rows the queue lost."""

from __future__ import annotations

import logging

from celery import shared_task

from app.extensions import db
from app.mail import services, transport

log = logging.getLogger(__name__)


@shared_task(name="mail.send", bind=True, max_retries=10, acks_late=True)
def send_mail(self, mail_id: int) -> str:  # noqa: ANN001
    """Deliver the outbox row once; idempotent, so a second run is a no-op."""
    mail = services.claim_mail(mail_id)
    if mail is None:
        db.session.rollback()
        return "skipped"
    message = services.build_message(mail)
    db.session.commit()  # the claim (status sending + lease) is durable before the SMTP talk
    try:
        used = transport.deliver(message)
    except transport.PermanentMailError as exc:
        services.mark_failed(mail, str(exc))
        db.session.commit()
        return "failed"
    except transport.TemporaryMailError as exc:
        delay = services.schedule_retry(mail, str(exc))
        db.session.commit()
        if delay is None:
            return "failed"
        raise self.retry(countdown=delay) from exc
    services.mark_sent(mail, used)
    db.session.commit()
    return "sent"


@shared_task(name="mail.sweep_outbox", acks_late=True)
def sweep_outbox() -> int:
    """Re-enqueue rows left pending (Redis lost, enqueue failed) or stuck sending (worker died)."""
    ids = services.due_mail_ids()
    db.session.commit()
    for mail_id in ids:
        send_mail.delay(mail_id)
    if ids:
        log.info("Postausgang: %d E-Mails erneut eingereiht", len(ids))
    return len(ids)
