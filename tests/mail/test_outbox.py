"""The outbox row, the MIME message, claiming, backoff and the sweep (in-process, no worker)."""

from __future__ import annotations

from datetime import timedelta
from email import policy
from email.parser import BytesParser

import pytest
from celery.signals import before_task_publish
from sqlalchemy import func, select, text

from app.auth.models import User
from app.auth.services import invite_user
from app.core.types import utcnow
from app.extensions import db
from app.mail import services
from app.mail.models import Mail, MailStatus
from app.mail.tasks import send_mail
from tests.support.services import free_port

PDF = b"%PDF-1.4 test"
ICS = b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"


def _mail(**kw) -> Mail:
    mail = services.queue_mail(
        kw.pop("recipient", "empfang@test.example"),
        kw.pop("subject", "Betreff"),
        "mail/konto_einladung",
        recipient_name=kw.pop("recipient_name", "Erika Müller"),
        user={"name": "Erika Müller"},
        link="https://plattform.example/einladung/abc",
        **kw,
    )
    db.session.commit()
    return mail


def _parse(mail: Mail):
    raw = services.build_message(mail).as_bytes()
    return BytesParser(policy=policy.default).parsebytes(raw)


def test_queue_mail_writes_a_pending_row(ctx) -> None:
    mail = _mail(attachments=[("a.pdf", "application/pdf", PDF)])
    row = db.session.get(Mail, mail.id, populate_existing=True)
    assert (row.status, row.attempts, row.last_error) == (MailStatus.PENDING, 0, None)
    assert row.sent_at is None
    assert row.recipient == "empfang@test.example" and row.recipient_name == "Erika Müller"
    assert "https://plattform.example/einladung/abc" in row.body_text
    assert 'href="https://plattform.example/einladung/abc"' in row.body_html
    assert row.message_id.startswith("<") and row.message_id.endswith("@hilden.example>")
    assert [(a.filename, a.content_type, a.data, a.inline) for a in row.attachments] == [
        ("a.pdf", "application/pdf", PDF, False)
    ]


def test_header_text_is_kept_on_one_line_and_within_the_column(ctx) -> None:
    mail = _mail(subject="Zeile eins\r\nBcc: opfer@test.example", recipient_name="A\nB" + "x" * 300)
    assert mail.subject == "Zeile eins Bcc: opfer@test.example"
    assert len(mail.recipient_name) == 200 and "\n" not in mail.recipient_name
    msg = _parse(mail)
    assert msg["Bcc"] is None and msg["Subject"] == "Zeile eins Bcc: opfer@test.example"


@pytest.mark.parametrize("with_html", [True, False])
def test_inline_calendar_and_attachment_in_any_order(ctx, with_html: bool) -> None:
    mail = _mail(
        attachments=[("a.pdf", "application/pdf", PDF)],
        inline_parts=[("s.ics", "text/calendar; method=REQUEST", ICS)],
    )
    if not with_html:
        mail.body_html = None
    msg = _parse(mail)
    assert msg.get_content_type() == "multipart/mixed"
    alternative, attachment = msg.iter_parts()
    expected = ["text/plain", "text/html", "text/calendar"]
    if not with_html:
        expected.remove("text/html")
    assert [p.get_content_type() for p in alternative.iter_parts()] == expected
    assert attachment.get_content() == PDF
    assert msg["Message-ID"] == mail.message_id


def test_plain_mail_is_text_with_html_alternative(ctx) -> None:
    msg = _parse(_mail())
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]


def test_backoff_grows_is_capped_and_gives_up(app, ctx) -> None:
    mail = _mail()
    cfg = app.config
    delays = []
    for attempt in range(1, cfg["MAIL_MAX_ATTEMPTS"] + 1):
        mail.attempts = attempt
        delays.append(services.schedule_retry(mail, "SMTP 451: später"))
    base, cap = cfg["MAIL_RETRY_BASE_SECONDS"], cfg["MAIL_RETRY_MAX_SECONDS"]
    expected = [min(base * 2**i, cap) for i in range(cfg["MAIL_MAX_ATTEMPTS"] - 1)]
    assert delays == [*expected, None]
    assert delays[1] > delays[0]
    assert mail.status == MailStatus.FAILED
    assert "aufgegeben" in mail.last_error


def test_claim_takes_a_row_once(app, ctx) -> None:
    mail = _mail()
    claimed = services.claim_mail(mail.id)
    assert claimed is not None and (claimed.status, claimed.attempts) == (MailStatus.SENDING, 1)
    assert claimed.lease_until > utcnow()
    db.session.commit()
    assert services.claim_mail(mail.id) is None  # live lease
    claimed.lease_until = utcnow() - timedelta(seconds=1)
    assert services.claim_mail(mail.id) is not None  # the lease of a dead worker expired
    services.mark_sent(mail, "smtp")
    assert services.claim_mail(mail.id) is None
    mail.status = MailStatus.FAILED
    assert services.claim_mail(mail.id) is None
    assert services.claim_mail(mail.id + 10_000) is None


def test_claim_leaves_a_scheduled_retry_alone_and_gives_up_after_dead_workers(app, ctx) -> None:
    mail = _mail()
    mail.next_attempt_at = utcnow() + timedelta(seconds=60)
    assert services.claim_mail(mail.id) is None
    mail.next_attempt_at = utcnow()
    mail.status = MailStatus.SENDING
    mail.lease_until = utcnow() - timedelta(seconds=1)
    mail.attempts = app.config["MAIL_MAX_ATTEMPTS"]
    assert services.claim_mail(mail.id) is None
    assert mail.status == MailStatus.FAILED and "aufgegeben" in mail.last_error


def test_sweep_finds_lost_and_stale_rows_only(app, ctx) -> None:
    old = utcnow() - timedelta(minutes=5)
    lost, fresh, later, stale, leased, sent, failed = (_mail() for _ in range(7))
    lost.created_at = later.created_at = stale.created_at = old
    leased.created_at = sent.created_at = failed.created_at = old
    later.next_attempt_at = utcnow() + timedelta(minutes=5)
    stale.status, stale.lease_until = MailStatus.SENDING, utcnow() - timedelta(seconds=1)
    leased.status, leased.lease_until = MailStatus.SENDING, utcnow() + timedelta(minutes=1)
    sent.status, failed.status = MailStatus.SENT, MailStatus.FAILED
    db.session.commit()

    ids = set(services.due_mail_ids())
    assert {lost.id, stale.id} <= ids
    assert not ids & {fresh.id, later.id, leased.id, sent.id, failed.id}
    assert db.session.get(Mail, stale.id, populate_existing=True).status == MailStatus.PENDING


def test_connection_refused_is_temporary_and_backs_off(app, ctx) -> None:
    """A real refused connection (nothing listens on the port), run in-process."""
    mail = _mail()
    port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = free_port()
    try:
        result = send_mail.apply(args=(mail.id,))
    finally:
        app.config["SMTP_PORT"] = port
    # the eager retry comes at once and finds the retry not yet due
    assert result.get() == "skipped"
    row = db.session.get(Mail, mail.id, populate_existing=True)
    assert (row.status, row.attempts) == (MailStatus.PENDING, 1)
    assert "Verbindung zum Mailserver fehlgeschlagen" in row.last_error
    assert row.next_attempt_at > utcnow()


def test_no_countdown_beyond_the_visibility_timeout(app, ctx) -> None:
    """A long backoff is left to the sweep instead of a countdown the broker may redeliver."""
    mail = _mail()
    keys = ("SMTP_PORT", "MAIL_RETRY_BASE_SECONDS", "MAIL_RETRY_MAX_SECONDS")
    saved = {key: app.config[key] for key in keys}
    long_wait = app.config["CELERY_VISIBILITY_TIMEOUT"]
    app.config.update(
        SMTP_PORT=free_port(), MAIL_RETRY_BASE_SECONDS=long_wait, MAIL_RETRY_MAX_SECONDS=long_wait
    )
    try:
        assert send_mail.apply(args=(mail.id,)).get() == "later"
    finally:
        app.config.update(saved)
    row = db.session.get(Mail, mail.id, populate_existing=True)
    assert (row.status, row.attempts) == (MailStatus.PENDING, 1)
    assert row.next_attempt_at > utcnow()


def test_permanent_rejection_is_not_retried(ctx, smtp_server) -> None:
    smtp_server.fail("weg@test.example", 550)
    mail = _mail(recipient="weg@test.example")
    assert send_mail.apply(args=(mail.id,)).get() == "failed"
    row = db.session.get(Mail, mail.id, populate_existing=True)
    assert (row.status, row.attempts) == (MailStatus.FAILED, 1)
    assert row.last_error.startswith("SMTP 550")
    assert smtp_server.attempts_to("weg@test.example") == 1


def test_apply_twice_sends_once(ctx, smtp_server) -> None:
    mail = _mail(recipient="einmal@test.example")
    assert send_mail.apply(args=(mail.id,)).get() == "sent"
    assert send_mail.apply(args=(mail.id,)).get() == "skipped"
    assert len(smtp_server.messages_to("einmal@test.example")) == 1
    row = db.session.get(Mail, mail.id, populate_existing=True)
    assert (row.status, row.attempts, row.transport) == (MailStatus.SENT, 1, "smtp")


def test_broken_row_fails_at_once_instead_of_looping(ctx) -> None:
    mail = _mail()
    mail.message_id = "kein gültiger\nHeader"
    db.session.commit()
    assert send_mail.apply(args=(mail.id,)).get() == "failed"
    row = db.session.get(Mail, mail.id, populate_existing=True)
    assert row.status == MailStatus.FAILED and "nicht erstellt" in row.last_error


# --------------------------------------------------------------------------- same transaction


@pytest.fixture
def published(app):
    """Every mail.send message really published to the broker, with whether its row was
    visible to another connection at that moment (i.e. committed)."""
    seen: list[tuple[int, bool]] = []

    def record(sender=None, body=None, headers=None, **_):
        if sender != "mail.send":
            return
        mail_id = body[0][0]
        with app.app_context(), db.engine.connect() as other:
            query = text("SELECT count(*) FROM mail WHERE id = :id")
            visible = other.execute(query, {"id": mail_id})
            seen.append((mail_id, visible.scalar() == 1))

    before_task_publish.connect(record, weak=False)
    yield seen
    before_task_publish.disconnect(record)


@pytest.mark.committed
def test_rollback_leaves_neither_the_change_nor_the_mail_nor_a_message(ctx, published) -> None:
    user = User(email="zurueck@test.example", name="Rolf Rollback")
    db.session.add(user)
    db.session.flush()
    invite_user(user)
    assert db.session.scalar(select(func.count()).select_from(Mail)) == 1
    db.session.rollback()

    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert db.session.scalar(select(func.count()).select_from(Mail)) == 0
    db.session.commit()  # a later commit must not send the rolled-back mail either
    assert published == []


@pytest.mark.committed
def test_commit_enqueues_only_after_the_row_is_committed(ctx, published) -> None:
    user = User(email="vor@test.example", name="Vera Vorher")
    db.session.add(user)
    db.session.flush()
    invite_user(user)
    assert published == []  # nothing before the commit
    db.session.commit()
    mail_id = db.session.scalars(select(Mail.id).where(Mail.recipient == "vor@test.example")).one()
    assert published == [(mail_id, True)]
