"""The sent marks of ``mail.send_batch`` as the worker writes them: with real commits, each mark
one autocommitted statement on a connection of its own (``zustellung.sent_marks``), recorded
before the next message of the batch goes on the wire."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from app.extensions import db
from app.mail.models import Mail, MailStatus
from app.mail.services import collect_mail_ids, queue_mail
from app.mail.tasks import send_batch
from tests.mail.conftest import reload_mail

pytestmark = pytest.mark.committed


def _queue(*recipients: str) -> list[int]:
    """Rows only: the test sends them itself (no task goes to the broker)."""
    with collect_mail_ids() as ids:
        for recipient in recipients:
            queue_mail(
                recipient,
                "Markenprobe",
                "mail/konto_einladung",
                user={"name": "Marta Marke"},
                link="https://plattform.example/m",
            )
    db.session.commit()
    return list(ids)


def _status(mail_id: int) -> MailStatus:
    """The committed status, read over a connection of its own."""
    with db.engine.connect() as connection:
        return connection.scalar(select(Mail.status).where(Mail.id == mail_id))


def test_marks_are_committed_rows_with_every_field(ctx, smtp_server) -> None:
    ids = _queue("a@marke.example", "b@marke.example", "c@marke.example")
    assert send_batch(ids) == {"sent": 3, "failed": 0, "later": 0, "skipped": 0}
    for mail_id in ids:
        row = reload_mail(mail_id)
        assert (row.status, row.transport, row.lease_until, row.last_error, row.attempts) == (
            MailStatus.SENT,
            "smtp",
            None,
            None,
            1,
        )
        assert row.sent_at is not None and row.sent_at.tzinfo is not None
    assert send_batch(ids) == {"sent": 0, "failed": 0, "later": 0, "skipped": 3}
    assert smtp_server.count() == 3


def test_failures_between_marks_keep_their_outcome(ctx, smtp_server) -> None:
    smtp_server.fail("weg@marke.example", 550)
    smtp_server.fail("spaeter@marke.example", 451, times=1)
    ids = _queue("gut@marke.example", "weg@marke.example", "spaeter@marke.example")
    assert send_batch(ids) == {"sent": 1, "failed": 1, "later": 1, "skipped": 0}
    assert [_status(i) for i in ids] == [MailStatus.SENT, MailStatus.FAILED, MailStatus.PENDING]


def test_a_delivered_row_is_marked_before_the_next_message_goes_out(app, smtp_server) -> None:
    with app.app_context():
        first, second = _queue("zuerst@marke.example", "danach@marke.example")
    smtp_server.stall("danach@marke.example", 10)
    outcome: dict[str, object] = {}

    def run() -> None:
        with app.app_context():
            outcome["counts"] = send_batch([first, second])

    sender = threading.Thread(target=run)
    sender.start()
    try:
        smtp_server.wait_for_attempt("danach@marke.example")
        # a kill -9 now would re-send only the message in flight
        with app.app_context():
            assert (_status(first), _status(second)) == (MailStatus.SENT, MailStatus.SENDING)
    finally:
        smtp_server.clear("danach@marke.example")
        sender.join(30)
    assert outcome["counts"] == {"sent": 2, "failed": 0, "later": 0, "skipped": 0}


def test_every_mark_tells_the_cached_page_parts(ctx, smtp_server) -> None:
    """The Postausgang counts are cached until the next write: a mark is one."""
    from app.core.datenstand import SCHLUESSEL, _client

    ids = _queue("eins@marke.example", "zwei@marke.example")
    client = _client(lesen=False)
    assert client is not None
    before = int(client.get(SCHLUESSEL) or 0)
    assert send_batch(ids)["sent"] == 2
    assert int(client.get(SCHLUESSEL) or 0) >= before + 1 + 2  # the claim, then each mark
