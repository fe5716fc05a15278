"""Lost workers and a lost queue: the outbox still delivers every mail exactly once.

These tests kill the shared worker (the only consumer of the test queue) and start it
again as a new process, so they know which process held which message.
"""

from __future__ import annotations

import pytest

from app.extensions import db
from app.mail.models import MailStatus
from app.mail.services import queue_mail
from tests.mail.conftest import (
    queued_sends,
    reload_mail,
    unacked_sends,
    wait_for_status,
    wait_until,
)

pytestmark = pytest.mark.worker


def _queue(recipient: str) -> int:
    mail = queue_mail(
        recipient,
        "Ausfallprobe",
        "mail/konto_einladung",
        user={"name": "Otto Ausfall"},
        link="https://plattform.example/y",
    )
    db.session.commit()
    return mail.id


def test_kill_9_during_send_delivers_exactly_once_after_restart(
    ctx, smtp_server, killable_worker, broker
) -> None:
    address = "abbruch@test.example"
    smtp_server.stall(address, 60)
    mail_id = _queue(address)

    smtp_server.wait_for_attempt(address)  # the worker waits for the answer to RCPT TO
    killable_worker.kill9()
    row = reload_mail(mail_id)
    assert (row.status, row.attempts) == (MailStatus.SENDING, 1)  # died mid-send
    assert unacked_sends(broker, mail_id) == 1  # and never acknowledged the message
    smtp_server.clear(address)
    assert smtp_server.messages_to(address) == []

    killable_worker.start()  # a new worker process
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
    assert smtp_server.attempts_to(address) == 2
    assert reload_mail(mail_id).attempts == 2


def test_mail_left_pending_after_redis_flush_is_sent_by_the_sweep(
    ctx, smtp_server, killable_worker, broker
) -> None:
    address = "verloren@test.example"
    killable_worker.kill9()  # no worker takes the message before Redis loses it
    mail_id = _queue(address)
    assert queued_sends(broker, mail_id) == 1
    broker.flushdb()  # Redis lost its data
    assert queued_sends(broker, mail_id) == 0

    killable_worker.start()
    [message] = smtp_server.wait_for(address)
    row = wait_for_status(mail_id, "sent")
    assert row.attempts == 1
    assert message.message["Message-ID"] == row.message_id
    killable_worker.wait_for_log("Postausgang: 1 E-Mail(s) erneut eingereiht")
