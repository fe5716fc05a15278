"""Planning a meeting: create, change, agenda with documents, permissions of organisers."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from sqlalchemy import select

from app.core.types import utcnow
from app.dateien.models import Datei
from app.extensions import db
from app.sitzungen.models import Sitzung, SitzungStatus, Tagesordnungspunkt
from app.stammdaten.models import Funktion
from tests.dateien.conftest import HTML_AS_PDF, PDF


def _future(days: int = 10, hour: int = 14) -> str:
    return (utcnow() + timedelta(days=days)).strftime(f"%Y-%m-%dT{hour:02d}:30")


def _form(gremium_id: int, **overrides: str) -> dict:
    data = {
        "gremium_id": str(gremium_id),
        "titel": "Planungsrunde Frühjahr",
        "beginn": _future(),
        "ende": _future(hour=16),
        "ort_name": "Rathaus Hilden",
        "ort_raum": "Ratssaal",
        "ort_adresse": "Am Rathaus 1, 40721 Hilden",
        "online_link": "",
        "erinnerung_tage": "3",
        "erinnerung_an": "offene",
        "zyklus_id": "",
        "phase": "",
    }
    data.update(overrides)
    return data


def test_stabsstelle_creates_a_meeting_in_berlin_time(
    client, login, csrf_token, make, runde
) -> None:
    login(make.stabsstelle())
    token = csrf_token(client, "/sitzungen/neu")
    response = client.post("/sitzungen/neu", data={**_form(runde.gremium.id), "csrf_token": token})
    assert response.status_code == 303
    sitzung = db.session.scalars(
        select(Sitzung).where(Sitzung.titel == "Planungsrunde Frühjahr")
    ).one()
    assert response.headers["Location"] == f"/sitzungen/{sitzung.id}/tagesordnung"
    assert sitzung.status == SitzungStatus.GEPLANT
    local = sitzung.beginn.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Berlin"))
    assert (local.hour, local.minute) == (14, 30)
    assert sitzung.uid.endswith("@planungskreislauf") and sitzung.sequence == 0
    page = client.get(f"/sitzungen/{sitzung.id}").get_data(as_text=True)
    assert "14:30" in page and "Ratssaal" in page


def test_invalid_input_is_explained_in_german_and_kept(
    client, login, csrf_token, make, runde
) -> None:
    login(make.stabsstelle())
    token = csrf_token(client, "/sitzungen/neu")
    data = _form(runde.gremium.id, ende=_future(hour=9), ort_name="", titel="Bleibt stehen")
    response = client.post("/sitzungen/neu", data={**data, "csrf_token": token})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Das Ende muss nach dem Beginn liegen." in body
    assert "Bitte geben Sie einen Ort oder einen Link zur Online-Teilnahme an." in body
    assert 'value="Bleibt stehen"' in body
    response = client.post(
        "/sitzungen/neu", data={**_form(runde.gremium.id, beginn="morgen"), "csrf_token": token}
    )
    assert "Bitte geben Sie Datum und Uhrzeit vollständig an" in response.get_data(as_text=True)
    assert db.session.scalar(select(Sitzung.id)) is None


def test_vorsitz_plans_only_for_own_gremium(client, login, csrf_token, make, runde) -> None:
    other = make.gremium()
    login(runde.vorsitz)
    token = csrf_token(client, "/sitzungen/neu")
    refused = client.post("/sitzungen/neu", data={**_form(other.id), "csrf_token": token})
    assert refused.status_code == 400 and "Gremium aus der Liste" in refused.get_data(as_text=True)
    assert (
        client.post(
            "/sitzungen/neu", data={**_form(runde.gremium.id), "csrf_token": token}
        ).status_code
        == 303
    )


def test_members_and_outsiders_cannot_plan_or_edit(client, login, make, runde) -> None:
    sitzung = make.sitzung(runde.gremium)
    for person in (runde.mitglieder[0], runde.aussen):
        login(person)
        assert client.get("/sitzungen/neu").status_code == 403
        assert client.get(f"/sitzungen/{sitzung.id}/bearbeiten").status_code == 403
        assert client.get(f"/sitzungen/{sitzung.id}/tagesordnung").status_code == 403
        assert client.get(f"/sitzungen/{sitzung.id}/einladen").status_code == 403


def _add_top(
    client, sitzung_id: int, token: str, titel: str, datei: tuple[bytes, str] | None = None
):
    data = {"titel": titel, "beschreibung": f"Beschreibung {titel}", "csrf_token": token}
    if datei:
        data["datei"] = (io.BytesIO(datei[0]), datei[1])
    return client.post(
        f"/sitzungen/{sitzung_id}/tagesordnung", data=data, content_type="multipart/form-data"
    )


def test_agenda_with_documents_reorder_and_delete(
    client, login, csrf_token, make, runde, upload_dir
) -> None:
    sitzung = make.sitzung(runde.gremium)
    login(runde.vorsitz)
    url = f"/sitzungen/{sitzung.id}/tagesordnung"
    token = csrf_token(client, url)
    assert _add_top(client, sitzung.id, token, "Begrüßung").status_code == 303
    assert (
        _add_top(
            client, sitzung.id, token, "Sozialreport", (PDF, "Sozialreport 2027.pdf")
        ).status_code
        == 303
    )
    assert _add_top(client, sitzung.id, token, "Verschiedenes").status_code == 303
    tops = db.session.scalars(
        select(Tagesordnungspunkt)
        .where(Tagesordnungspunkt.sitzung_id == sitzung.id)
        .order_by(Tagesordnungspunkt.position)
    ).all()
    assert [(t.position, t.titel) for t in tops] == [
        (1, "Begrüßung"),
        (2, "Sozialreport"),
        (3, "Verschiedenes"),
    ]
    [datei] = tops[1].dateien
    assert (
        datei.original_name == "Sozialreport 2027.pdf" and (upload_dir / datei.stored_name).exists()
    )

    move = client.post(
        f"/sitzungen/{sitzung.id}/tops/{tops[2].id}/verschieben/hoch", data={"csrf_token": token}
    )
    assert move.status_code == 303
    delete = client.post(
        f"/sitzungen/{sitzung.id}/tops/{tops[0].id}/loeschen", data={"csrf_token": token}
    )
    assert delete.status_code == 303
    db.session.expire_all()
    rest = db.session.scalars(
        select(Tagesordnungspunkt)
        .where(Tagesordnungspunkt.sitzung_id == sitzung.id)
        .order_by(Tagesordnungspunkt.position)
    ).all()
    assert [(t.position, t.titel) for t in rest] == [(1, "Verschiedenes"), (2, "Sozialreport")]
    page = client.get(f"/sitzungen/{sitzung.id}").get_data(as_text=True)
    agenda = page[page.index('<ol class="tagesordnung">') :]
    assert agenda.index("Verschiedenes") < agenda.index("Sozialreport 2027.pdf")


def test_disguised_upload_is_refused_with_german_message(
    client, login, csrf_token, make, runde, upload_dir
) -> None:
    sitzung = make.sitzung(runde.gremium)
    login(runde.vorsitz)
    token = csrf_token(client, f"/sitzungen/{sitzung.id}/tagesordnung")
    response = _add_top(client, sitzung.id, token, "Bericht", (HTML_AS_PDF, "bericht.pdf"))
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "entspricht keinem erlaubten Dateityp" in body and 'value="Bericht"' in body
    assert db.session.scalar(select(Tagesordnungspunkt.id)) is None
    assert not upload_dir.exists() or list(upload_dir.iterdir()) == []


def test_oversized_upload_is_413(app, client, login, csrf_token, make, runde, monkeypatch) -> None:
    sitzung = make.sitzung(runde.gremium)
    login(runde.vorsitz)
    token = csrf_token(client, f"/sitzungen/{sitzung.id}/tagesordnung")
    monkeypatch.setitem(app.config, "DATEI_MAX_BYTES", 1024)
    response = _add_top(client, sitzung.id, token, "Groß", (PDF + b"0" * 4096, "gross.pdf"))
    assert response.status_code == 413 and "zu groß" in response.get_data(as_text=True)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
    response = _add_top(client, sitzung.id, token, "Größer", (PDF + b"0" * 8192, "riesig.pdf"))
    assert response.status_code == 413 and "Datei zu groß" in response.get_data(as_text=True)


def test_documents_are_downloads_for_those_who_see_the_meeting(
    client, login, csrf_token, make, runde
) -> None:
    sitzung = make.sitzung(runde.gremium)
    login(runde.vorsitz)
    token = csrf_token(client, f"/sitzungen/{sitzung.id}/tagesordnung")
    _add_top(client, sitzung.id, token, "Bericht", (PDF, "bericht.pdf"))
    datei_id = db.session.scalar(select(Datei.id))
    login(runde.mitglieder[0])
    response = client.get(f"/sitzungen/{sitzung.id}/dateien/{datei_id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment")
    response.close()
    login(runde.aussen)
    assert client.get(f"/sitzungen/{sitzung.id}/dateien/{datei_id}").status_code == 403
    other = make.sitzung(runde.gremium)
    login(runde.mitglieder[0])
    assert client.get(f"/sitzungen/{other.id}/dateien/{datei_id}").status_code == 404


def test_edit_without_invitations_keeps_sequence(client, login, csrf_token, make, runde) -> None:
    sitzung = make.sitzung(runde.gremium)
    login(runde.vorsitz)
    url = f"/sitzungen/{sitzung.id}/bearbeiten"
    body = client.get(url).get_data(as_text=True)
    assert re.search(r'name="beginn"[^>]*value="\d{4}-\d\d-\d\dT\d\d:\d\d"', body)
    token = csrf_token(client, url)
    response = client.post(
        url, data={**_form(runde.gremium.id, ort_raum="Raum 2"), "csrf_token": token}
    )
    assert response.status_code == 303
    sitzung = db.session.get(Sitzung, sitzung.id, populate_existing=True)
    assert (sitzung.ort_raum, sitzung.sequence, sitzung.versand_ausstehend) == ("Raum 2", 0, False)


def test_funktion_moderation_may_organise(make, login, client, runde) -> None:
    moderation = make.user()
    make.mitgliedschaft(runde.gremium, moderation, Funktion.MODERATION)
    sitzung = make.sitzung(runde.gremium)
    login(moderation)
    assert client.get(f"/sitzungen/{sitzung.id}/tagesordnung").status_code == 200


def test_edit_top_and_remove_its_document(
    client, login, csrf_token, make, runde, upload_dir
) -> None:
    sitzung = make.sitzung(runde.gremium)
    login(runde.vorsitz)
    token = csrf_token(client, f"/sitzungen/{sitzung.id}/tagesordnung")
    _add_top(client, sitzung.id, token, "Bericht", (PDF, "bericht.pdf"))
    top = db.session.scalar(select(Tagesordnungspunkt))
    datei = db.session.scalar(select(Datei))
    url = f"/sitzungen/{sitzung.id}/tops/{top.id}/bearbeiten"
    response = client.post(
        url, data={"titel": "Bericht der Verwaltung", "beschreibung": "", "csrf_token": token}
    )
    assert response.status_code == 303
    assert (
        db.session.get(Tagesordnungspunkt, top.id, populate_existing=True).titel
        == "Bericht der Verwaltung"
    )
    remove = f"/sitzungen/{sitzung.id}/tops/{top.id}/dateien/{datei.id}/entfernen"
    assert client.post(remove, data={"csrf_token": token}).status_code == 303
    assert db.session.scalar(select(Datei.id)) is None
    assert not (upload_dir / datei.stored_name).exists()
    assert client.post(remove, data={"csrf_token": token}).status_code == 404


def test_mark_held_only_after_the_start(client, login, csrf_token, make, runde) -> None:
    kommend = make.sitzung(runde.gremium)
    vorbei = make.sitzung(runde.gremium, beginn=utcnow() - timedelta(hours=3))
    login(runde.vorsitz)
    token = csrf_token(client, f"/sitzungen/{vorbei.id}")
    response = client.post(f"/sitzungen/{kommend.id}/durchgefuehrt", data={"csrf_token": token})
    assert response.status_code == 409 and "noch nicht begonnen" in response.get_data(as_text=True)
    assert (
        client.post(f"/sitzungen/{vorbei.id}/durchgefuehrt", data={"csrf_token": token}).status_code
        == 303
    )
    assert (
        db.session.get(Sitzung, vorbei.id, populate_existing=True).status
        == SitzungStatus.DURCHGEFUEHRT
    )
    assert client.post(f"/sitzungen/{vorbei.id}/durchgefuehrt", data={}).status_code == 400
