"""Notification and reminder mails through the real worker and SMTP server."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from app.benachrichtigungen.models import Benachrichtigung
from app.extensions import db
from app.mail.models import Mail, MailStatus
from app.workflows import services
from app.workflows.models import Phase, Phasenfrist
from app.workflows.tasks import check_deadlines

pytestmark = pytest.mark.worker


def _wait(check, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"Zeitüberschreitung: {what}")


def test_phase_change_mails_reach_the_members(
    app, ctx, celery_worker, smtp_server, login, welt
) -> None:
    client = login(welt.stab, on_client=app.test_client())
    url = f"/zyklen/{welt.zyklus.id}/phase"
    token = re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"',
        client.get(f"{url}?nach=planungsrunde").get_data(as_text=True),
    ).group(1)
    response = client.post(url, data={"csrf_token": token, "nach": "planungsrunde", "version": 1})
    assert response.status_code == 303
    [captured] = smtp_server.wait_for(welt.pr_mitglied.email)
    assert (
        captured.message["Subject"] == "Sozialplanung 2027: Die Phase „Planungsrunde“ hat begonnen."
    )
    assert "Guten Tag Paula Planung" in captured.text() and "Planungsrunde Test" in captured.text()
    link = f"{app.config['BASE_URL']}/zyklen/{welt.zyklus.id}"
    assert link in captured.text() and f'href="{link}"' in captured.html()
    assert (
        smtp_server.messages_to(welt.traeger.email) == []
        and smtp_server.messages_to(welt.stab.email) == []
    )
    db.session.expire_all()
    mail = db.session.scalar(select(Mail).where(Mail.recipient == welt.pr_mitglied.email))
    _wait(
        lambda: db.session.get(Mail, mail.id, populate_existing=True).status == MailStatus.SENT,
        "versendet",
    )
    member = login(welt.pr_mitglied, on_client=app.test_client())
    start = member.get("/start").get_data(as_text=True)
    assert "1 ungelesen" in start and "1 ungelesene Benachrichtigung" in start
    assert (
        db.session.scalar(
            select(Benachrichtigung.text).where(Benachrichtigung.user_id == welt.pr_mitglied.id)
        )
        == "Sozialplanung 2027: Die Phase „Planungsrunde“ hat begonnen."
    )


def test_deadline_task_in_the_worker_mails_the_stabsstelle_once(
    app, ctx, celery_worker, smtp_server, welt
) -> None:
    db.session.add(
        Phasenfrist(
            zyklus_id=welt.zyklus.id, phase=Phase.DATENBASIS, faellig_am=services.berlin_today()
        )
    )
    db.session.commit()
    done = "Fristen geprüft: "
    before = celery_worker.full_log().count(done)
    check_deadlines.delay()
    check_deadlines.delay()
    [captured] = smtp_server.wait_for(welt.stab.email)
    assert (
        captured.message["Subject"].startswith("Frist am ")
        and "Phase „Datenbasis“" in captured.message["Subject"]
    )
    assert "nur einmal versandt" in captured.text()
    log = celery_worker.wait_for_log(done, before + 2)
    runs = re.findall(r"Fristen geprüft: (\d+)", log)[before:]
    assert sorted(runs) == ["0", "1"]
    mails = db.session.scalars(
        select(Mail)
        .where(Mail.kind == "zyklus.frist.erinnerung")
        .execution_options(populate_existing=True)
    ).all()
    assert [m.recipient for m in mails] == [welt.stab.email]
    _wait(
        lambda: db.session.get(Mail, mails[0].id, populate_existing=True).status == MailStatus.SENT,
        "versendet",
    )
    assert len(smtp_server.messages_to(welt.stab.email)) == 1
