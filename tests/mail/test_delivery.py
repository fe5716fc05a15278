"""Delivery through the real Celery worker process to the real SMTP server."""

from __future__ import annotations

import re

import pytest

from app.auth.services import invite_user
from app.extensions import db
from app.mail.services import queue_mail
from app.mail.tasks import send_mail
from tests.mail.conftest import reload_mail, wait_for_status, wait_until

pytestmark = pytest.mark.worker

PDF = b"%PDF-1.4\n% Testdokument\n" + bytes(range(256))
ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
    "UID:sitzung-1@hilden.example\r\nSUMMARY:Planungsrunde\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _queue_test_mail(recipient: str, **kw) -> int:
    """A committed outbox row (enqueued after the commit), rendered from the invitation template."""
    mail = queue_mail(
        recipient,
        kw.pop("subject", "Prüfung des Postausgangs"),
        "mail/konto_einladung",
        recipient_name="Erika Müller",
        kind="test",
        user={"name": "Erika Müller"},
        link="https://plattform.example/x",
        **kw,
    )
    db.session.commit()
    return mail.id


def test_invitation_arrives_and_its_link_works(
    app, ctx, celery_worker, smtp_server, client, make
) -> None:
    user = make.user(name="Ina Einladung", password=None)
    invite_user(user)
    db.session.commit()

    [message] = smtp_server.wait_for(user.email)
    assert message.message["Subject"] == "Einladung zur Plattform Sozialplanung"
    assert "Ina Einladung" in message.message["To"]
    link = re.search(r"https?://\S+/einladung/\S+", message.text())
    assert link, message.text()
    assert link.group(0) in message.html()
    path = link.group(0).split("/einladung/", 1)[1]
    response = client.get(f"/einladung/{path}")
    assert response.status_code == 200
    assert "Passwort" in response.get_data(as_text=True)

    row = wait_for_status(_mail_id_for(user.email), "sent")
    assert (row.attempts, row.transport, row.last_error) == (1, "smtp", None)
    assert row.sent_at is not None and row.lease_until is None
    assert message.message["Message-ID"] == row.message_id


def _mail_id_for(recipient: str) -> int:
    from sqlalchemy import select

    from app.mail.models import Mail

    return db.session.scalars(select(Mail.id).where(Mail.recipient == recipient)).one()


def test_message_has_text_html_attachment_and_calendar(ctx, celery_worker, smtp_server) -> None:
    mail_id = _queue_test_mail(
        "anhang@test.example",
        subject="Einladung zur Sitzung am 3. März – Tagesordnung",
        attachments=[("Tagesordnung März.pdf", "application/pdf", PDF)],
        inline_parts=[("sitzung.ics", "text/calendar; method=REQUEST", ICS.encode())],
    )
    [captured] = smtp_server.wait_for("anhang@test.example")
    msg = captured.message
    row = wait_for_status(mail_id, "sent")

    assert msg["Message-ID"] == row.message_id
    assert msg["Subject"] == "Einladung zur Sitzung am 3. März – Tagesordnung"
    assert msg["To"] == "Erika Müller <anhang@test.example>"
    assert msg["From"].addresses[0].addr_spec == "sozialplanung@hilden.example"
    assert msg["Date"] is not None
    assert msg.get_content_type() == "multipart/mixed"
    [alternative, attachment] = list(msg.iter_parts())
    assert [p.get_content_type() for p in alternative.iter_parts()] == [
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    assert "Erika Müller" in captured.text() and "<a href=" in captured.html()
    calendar = list(alternative.iter_parts())[2]
    assert calendar.get_param("method") == "REQUEST"
    assert "SUMMARY:Planungsrunde" in calendar.get_content()
    assert attachment.get_filename() == "Tagesordnung März.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == PDF


def test_send_task_run_twice_delivers_once(ctx, celery_worker, smtp_server) -> None:
    mail_id = _queue_test_mail("zweimal@test.example")
    smtp_server.wait_for("zweimal@test.example")
    wait_for_status(mail_id, "sent")

    again = [send_mail.delay(mail_id), send_mail.delay(mail_id)]
    for result in again:
        celery_worker.wait_for_log(f"mail.send[{result.id}] succeeded in")
    log = celery_worker.full_log()
    for result in again:
        assert re.search(rf"mail\.send\[{result.id}\] succeeded in \S+: 'skipped'", log)
    assert len(smtp_server.messages_to("zweimal@test.example")) == 1
    assert smtp_server.attempts_to("zweimal@test.example") == 1
    assert reload_mail(mail_id).attempts == 1


def test_concurrent_duplicate_tasks_deliver_once(ctx, celery_worker, smtp_server) -> None:
    """Three messages for one row reach the two pool processes at once."""
    mail_id = _queue_test_mail("gleichzeitig@test.example")
    results = [send_mail.delay(mail_id), send_mail.delay(mail_id)]
    for result in results:
        celery_worker.wait_for_log(f"mail.send[{result.id}] succeeded in")
    smtp_server.wait_for("gleichzeitig@test.example")
    wait_for_status(mail_id, "sent")
    assert len(smtp_server.messages_to("gleichzeitig@test.example")) == 1
    assert reload_mail(mail_id).attempts == 1


def test_temporary_error_is_retried_and_delivered_once(ctx, celery_worker, smtp_server) -> None:
    smtp_server.fail("spaeter@test.example", 451, times=1)
    mail_id = _queue_test_mail("spaeter@test.example")

    smtp_server.wait_for("spaeter@test.example")
    row = wait_for_status(mail_id, "sent")
    assert row.attempts == 2
    assert row.last_error is None
    assert smtp_server.attempts_to("spaeter@test.example") == 2
    assert len(smtp_server.messages_to("spaeter@test.example")) == 1


def test_permanent_error_fails_visibly_and_resend_delivers(
    app, ctx, celery_worker, smtp_server, client, login, make, csrf_token
) -> None:
    address = "unbekannt@test.example"
    smtp_server.fail(address, 550)
    mail_id = _queue_test_mail(address)

    row = wait_for_status(mail_id, "failed")
    assert row.attempts == 1
    assert "550" in row.last_error

    stab = make.stabsstelle()
    login(stab)
    failed_page = client.get("/postausgang/?status=failed").get_data(as_text=True)
    assert address in failed_page and "fehlgeschlagen" in failed_page
    assert f"/postausgang/{mail_id}/erneut-senden" in failed_page
    start = client.get("/start").get_data(as_text=True)
    assert "1 E-Mail konnte nicht zugestellt werden" in start
    assert "/postausgang/?status=failed" in start
    # not retried: still one attempt at the server after the pages above took their time
    assert smtp_server.attempts_to(address) == 1 and reload_mail(mail_id).attempts == 1

    smtp_server.clear(address)
    token = csrf_token(client, "/postausgang/?status=failed")
    response = client.post(f"/postausgang/{mail_id}/erneut-senden", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"] == "/postausgang/?status=failed"

    [delivered] = smtp_server.wait_for(address)
    row = wait_for_status(mail_id, "sent")
    assert row.attempts == 1 and row.last_error is None
    assert delivered.message["Message-ID"] == row.message_id
    assert "konnten nicht zugestellt werden" not in client.get("/start").get_data(as_text=True)


def test_send_slower_than_its_lease_is_cut_off_and_retried(ctx, celery_worker, smtp_server) -> None:
    """A server that never answers must not hold the row past its lease (the sweep would
    hand it to a second worker while the first still talks): the time limit ends the send."""
    address = "langsam@test.example"
    smtp_server.stall(address, 60)
    mail_id = _queue_test_mail(address)

    def cut_off() -> object:
        mail = reload_mail(mail_id)
        return mail if mail.last_error and "Zeitlimit" in mail.last_error else None

    row = wait_until(cut_off, "der Versand wird nach dem Zeitlimit abgebrochen", timeout=20)
    assert row.status.value in ("pending", "sending")  # retried, not failed
    smtp_server.clear(address)
    smtp_server.wait_for(address)
    row = wait_for_status(mail_id, "sent")
    assert row.attempts >= 2
    assert len(smtp_server.messages_to(address)) == 1
