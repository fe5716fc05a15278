"""Results, impulses from the minutes, approval with notifications, reminders."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.benachrichtigungen.models import Benachrichtigung
from app.core.types import utcnow
from app.extensions import db
from app.impulse.models import Impuls, ImpulsAdressat, ImpulsQuelle
from app.mail.models import Mail
from app.protokolle import services, tasks
from app.protokolle.hooks import protokoll_id_of
from app.protokolle.models import Protokoll, ProtokollErinnerung, ProtokollStatus
from tests.protokolle.conftest import PDF, datei


def _page(welt) -> str:
    return f"/protokolle/sitzung/{welt.sitzung.id}"


def _post(client, csrf_token, url: str, action: str, data: dict):
    data = {"csrf_token": csrf_token(client, url), **data}
    return client.post(f"{url}/{action}", data=data)


def test_results_are_markdown_sanitised(client, login, welt, csrf_token) -> None:
    login(welt.moderator)
    response = _post(
        client,
        csrf_token,
        _page(welt),
        "ergebnisse",
        {
            "teilnehmende_anzahl": "17",
            "teilnehmende_organisationen": "Stellwerk\nAWO",
            "ergebnisse": "- **Treff** fehlt\n<script>alert(1)</script>\n[x](javascript:alert(1))",
            "vereinbarungen": "Nächstes Treffen im Mai",
        },
    )
    assert response.status_code == 303
    body = client.get(_page(welt)).get_data(as_text=True)
    assert "<strong>Treff</strong>" in body and "<script>alert(1)" not in body
    assert 'href="javascript' not in body and "Nächstes Treffen im Mai" in body
    assert ">17<" in body


def test_bad_results_keep_the_input(client, login, welt, csrf_token) -> None:
    login(welt.moderator)
    response = _post(
        client,
        csrf_token,
        _page(welt),
        "ergebnisse",
        {"teilnehmende_anzahl": "viele", "ergebnisse": "Mein Text"},
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Mein Text" in body and "Zahl" in body
    assert db.session.scalar(select(func.count()).select_from(Protokoll)) == 0


def test_impulses_from_the_minutes(client, login, welt, csrf_token) -> None:
    login(welt.moderator)
    for titel, adressat in (("Jugendtreff", "planungsrunde"), ("Busanbindung", "politik")):
        response = _post(
            client,
            csrf_token,
            _page(welt),
            "impulse",
            {
                "titel": titel,
                "beschreibung": "aus der Sitzung",
                "thema": "Jugend",
                "sozialraum_id": "",
                "adressiert_an": adressat,
            },
        )
        assert response.status_code == 303
    impulse = db.session.scalars(select(Impuls).order_by(Impuls.id)).all()
    protokoll = db.session.scalar(select(Protokoll))
    assert [(i.titel, i.quelle, i.adressiert_an) for i in impulse] == [
        ("Jugendtreff", ImpulsQuelle.STADTTEILARBEITSKREIS, ImpulsAdressat.PLANUNGSRUNDE),
        ("Busanbindung", ImpulsQuelle.STADTTEILARBEITSKREIS, ImpulsAdressat.POLITIK),
    ]
    assert {
        (protokoll_id_of(i.id), i.quelle_gremium_id, i.zyklus_id, i.sozialraum_id) for i in impulse
    } == {(protokoll.id, welt.nord.id, welt.zyklus.id, welt.nord_raum.id)}
    bad = _post(
        client, csrf_token, _page(welt), "impulse", {"titel": "x", "adressiert_an": "traegerrunde"}
    )
    assert bad.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Impuls)) == 2


def test_approval_needs_a_file_and_notifies_members(ctx, client, login, welt, csrf_token) -> None:
    login(welt.vorsitz)
    response = _post(client, csrf_token, _page(welt), "freigeben", {})
    assert response.status_code == 409
    assert "noch keine Protokolldatei" in response.get_data(as_text=True)
    services.upload_revision(welt.sitzung, datei(PDF), welt.moderator)
    db.session.commit()
    assert _post(client, csrf_token, _page(welt), "freigeben", {}).status_code == 303
    protokoll = db.session.scalar(select(Protokoll))
    db.session.refresh(protokoll)
    assert protokoll.status == ProtokollStatus.FREIGEGEBEN
    assert protokoll.freigegeben_von_id == welt.vorsitz.id
    notified = set(db.session.scalars(select(Benachrichtigung.user_id)))
    assert notified == {welt.moderator.id, welt.mitglied.id}
    mails = db.session.scalars(select(Mail).where(Mail.kind == "protokoll.freigegeben")).all()
    assert sorted(m.recipient for m in mails) == sorted([welt.moderator.email, welt.mitglied.email])
    assert "SAK Nord März" in mails[0].body_text and _page(welt) in mails[0].body_text
    again = _post(client, csrf_token, _page(welt), "freigeben", {})
    assert again.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(Mail)) == 2


def test_moderator_cannot_approve_and_new_revision_needs_new_approval(
    ctx, client, login, welt, csrf_token
) -> None:
    services.upload_revision(welt.sitzung, datei(PDF), welt.moderator)
    db.session.commit()
    login(welt.moderator)
    assert _post(client, csrf_token, _page(welt), "freigeben", {}).status_code == 403
    services.approve(welt.sitzung, db.session.scalar(select(Protokoll)), welt.stab)
    db.session.commit()
    url = _page(welt)
    token = csrf_token(client, url)
    client.post(
        f"{url}/hochladen",
        data={"csrf_token": token, "datei": (io.BytesIO(PDF), "v2.pdf")},
        content_type="multipart/form-data",
    )
    protokoll = db.session.scalar(select(Protokoll))
    db.session.refresh(protokoll)
    assert protokoll.status == ProtokollStatus.ENTWURF and len(protokoll.revisionen) == 2


def test_reminder_once_to_moderators_after_configured_days(
    app, ctx, welt, make, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "PROTOKOLL_ERINNERUNG_TAGE", 5)
    alt = make.vergangene_sitzung(welt.nord, tage=8, titel="Alte Sitzung")
    make.vergangene_sitzung(welt.nord, tage=2, titel="Zu frisch")
    erledigt = make.vergangene_sitzung(welt.nord, tage=9, titel="Mit Protokoll")
    services.upload_revision(erledigt, datei(PDF), welt.moderator)
    db.session.commit()
    assert [s.id for s in services.due_reminders()] == [alt.id]
    assert tasks.send_erinnerungen() == 1
    assert tasks.send_erinnerungen() == 0  # idempotent: the row remembers
    mails = db.session.scalars(select(Mail).where(Mail.kind == "protokoll.erinnerung")).all()
    assert [m.recipient for m in mails] == [welt.moderator.email]
    assert "Alte Sitzung" in mails[0].subject
    assert db.session.scalar(select(ProtokollErinnerung.sitzung_id)) == alt.id


def test_reminder_skips_cancelled_and_very_old_meetings(app, ctx, welt, make) -> None:
    make.vergangene_sitzung(welt.nord, tage=30, status="abgesagt")
    make.vergangene_sitzung(welt.nord, tage=200)
    assert services.due_reminders() == []


def test_missing_minutes_are_a_task_on_the_start_page(client, login, welt) -> None:
    login(welt.moderator)
    body = client.get("/start").get_data(as_text=True)
    assert "Protokoll hochladen: SAK Nord März" in body
    assert "SAK Süd März" not in body


@pytest.mark.parametrize("tage", [14])
def test_default_reminder_days(app, ctx, welt, make, tage) -> None:
    make.vergangene_sitzung(welt.sued, tage=tage + 1)
    assert len(services.due_reminders(utcnow() + timedelta(seconds=1))) == 1
