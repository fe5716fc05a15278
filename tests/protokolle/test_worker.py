"""Notifications through the real worker and SMTP server: approval, status, answer, reminder."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.impulse import services as impuls_services
from app.impulse.models import Impuls, ImpulsStatus
from app.protokolle import services, tasks
from app.protokolle.models import Protokoll
from tests.protokolle.conftest import PDF, datei

pytestmark = pytest.mark.worker


def test_approval_and_impulse_news_reach_the_members_by_mail(
    app, ctx, client, login, celery_worker, smtp_server, welt, csrf_token
) -> None:
    services.upload_revision(welt.sitzung, datei(PDF), welt.moderator)
    impuls = services.add_impuls(
        welt.sitzung, {"titel": "Jugendtreff", "adressiert_an": "planungsrunde"}, welt.moderator
    )
    db.session.commit()
    login(welt.stab)
    url = f"/protokolle/sitzung/{welt.sitzung.id}"
    assert (
        client.post(f"{url}/freigeben", data={"csrf_token": csrf_token(client, url)}).status_code
        == 303
    )
    for person in (welt.moderator, welt.vorsitz, welt.mitglied):
        [mail] = smtp_server.wait_for(person.email)
        assert mail.message["Subject"].startswith("Das Protokoll der Sitzung „SAK Nord März“")
        assert f"{app.config['BASE_URL']}{url}" in mail.text()
    assert smtp_server.messages_to(welt.sued_moderator.email) == []

    impuls_url = f"/impulse/{impuls.id}"
    token = csrf_token(client, impuls_url)
    client.post(f"{impuls_url}/status", data={"csrf_token": token, "nach": "in_pruefung"})
    client.post(f"{impuls_url}/antwort", data={"csrf_token": token, "antwort": "Wir prüfen."})
    client.post(f"{impuls_url}/veroeffentlichen", data={"csrf_token": token})
    mails = smtp_server.wait_for(welt.mitglied.email, count=3)  # approval, status, answer
    subjects = [m.message["Subject"] for m in mails]
    assert any("neuer Status „in Prüfung“" in s for s in subjects)
    assert any("Antwort wurde veröffentlicht" in s for s in subjects)
    assert any("Wir prüfen." in m.text() for m in mails)
    assert (
        db.session.get(Impuls, impuls.id, populate_existing=True).status == ImpulsStatus.IN_PRUEFUNG
    )


def test_reminder_mail_is_sent_once(
    app, ctx, celery_worker, smtp_server, welt, make, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "PROTOKOLL_ERINNERUNG_TAGE", 5)
    make.vergangene_sitzung(welt.nord, tage=8, titel="Vergessene Sitzung")
    assert tasks.send_erinnerungen() == 1
    assert tasks.send_erinnerungen() == 0
    [mail] = smtp_server.wait_for(welt.moderator.email)
    assert "Vergessene Sitzung" in mail.message["Subject"]
    assert db.session.scalar(select(Protokoll)) is None
    assert impuls_services.gremium_members([welt.nord.id])
