"""``mail.send_batch`` (added for the invitation fan-out): many rows over one connection,
each row still claimed, recorded and skipped on its own."""

from __future__ import annotations

from datetime import timedelta

from app.core.types import utcnow
from app.extensions import db
from app.mail.models import Mail, MailStatus
from app.mail.services import collect_mail_ids, queue_mail
from app.mail.tasks import send_batch


def _queue(*recipients: str) -> list[int]:
    with collect_mail_ids() as ids:
        for recipient in recipients:
            queue_mail(
                recipient,
                "Stapelprobe",
                "mail/konto_einladung",
                user={"name": "Berta Stapel"},
                link="https://plattform.example/x",
            )
    db.session.commit()
    return list(ids)


def _row(mail_id: int) -> Mail:
    return db.session.get(Mail, mail_id, populate_existing=True)


def test_batch_sends_each_row_once_and_records_it(ctx, smtp_server) -> None:
    ids = _queue("a@stapel.example", "b@stapel.example", "c@stapel.example")
    assert len(ids) == 3
    assert send_batch(ids) == {"sent": 3, "failed": 0, "later": 0, "skipped": 0}
    assert [_row(i).status for i in ids] == [MailStatus.SENT] * 3
    assert [_row(i).transport for i in ids] == ["smtp"] * 3
    assert send_batch(ids) == {"sent": 0, "failed": 0, "later": 0, "skipped": 3}
    assert smtp_server.count() == 3


def test_refused_and_delayed_rows_do_not_stop_the_batch(ctx, smtp_server) -> None:
    smtp_server.fail("weg@stapel.example", 550)
    smtp_server.fail("spaeter@stapel.example", 451, times=1)
    ids = _queue("weg@stapel.example", "spaeter@stapel.example", "gut@stapel.example")
    assert send_batch(ids) == {"sent": 1, "failed": 1, "later": 1, "skipped": 0}
    weg, spaeter, gut = (_row(i) for i in ids)
    assert (weg.status, spaeter.status, gut.status) == (
        MailStatus.FAILED,
        MailStatus.PENDING,
        MailStatus.SENT,
    )
    assert "550" in weg.last_error and spaeter.next_attempt_at > utcnow()
    assert [m.to for m in smtp_server.handler.messages] == ["gut@stapel.example"]


def test_row_leased_by_another_worker_is_skipped(ctx, smtp_server) -> None:
    held, free = _queue("gehalten@stapel.example", "frei@stapel.example")
    row = _row(held)
    row.status, row.attempts, row.lease_until = (
        MailStatus.SENDING,
        1,
        utcnow() + timedelta(minutes=5),
    )
    db.session.commit()
    assert send_batch([held, free]) == {"sent": 1, "failed": 0, "later": 0, "skipped": 1}
    assert smtp_server.messages_to("gehalten@stapel.example") == []
    assert _row(held).status == MailStatus.SENDING


def test_collected_mails_are_not_enqueued_one_by_one(ctx) -> None:
    from app.core.after_commit import _KEY

    with collect_mail_ids() as ids:
        queue_mail(
            "x@stapel.example",
            "Probe",
            "mail/konto_einladung",
            user={"name": "X"},
            link="https://plattform.example/x",
        )
    assert len(ids) == 1
    assert db.session().info.get(_KEY, []) == []
    queue_mail(
        "y@stapel.example",
        "Probe",
        "mail/konto_einladung",
        user={"name": "Y"},
        link="https://plattform.example/y",
    )
    assert len(db.session().info.get(_KEY, [])) == 1
    db.session.rollback()
