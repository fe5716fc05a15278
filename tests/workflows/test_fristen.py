"""Deadline reminders before and overdue notices after a deadline: once each, idempotent."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.benachrichtigungen.models import Benachrichtigung
from app.core.beat import schedule
from app.extensions import db
from app.mail.models import Mail
from app.workflows import services
from app.workflows.models import Phase, Phasenfrist, StrangStatus, Zyklus
from app.workflows.tasks import check_deadlines

HEUTE = date(2027, 3, 10)


@pytest.fixture
def stab2(make):
    return make.stabsstelle(name="Zweite Stabsstelle")


def _frist(zyklus: Zyklus, phase: Phase, days: int) -> Phasenfrist:
    row = Phasenfrist(zyklus_id=zyklus.id, phase=phase, faellig_am=HEUTE + timedelta(days=days))
    db.session.add(row)
    db.session.commit()
    return row


def _mails(kind: str | None = None) -> list[Mail]:
    query = select(Mail).order_by(Mail.id)
    if kind:
        query = query.where(Mail.kind == kind)
    return list(db.session.scalars(query))


def test_reminder_within_the_configured_days_once(ctx, welt, stab2) -> None:
    row = _frist(welt.zyklus, Phase.PLANUNGSRUNDE, 7)
    assert (
        services.send_deadline_reminders(HEUTE - timedelta(days=1)) == 0
    )  # 8 days before: not yet
    assert services.send_deadline_reminders(HEUTE) == 1
    assert services.send_deadline_reminders(HEUTE) == 0
    assert services.send_deadline_reminders(HEUTE + timedelta(days=3)) == 0
    mails = _mails("zyklus.frist.erinnerung")
    assert sorted(m.recipient for m in mails) == sorted([welt.stab.email, stab2.email])
    assert mails[0].subject == "Frist am 17.03.2027: Phase „Planungsrunde“ – Sozialplanung 2027"
    assert "endet am 17.03.2027 (in 7 Tagen)" in mails[0].body_text
    assert f"/zyklen/{welt.zyklus.id}" in mails[0].body_text
    assert row.erinnerung_gesendet_at is not None and row.ueberfaellig_gemeldet_at is None
    members = {welt.pr_mitglied.id, welt.traeger.id}
    assert not {m.recipient for m in mails} & {welt.pr_mitglied.email, welt.traeger.email}
    notes = db.session.scalars(select(Benachrichtigung.user_id)).all()
    assert sorted(notes) == sorted([welt.stab.id, stab2.id]) and not members & set(notes)


def test_overdue_notice_after_the_deadline_once(ctx, welt) -> None:
    _frist(welt.zyklus, Phase.DATENBASIS, 0)
    assert services.send_deadline_reminders(HEUTE) == 1  # due today: reminder
    assert services.send_deadline_reminders(HEUTE + timedelta(days=1)) == 1  # overdue
    assert services.send_deadline_reminders(HEUTE + timedelta(days=30)) == 0
    overdue = _mails("zyklus.frist.ueberfaellig")
    assert len(overdue) == 1 and overdue[0].subject.startswith(
        "Frist überschritten: Phase „Datenbasis“"
    )
    assert "abgelaufen (überfällig)" in overdue[0].body_text


def test_deadline_set_in_the_past_is_reported_overdue_without_reminder(ctx, welt) -> None:
    _frist(welt.zyklus, Phase.DATENBASIS, -5)
    assert services.send_deadline_reminders(HEUTE) == 1
    assert [m.kind for m in _mails()] == ["zyklus.frist.ueberfaellig"]


def test_days_before_are_a_setting_of_the_cycle(ctx, welt) -> None:
    welt.zyklus.erinnerung_tage = 2
    db.session.commit()
    _frist(welt.zyklus, Phase.DATENBASIS, 3)
    assert services.send_deadline_reminders(HEUTE) == 0
    assert services.send_deadline_reminders(HEUTE + timedelta(days=1)) == 1


def test_passed_phases_and_finished_cycles_are_not_reminded(ctx, welt, make) -> None:
    welt.zyklus.phase = Phase.BETEILIGUNG
    db.session.commit()
    _frist(welt.zyklus, Phase.PLANUNGSRUNDE, -1)
    _frist(welt.zyklus, Phase.DATENBASIS, 2)
    fertig = make.zyklus([welt.pr], phase=Phase.ABGESCHLOSSEN)
    _frist(fertig, Phase.POLITIK, -3)
    assert services.send_deadline_reminders(HEUTE) == 0 and _mails() == []


def test_referral_back_makes_a_phase_deadline_relevant_again(ctx, welt) -> None:
    welt.zyklus.phase = Phase.VERWALTUNGSVORSTAND
    db.session.commit()
    _frist(welt.zyklus, Phase.PLANUNGSRUNDE, -1)
    assert services.send_deadline_reminders(HEUTE) == 0
    services.change_phase(
        welt.zyklus.id, Phase.PLANUNGSRUNDE, user=welt.stab, expected_version=1, begruendung="neu"
    )
    assert services.send_deadline_reminders(HEUTE) == 1


def test_strang_deadlines_until_the_strang_is_concluded(ctx, welt) -> None:
    welt.zyklus.phase = Phase.BETEILIGUNG
    welt.strang_sak1.frist = HEUTE + timedelta(days=1)
    welt.strang_sak2.frist = HEUTE + timedelta(days=1)
    welt.strang_sak2.status = StrangStatus.ABGESCHLOSSEN
    db.session.commit()
    assert services.send_deadline_reminders(HEUTE) == 1
    assert services.send_deadline_reminders(HEUTE + timedelta(days=2)) == 1
    subjects = [m.subject for m in _mails()]
    assert subjects == [
        "Frist am 11.03.2027: Strang „Stadtteilarbeitskreis Nord“ – Sozialplanung 2027",
        "Frist überschritten: Strang „Stadtteilarbeitskreis Nord“ – Sozialplanung 2027",
    ]


def test_changing_a_deadline_reminds_again(ctx, welt) -> None:
    _frist(welt.zyklus, Phase.DATENBASIS, 1)
    assert services.send_deadline_reminders(HEUTE) == 1
    services.set_fristen(
        welt.zyklus.id,
        user=welt.stab,
        phasen={Phase.DATENBASIS: HEUTE + timedelta(days=2)},
        straenge={},
    )
    assert services.send_deadline_reminders(HEUTE) == 1
    services.set_fristen(
        welt.zyklus.id,
        user=welt.stab,
        phasen={Phase.DATENBASIS: HEUTE + timedelta(days=2)},
        straenge={},
    )
    assert services.send_deadline_reminders(HEUTE) == 0


def test_removing_a_deadline_and_refusing_foreign_straenge(ctx, welt, make) -> None:
    _frist(welt.zyklus, Phase.DATENBASIS, 1)
    assert services.set_fristen(
        welt.zyklus.id, user=welt.stab, phasen={Phase.DATENBASIS: None}, straenge={}
    )
    assert db.session.get(Zyklus, welt.zyklus.id).fristen == []
    other = make.zyklus([welt.sak1])
    with pytest.raises(services.InvalidRequest):
        services.set_fristen(
            welt.zyklus.id, user=welt.stab, phasen={}, straenge={other.straenge[0].id: HEUTE}
        )
    with pytest.raises(services.Forbidden):
        services.set_fristen(welt.zyklus.id, user=welt.pr_mitglied, phasen={}, straenge={})


def test_task_runs_twice_and_sends_once(ctx, welt) -> None:
    row = Phasenfrist(
        zyklus_id=welt.zyklus.id, phase=Phase.DATENBASIS, faellig_am=services.berlin_today()
    )
    db.session.add(row)
    db.session.commit()
    assert check_deadlines() == 1
    assert check_deadlines() == 0
    assert len(_mails()) == 1


def test_beat_runs_the_deadline_task(app) -> None:
    entries = schedule(app.config)
    assert entries["zyklus-fristen"]["task"] == "workflows.check_deadlines"
    assert app.extensions["celery"].conf.beat_schedule["zyklus-fristen"]["schedule"] > 0
