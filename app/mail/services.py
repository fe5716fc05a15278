"""Outbox operations: queue a mail with its business change, claim, finish, retry."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any

from flask import current_app, render_template
from sqlalchemy import or_, select, update

from app.core.after_commit import after_commit
from app.core.types import utcnow
from app.extensions import db
from app.mail.models import Mail, MailAttachment, MailStatus


def queue_mail(
    recipient: str,
    subject: str,
    template: str,
    *,
    recipient_name: str | None = None,
    kind: str = "allgemein",
    attachments: list[tuple[str, str, bytes]] | None = None,
    inline_parts: list[tuple[str, str, bytes]] | None = None,
    **context: Any,
) -> Mail:
    """Write a mail row rendered from ``templates/<template>.txt/.html``; sent after commit."""
    context.setdefault("recipient_name", recipient_name)
    mail = Mail(
        recipient=recipient,
        recipient_name=recipient_name,
        subject=subject,
        body_text=render_template(f"{template}.txt", **context),
        body_html=render_template(f"{template}.html", **context),
        kind=kind,
        message_id=make_msgid(domain=_mail_domain()),
    )
    for filename, content_type, data in attachments or []:
        mail.attachments.append(MailAttachment(filename=filename, content_type=content_type, data=data))
    for filename, content_type, data in inline_parts or []:
        mail.attachments.append(
            MailAttachment(filename=filename, content_type=content_type, data=data, inline=True)
        )
    db.session.add(mail)
    db.session.flush()
    enqueue_after_commit([mail.id])
    return mail


def _mail_domain() -> str:
    sender = current_app.config["MAIL_FROM"]
    return sender.rsplit("@", 1)[-1].strip(" >") or "localhost"


def enqueue_after_commit(mail_ids: list[int]) -> None:
    """Hand the ids to the worker once the rows are committed."""
    from app.mail.tasks import send_mail

    def enqueue() -> None:
        for mail_id in mail_ids:
            send_mail.delay(mail_id)

    after_commit(enqueue)


def claim_mail(mail_id: int) -> Mail | None:
    """Lock the row and mark it sending; None when sent, failed, or leased by another worker."""
    now = utcnow()
    mail = db.session.execute(
        select(Mail).where(Mail.id == mail_id).with_for_update(skip_locked=True)
    ).scalar_one_or_none()
    if mail is None or mail.status in (MailStatus.SENT, MailStatus.FAILED):
        return None
    if mail.status == MailStatus.SENDING and mail.lease_until and mail.lease_until > now:
        return None
    mail.status = MailStatus.SENDING
    mail.attempts += 1
    mail.lease_until = now + timedelta(seconds=current_app.config["MAIL_LEASE_SECONDS"])
    return mail


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
    delay = min(cfg["MAIL_RETRY_BASE_SECONDS"] * 2 ** (mail.attempts - 1), cfg["MAIL_RETRY_MAX_SECONDS"])
    mail.status = MailStatus.PENDING
    mail.last_error = error
    mail.lease_until = None
    mail.next_attempt_at = utcnow() + timedelta(seconds=delay)
    return delay


def resend_mail(mail: Mail) -> None:
    """Put a failed mail back into the queue (Stabsstelle action)."""
    mail.status = MailStatus.PENDING
    mail.attempts = 0
    mail.next_attempt_at = utcnow()
    enqueue_after_commit([mail.id])


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


def build_message(mail: Mail) -> EmailMessage:
    """The MIME message: text with HTML alternative, inline calendar parts, attachments."""
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = formataddr((mail.recipient_name or "", mail.recipient))
    msg["Subject"] = mail.subject
    msg["Message-ID"] = mail.message_id
    msg["Date"] = mail.created_at
    if mail.reply_to:
        msg["Reply-To"] = mail.reply_to
    msg.set_content(mail.body_text)
    if mail.body_html:
        msg.add_alternative(mail.body_html, subtype="html")
    for part in mail.attachments:
        _attach(msg, part)
    return msg


def _attach(msg: EmailMessage, part: MailAttachment) -> None:
    maintype, _, rest = part.content_type.partition("/")
    subtype, *params = [p.strip() for p in rest.split(";")]
    extra = dict(p.split("=", 1) for p in params if "=" in p)
    if part.inline and maintype == "text":
        alternative = msg if not msg.is_multipart() else _alternative_part(msg)
        alternative.add_alternative(part.data.decode(), subtype=subtype, params=extra)
        return
    msg.add_attachment(part.data, maintype=maintype, subtype=subtype, filename=part.filename, params=extra)


def _alternative_part(msg: EmailMessage) -> EmailMessage:
    if msg.get_content_type() == "multipart/alternative":
        return msg
    for sub in msg.iter_parts():
        if sub.get_content_type() == "multipart/alternative":
            return sub  # type: ignore[return-value]
    return msg
