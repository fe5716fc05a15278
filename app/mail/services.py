"""Outbox operations: queue a mail with its business change and hand it to the worker after commit."""

from __future__ import annotations

import hashlib
from email.utils import make_msgid
from typing import Any

from flask import render_template
from sqlalchemy import delete, exists, func, select

from app.core.after_commit import after_commit
from app.core.types import utcnow
from app.extensions import db
from app.mail.models import Mail, MailAttachment, MailInhalt, MailStatus
from app.mail.richtlinie import decide, with_footer
from app.mail.tasks import send_batch, send_mail
from app.mail.zustellung import (  # noqa: F401  re-exported: public operations unchanged
    BATCH_SIZE,
    EARLY_TOLERANCE,
    _mail_domain,
    _one_line,
    build_message,
    claim_mail,
    claim_mails,
    due_mail_ids,
    envelope_sender,
    limit_smtp_wait,
    mark_failed,
    mark_sent,
    record_sent,
    release_smtp_wait,
    renew_lease,
    schedule_retry,
    wire,
)


def queue_mail(
    recipient: str,
    subject: str,
    template: str,
    *,
    recipient_name: str | None = None,
    kind: str = "allgemein",
    attachments: list[tuple[str, str, bytes]] | None = None,
    inline_parts: list[tuple[str, str, bytes]] | None = None,
    shared_attachments: list[tuple[str, str, int]] | None = None,
    **context: Any,
) -> Mail | None:
    """Write a mail row rendered from ``templates/<template>.txt/.html``; sent after commit.

    Call it inside the business transaction (it flushes, never commits): a rollback drops
    the row and the enqueue together. None: the recipient's settings hold the mail back
    (``app.mail.richtlinie``; the in-app notification and the digest carry it).
    ``shared_attachments`` name bytes stored once with ``store_inhalt`` (filename, type, id).
    """
    zustellung = decide(recipient.strip(), kind)
    if not zustellung.senden:
        return None
    context.setdefault("recipient_name", recipient_name)
    body_text = render_template(f"{template}.txt", **context)
    body_html = render_template(f"{template}.html", **context)
    if zustellung.abmelde_link:
        body_text, body_html = with_footer(body_text, body_html, zustellung.abmelde_link)
    mail = Mail(
        recipient=recipient.strip(),
        recipient_name=_one_line(recipient_name, 200) or None,
        subject=_one_line(subject, 300),
        body_text=body_text,
        body_html=body_html,
        kind=kind,
        message_id=make_msgid(domain=_mail_domain()),
        list_unsubscribe=zustellung.abmelde_link,
    )
    for filename, content_type, data in attachments or []:
        mail.attachments.append(
            MailAttachment(filename=filename, content_type=content_type, data=data)
        )
    for filename, content_type, inhalt_id in shared_attachments or []:
        mail.attachments.append(
            MailAttachment(filename=filename, content_type=content_type, inhalt_id=inhalt_id)
        )
    for filename, content_type, data in inline_parts or []:
        mail.attachments.append(
            MailAttachment(filename=filename, content_type=content_type, data=data, inline=True)
        )
    db.session.add(mail)
    db.session.flush()
    enqueue_after_commit([mail.id])
    return mail


def store_inhalt(data: bytes) -> int:
    """The id of ``data`` stored once for many mails; the same bytes again find the same row.

    Callers write for one cause at a time under its row lock (a meeting's fan-out), so two
    transactions storing the same new bytes at once would only meet the unique index.
    """
    digest = hashlib.sha256(data).hexdigest()
    found = db.session.scalar(select(MailInhalt.id).where(MailInhalt.sha256 == digest))
    if found is not None:
        return found
    inhalt = MailInhalt(sha256=digest, data=data)
    db.session.add(inhalt)
    db.session.flush()
    return inhalt.id


def remove_unused_inhalte() -> int:
    """Delete shared attachment bytes no mail refers to any more (after the outbox purge)."""
    used = exists().where(MailAttachment.inhalt_id == MailInhalt.id)
    result = db.session.execute(
        delete(MailInhalt).where(~used).execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def enqueue_after_commit(mail_ids: list[int]) -> None:
    """Hand the ids to the worker once the rows are committed."""
    collector = db.session().info.get(_COLLECT_KEY)
    if collector is not None:  # inside collect_mail_ids(): the caller enqueues batches
        collector.extend(mail_ids)
        return

    def enqueue() -> None:
        for mail_id in mail_ids:
            send_mail.delay(mail_id)

    after_commit(enqueue)


class ResendError(Exception):
    """A failed mail cannot be sent again; the message is German."""


def resend_mail(mail: Mail) -> Mail:
    """Send a failed mail again (Stabsstelle action); sent after commit.

    Mails with a personal account link get a new mail with a new link (the old link stops
    working); others go back into the queue as they are. Returns the mail that will be sent.
    """
    from app.mail.secrets import reissuer_for

    if mail.replaced_by_id is not None:
        raise ResendError("Diese E-Mail wurde bereits durch eine neue ersetzt.")
    reissue = reissuer_for(mail.kind)
    if reissue is None:
        _requeue(mail)
        return mail
    fresh = reissue(mail)
    if fresh is None:
        raise ResendError("Das Konto ist nicht mehr aktiv; es wird kein neuer Link versendet.")
    mail.replaced_by_id = fresh.id
    return fresh


def _requeue(mail: Mail) -> None:
    mail.status = MailStatus.PENDING
    mail.attempts = 0
    mail.lease_until = None
    mail.next_attempt_at = utcnow()
    enqueue_after_commit([mail.id])


# --------------------------------------------------------------------------- batches
# Many rows claimed in one transaction and sent over one SMTP connection (``mail.send_batch``);
# used by fan-outs such as the invitations to a Sitzung.

_COLLECT_KEY = "mail_ids_collector"


class MailIdCollector:
    """While active, ``queue_mail`` only collects the new ids instead of enqueueing each."""

    def __init__(self) -> None:
        self.ids: list[int] = []

    def __enter__(self) -> list[int]:
        db.session().info[_COLLECT_KEY] = self.ids
        return self.ids

    def __exit__(self, *exc: object) -> None:
        db.session().info.pop(_COLLECT_KEY, None)


def collect_mail_ids() -> MailIdCollector:
    """Batch a fan-out: ``with collect_mail_ids() as ids: queue_mail(…)``, then
    ``enqueue_batches_after_commit(ids)``."""
    return MailIdCollector()


def enqueue_batches_after_commit(mail_ids: list[int], size: int = BATCH_SIZE) -> None:
    """Hand the ids to the worker in batches once the rows are committed."""
    chunks = [list(mail_ids[i : i + size]) for i in range(0, len(mail_ids), size)]

    def enqueue() -> None:
        for chunk in chunks:
            send_batch.delay(chunk)

    if chunks:
        after_commit(enqueue)


def mails_to(recipient: str, kind: str) -> list[Mail]:
    """The outbox rows of one kind to one address, newest first (e.g. an account's invitations)."""
    return list(
        db.session.scalars(
            select(Mail)
            .where(func.lower(Mail.recipient) == recipient.lower(), Mail.kind == kind)
            .order_by(Mail.id.desc())
        )
    )
