"""Deadlines: invitations when opened, one reminder to non-submitters, closing, cycle guard."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.beteiligung import services
from app.beteiligung.models import BogenStatus, Rueckmeldebogen
from app.beteiligung.tasks import check_deadlines
from app.core.beat import schedule
from app.core.types import utcnow
from app.extensions import db
from app.mail.models import Mail
from app.workflows.guards import evaluate_strang, evaluate_transition
from app.workflows.machine import find_uebergang
from app.workflows.models import Phase


def _kinds(kind: str) -> list[str]:
    return sorted(db.session.scalars(select(Mail.recipient).where(Mail.kind == kind)))


def test_beat_runs_the_deadline_task(app) -> None:
    entry = schedule(app.config)["rueckmeldungen-fristen"]
    assert entry["task"] == "beteiligung.check_deadlines" and entry["schedule"] == 60


def test_form_closes_itself_at_the_deadline(ctx, make, welt) -> None:
    due = make.rueckmeldebogen(
        organisationen=[welt.awo],
        veroeffentlicht=True,
        oeffnet_am=utcnow() - timedelta(days=5),
        frist=utcnow() - timedelta(seconds=1),
    )
    running = make.rueckmeldebogen(organisationen=[welt.awo], veroeffentlicht=True)
    assert services.close_due() == [due.id]
    db.session.commit()
    assert (
        db.session.get(Rueckmeldebogen, due.id, populate_existing=True).status
        == BogenStatus.GESCHLOSSEN
    )
    assert (
        db.session.get(Rueckmeldebogen, running.id, populate_existing=True).status
        == BogenStatus.VEROEFFENTLICHT
    )
    assert services.close_due() == []


def test_reminder_goes_once_to_organisations_without_submission(
    ctx, make, welt, einreichen
) -> None:
    bogen = make.rueckmeldebogen(
        organisationen=[welt.awo, welt.diakonie],
        veroeffentlicht=True,
        frist=utcnow() + timedelta(days=2),
        erinnerung_tage=3,
    )
    later = make.rueckmeldebogen(
        organisationen=[welt.awo],
        veroeffentlicht=True,
        frist=utcnow() + timedelta(days=10),
        erinnerung_tage=3,
    )
    einreichen(bogen, welt.david)
    assert services.remind_non_submitters() == 2  # Anna and Arne of the AWO
    assert services.remind_non_submitters() == 0
    db.session.commit()
    assert _kinds("rueckmeldung.erinnerung") == sorted([welt.anna.email, welt.arne.email])
    assert make.rueckmeldung(later, welt.awo).erinnert_at is None


def test_invitations_wait_until_the_form_opens(ctx, make, welt) -> None:
    bogen = make.rueckmeldebogen(
        organisationen=[welt.diakonie],
        oeffnet_am=utcnow() + timedelta(hours=2),
        frist=utcnow() + timedelta(days=9),
    )
    services.publish_bogen(db.session.get(Rueckmeldebogen, bogen.id))
    db.session.commit()
    assert _kinds("rueckmeldung.einladung") == []
    assert services.invite_due(now=utcnow() + timedelta(hours=3)) == 1
    assert services.invite_due(now=utcnow() + timedelta(hours=3)) == 0
    db.session.commit()
    assert _kinds("rueckmeldung.einladung") == [welt.david.email]


def _linked(make, welt, **kw):
    zyklus = make.zyklus([welt.pr, welt.tr], titel="Sozialplanung Test", phase=Phase.BETEILIGUNG)
    strang = next(s for s in zyklus.straenge if s.gremium_id == welt.tr.id)
    bogen = make.rueckmeldebogen(
        organisationen=[welt.awo, welt.diakonie], zyklus_id=zyklus.id, strang_id=strang.id, **kw
    )
    return zyklus, strang, bogen


def _guard(pruefungen: list) -> tuple[bool, str]:
    [result] = [p for p in pruefungen if p.guard.name == "rueckmeldefrist_abgelaufen"]
    return result.ok, result.erklaerung


def test_guard_fails_while_the_feedback_period_runs(ctx, make, welt, einreichen) -> None:
    zyklus, strang, bogen = _linked(make, welt, veroeffentlicht=True, titel="Rückmeldung 2027")
    ok, text = _guard(evaluate_strang(strang))
    assert not ok
    assert "„Rückmeldung 2027“ läuft bis" in text and "0 von 2 Organisationen" in text
    ok, _ = _guard(
        evaluate_transition(zyklus, find_uebergang(Phase.BETEILIGUNG, Phase.VERWALTUNGSVORSTAND))
    )
    assert not ok
    einreichen(bogen, welt.anna)
    einreichen(bogen, welt.david)
    assert _guard(evaluate_strang(strang)) == (True, "")


def test_guard_is_met_once_the_deadline_passed(ctx, make, welt) -> None:
    _zyklus, strang, _bogen = _linked(
        make,
        welt,
        veroeffentlicht=True,
        oeffnet_am=utcnow() - timedelta(days=9),
        frist=utcnow() - timedelta(minutes=5),
    )
    services.close_due()
    assert _guard(evaluate_strang(strang)) == (True, "")


def test_guard_names_an_unpublished_form(ctx, make, welt) -> None:
    _zyklus, strang, _bogen = _linked(make, welt, titel="Entwurfsbogen")
    ok, text = _guard(evaluate_strang(strang))
    assert not ok and "„Entwurfsbogen“ ist noch nicht veröffentlicht" in text


def test_builder_links_form_to_a_track(client, csrf_token, login, make, welt) -> None:
    zyklus = make.zyklus([welt.pr, welt.tr], titel="Sozialplanung 2031", phase=Phase.BETEILIGUNG)
    strang = next(s for s in zyklus.straenge if s.gremium_id == welt.tr.id)
    login(welt.stab)
    form = client.get("/beteiligung/neu").get_data(as_text=True)
    assert (
        f'value="s{strang.id}"' in form and "Sozialplanung 2031 – Strang Trägerrunde Test" in form
    )
    response = client.post(
        "/beteiligung/neu",
        data={
            "csrf_token": csrf_token(client, "/beteiligung/neu"),
            "titel": "Mit Strang",
            "zuordnung": f"s{strang.id}",
            "oeffnet_am": "2030-01-01T10:00",
            "frist": "2030-02-01T10:00",
            "erinnerung_tage": "3",
        },
    )
    assert response.status_code == 303
    bogen = db.session.scalars(
        select(Rueckmeldebogen).where(Rueckmeldebogen.titel == "Mit Strang")
    ).one()
    assert (bogen.zyklus_id, bogen.strang_id, bogen.gremium_id) == (
        zyklus.id,
        strang.id,
        welt.tr.id,
    )
    edit = client.get(f"/beteiligung/{bogen.id}/bearbeiten").get_data(as_text=True)
    assert (
        f'<option selected value="s{strang.id}">' in edit
        or f'value="s{strang.id}" selected' in edit
    )


# ------------------------------------------------------------------ through the real worker


def _task_runs(worker) -> int:
    return worker.logfile.read_text(errors="replace").count("beteiligung.check_deadlines[")


@pytest.mark.worker
def test_reminders_reach_only_non_submitters_once_through_worker(
    ctx, celery_worker, smtp_server, make, welt, einreichen
) -> None:
    drk = make.organisation("DRK Test")
    dora = make.traeger_user(name="Dora Drk", organisation=drk)
    bogen = make.rueckmeldebogen(
        "Erinnerungstest",
        organisationen=[welt.awo, welt.diakonie, drk],
        veroeffentlicht=True,
        frist=utcnow() + timedelta(days=1),
        erinnerung_tage=2,
    )
    einreichen(bogen, welt.david)
    smtp_server.wait_for(welt.david.email)  # the receipt
    before = _task_runs(celery_worker)
    check_deadlines.delay()
    check_deadlines.delay()
    for person in (welt.anna, welt.arne, dora):
        [mail] = smtp_server.wait_for(person.email)
        assert mail.message["Subject"] == "Erinnerung: Rückmeldung zu Erinnerungstest"
        assert f"/beteiligung/{bogen.id}/ausfuellen" in mail.text()
    deadline = time.monotonic() + 30
    while (
        _task_runs(celery_worker) < before + 4 and time.monotonic() < deadline
    ):  # received + succeeded, twice
        time.sleep(0.2)
    time.sleep(1)
    for person in (welt.anna, welt.arne, dora):
        assert len(smtp_server.messages_to(person.email)) == 1
    assert [m.message["Subject"] for m in smtp_server.messages_to(welt.david.email)] == [
        "Eingangsbestätigung: Erinnerungstest"
    ]


@pytest.mark.worker
def test_receipt_arrives_with_the_answers(
    ctx, celery_worker, smtp_server, make, welt, bogen, einreichen
) -> None:
    einreichen(bogen, welt.anna, 2)
    [mail] = smtp_server.wait_for(welt.anna.email)
    assert mail.message["Subject"] == "Eingangsbestätigung: Rückmeldung Sozialreport"
    text = mail.text()
    assert "Person 2" in text and "Langer Text 2" in text and "Senioren" in text
    assert "Stadtbereich Süd: gering" in text and "Ja" in text
    assert "Person 2" in mail.html()
