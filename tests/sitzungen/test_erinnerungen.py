"""Reminders: due by the database (beat), once per date, again after a move, only open ones."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.core.types import utcnow
from app.extensions import db
from app.mail.models import Mail
from app.sitzungen import services
from app.sitzungen.models import Antwort, ErinnerungAn, Sitzung, SitzungStatus
from app.sitzungen.tasks import send_erinnerungen


def _reminders() -> list[str]:
    return list(
        db.session.scalars(
            select(Mail.recipient).where(Mail.kind == "sitzung.erinnerung").order_by(Mail.id)
        )
    )


def _meeting(make, runde, days: float, **kw):
    sitzung = make.sitzung(
        runde.gremium, status=SitzungStatus.EINGELADEN, beginn=utcnow() + timedelta(days=days), **kw
    )
    offen = make.einladung(sitzung, runde.mitglieder[0])
    zugesagt = make.einladung(sitzung, runde.mitglieder[1], antwort=Antwort.ZUSAGE)
    return sitzung, offen, zugesagt


def test_reminder_goes_once_to_those_without_reply(ctx, make, runde) -> None:
    sitzung, offen, _ = _meeting(make, runde, days=2, erinnerung_tage=3)
    _meeting(make, runde, days=10, erinnerung_tage=3)  # not due yet
    assert services.due_reminder_ids() == [sitzung.id]
    assert send_erinnerungen() == 1
    assert _reminders() == [offen.email]
    mail = db.session.scalar(select(Mail).where(Mail.kind == "sitzung.erinnerung"))
    assert mail.subject.startswith("Erinnerung: ") and "/sitzungen/antwort/" in mail.body_text
    assert mail.attachments == []
    assert send_erinnerungen() == 0  # sent once


def test_reminder_to_all_when_configured(ctx, make, runde) -> None:
    _, offen, zugesagt = _meeting(
        make, runde, days=1, erinnerung_tage=2, erinnerung_an=ErinnerungAn.ALLE
    )
    assert send_erinnerungen() == 2
    assert sorted(_reminders()) == sorted([offen.email, zugesagt.email])
    text = db.session.scalar(select(Mail.body_text).where(Mail.recipient == zugesagt.email))
    assert "Ihre Rückmeldung: Zusage" in text


def test_moved_meeting_is_reminded_again_for_the_new_date(ctx, make, runde) -> None:
    sitzung, offen, _ = _meeting(make, runde, days=2, erinnerung_tage=3)
    assert send_erinnerungen() == 1
    moved = db.session.get(Sitzung, sitzung.id, populate_existing=True)
    moved.beginn += timedelta(days=20)
    moved.ende += timedelta(days=20)
    db.session.commit()
    assert send_erinnerungen() == 0  # the new date is not due yet
    later = utcnow() + timedelta(days=20)
    assert services.send_reminders_for(sitzung.id, now=later) == 1
    assert _reminders() == [offen.email, offen.email]


def test_no_reminder_without_days_or_when_cancelled(ctx, make, runde) -> None:
    _meeting(make, runde, days=1, erinnerung_tage=None)
    _meeting(make, runde, days=1, erinnerung_tage=3)[0].status = SitzungStatus.ABGESAGT
    db.session.commit()
    assert send_erinnerungen() == 0


def test_reminders_are_a_beat_job(app) -> None:
    schedule = app.extensions["celery"].conf.beat_schedule
    assert schedule["sitzungen-erinnerungen"]["task"] == "sitzungen.send_erinnerungen"
    assert schedule["sitzungen-versand-sweep"]["task"] == "sitzungen.sweep_einladungen"
