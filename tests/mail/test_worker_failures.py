"""Lost workers and a lost queue: the outbox still delivers every mail exactly once.

These tests stop the shared worker and run their own, so they know which process holds
which message.
"""

from __future__ import annotations

import pytest

from app.extensions import db
from app.mail.models import MailStatus
from app.mail.services import queue_mail
from tests.mail.conftest import queued_sends, reload_mail, unacked_sends, wait_for_status, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("no_session_worker")]


def _queue(recipient: str) -> int:
    mail = queue_mail(
        recipient, "Ausfallprobe", "mail/konto_einladung",
        user={"name": "Otto Ausfall"}, link="https://plattform.example/y",
    )
    db.session.commit()
    return mail.id


def test_kill_9_during_send_delivers_exactly_once_after_restart(
    ctx, smtp_server, worker_factory, broker  # noqa: ANN001
) -> None:
    address = "abbruch@test.example"
    first = worker_factory()
    smtp_server.stall(address, 60)
    mail_id = _queue(address)

    smtp_server.wait_for_attempt(address)  # the worker waits for the answer to RCPT TO
    row = reload_mail(mail_id)
    assert (row.status, row.attempts) == (MailStatus.SENDING, 1)
    first.kill9()
    assert unacked_sends(broker, mail_id) == 1  # the killed worker never acknowledged it
    smtp_server.clear(address)
    assert smtp_server.messages_to(address) == []

    worker_factory()
    [message] = smtp_server.wait_for(address)
    row = wait_for_status(mail_id, "sent")
    assert row.attempts == 2
    assert message.message["Message-ID"] == row.message_id
    # The killed worker's message comes back once the visibility timeout passed; it must
    # be a no-op. Wait until the broker holds nothing for this mail any more.
    wait_until(
        lambda: unacked_sends(broker, mail_id) == 0 and queued_sends(broker, mail_id) == 0,
        "die zurückgegebene Nachricht des getöteten Workers wurde verarbeitet",
    )
    assert len(smtp_server.messages_to(address)) == 1
    assert reload_mail(mail_id).attempts == 2


def test_mail_left_pending_after_redis_flush_is_sent_by_the_sweep(
    ctx, smtp_server, worker_factory, broker  # noqa: ANN001
) -> None:
    address = "verloren@test.example"
    mail_id = _queue(address)  # committed and enqueued, but no worker runs
    assert queued_sends(broker, mail_id) == 1
    broker.flushdb()  # Redis lost its data
    assert queued_sends(broker, mail_id) == 0

    worker = worker_factory()
    [message] = smtp_server.wait_for(address)
    row = wait_for_status(mail_id, "sent")
    assert row.attempts == 1
    assert message.message["Message-ID"] == row.message_id
    worker.wait_for_log("Postausgang: 1 E-Mail(s) erneut eingereiht")
