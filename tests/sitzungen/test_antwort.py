"""Replies through the personal signed link: no login, history kept, bad links refused."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from app.core.types import utcnow
from app.extensions import db
from app.sitzungen import services
from app.sitzungen.models import Antwort, Einladung, EinladungVerlauf, Sitzung, SitzungStatus
from tests.dateien.conftest import PDF


def _token(app, einladung) -> str:
    with app.test_request_context():
        return services.reply_token(einladung)


def _post(client, url: str, **data: str):
    body = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body).group(1)
    return client.post(url, data={**data, "csrf_token": token})


def test_invitee_declines_with_substitute_without_login(app, client, make, runde) -> None:
    sitzung = make.sitzung(runde.gremium, status=SitzungStatus.EINGELADEN, titel="Trägerrunde Mai")
    einladung = make.einladung(sitzung, runde.mitglieder[0])
    url = f"/sitzungen/antwort/{_token(app, einladung)}"
    page = client.get(url)
    assert page.status_code == 200 and "Trägerrunde Mai" in page.get_data(as_text=True)
    response = _post(
        client, url, antwort="vertretung", vertretung_name="Paula Vertretung", kommentar="Urlaub"
    )
    assert response.status_code == 303
    einladung = db.session.get(Einladung, einladung.id, populate_existing=True)
    assert (einladung.antwort, einladung.vertretung_name, einladung.kommentar) == (
        Antwort.VERTRETUNG,
        "Paula Vertretung",
        "Urlaub",
    )
    assert "Absage mit Vertretung" in client.get(url).get_data(as_text=True)


def test_reply_changes_are_kept_in_history(app, client, login, make, runde) -> None:
    sitzung = make.sitzung(runde.gremium, status=SitzungStatus.EINGELADEN)
    einladung = make.einladung(sitzung, runde.mitglieder[1])
    url = f"/sitzungen/antwort/{_token(app, einladung)}"
    _post(client, url, antwort="zusage")
    _post(client, url, antwort="absage", kommentar="Terminkonflikt")
    verlauf = db.session.scalars(
        select(EinladungVerlauf)
        .where(EinladungVerlauf.einladung_id == einladung.id)
        .order_by(EinladungVerlauf.id)
    ).all()
    assert [(v.antwort, v.kommentar) for v in verlauf] == [
        (Antwort.ZUSAGE, None),
        (Antwort.ABSAGE, "Terminkonflikt"),
    ]
    login(runde.vorsitz)
    page = client.get(f"/sitzungen/{sitzung.id}").get_data(as_text=True)
    assert "Verlauf der Rückmeldungen" in page and "Terminkonflikt" in page
    assert "0 Zusagen, 1 Absage," in page and "1 Absagen" not in page


def test_substitute_needs_a_name(app, client, make, runde) -> None:
    sitzung = make.sitzung(runde.gremium, status=SitzungStatus.EINGELADEN)
    einladung = make.einladung(sitzung, runde.mitglieder[0])
    url = f"/sitzungen/antwort/{_token(app, einladung)}"
    response = _post(client, url, antwort="vertretung", vertretung_name=" ")
    assert response.status_code == 400
    assert "Bitte nennen Sie die Person, die Sie vertritt." in response.get_data(as_text=True)
    response = _post(client, url, antwort="vielleicht")
    assert response.status_code == 400
    assert "Bitte wählen Sie Zusage, Absage oder Vertretung." in response.get_data(as_text=True)
    assert db.session.get(Einladung, einladung.id, populate_existing=True).antwort == Antwort.OFFEN


def test_tampered_link_is_400_with_german_page(app, client, make, runde) -> None:
    sitzung = make.sitzung(runde.gremium, status=SitzungStatus.EINGELADEN)
    einladung = make.einladung(sitzung, runde.mitglieder[0])
    token = _token(app, einladung)
    for bad in (
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        "kaputt",
        token.replace(".", "x", 1),
    ):
        response = client.get(f"/sitzungen/antwort/{bad}")
        body = response.get_data(as_text=True)
        assert response.status_code == 400
        assert '<html lang="de">' in body and "Antwort-Link ist ungültig" in body
        assert (
            client.post(f"/sitzungen/antwort/{bad}", data={"antwort": "zusage"}).status_code == 400
        )
    other = URLSafeTimedSerializer("falscher-schluessel", salt="sitzung-antwort").dumps(
        {"e": einladung.id, "s": sitzung.id}
    )
    assert client.get(f"/sitzungen/antwort/{other}").status_code == 400


def test_expired_link_is_400_with_german_page(app, client, make, runde, monkeypatch) -> None:
    sitzung = make.sitzung(runde.gremium, status=SitzungStatus.EINGELADEN)
    einladung = make.einladung(sitzung, runde.mitglieder[0])
    token = _token(app, einladung)
    monkeypatch.setitem(app.config, "SITZUNG_ANTWORT_MAX_AGE", 3600)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 7200)  # two hours later
    response = client.get(f"/sitzungen/antwort/{token}")
    assert response.status_code == 400
    assert "Antwort-Link ist abgelaufen" in response.get_data(as_text=True)


def test_link_of_a_deleted_invitation_is_400(app, client, make, runde) -> None:
    sitzung = make.sitzung(runde.gremium, status=SitzungStatus.EINGELADEN)
    einladung = make.einladung(sitzung, runde.mitglieder[0])
    token = _token(app, einladung)
    db.session.delete(einladung)
    db.session.commit()
    response = client.get(f"/sitzungen/antwort/{token}")
    assert response.status_code == 400 and "gibt es nicht mehr" in response.get_data(as_text=True)


def test_no_reply_after_cancellation(app, client, make, runde) -> None:
    sitzung = make.sitzung(runde.gremium, status=SitzungStatus.EINGELADEN)
    einladung = make.einladung(sitzung, runde.mitglieder[0])
    url = f"/sitzungen/antwort/{_token(app, einladung)}"
    token = re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', client.get(url).get_data(as_text=True)
    ).group(1)
    db.session.get(Sitzung, sitzung.id).status = SitzungStatus.ABGESAGT
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "wurde abgesagt" in page and 'name="antwort"' not in page
    response = client.post(url, data={"antwort": "zusage", "csrf_token": token})
    assert response.status_code == 409


def test_documents_reachable_with_the_personal_link(app, client, make, runde, ctx) -> None:
    import io

    from werkzeug.datastructures import FileStorage

    from app.dateien.services import store_upload

    sitzung = make.sitzung(runde.gremium, status=SitzungStatus.EINGELADEN)
    top = make.top(sitzung, "Bericht")
    datei = store_upload(FileStorage(io.BytesIO(PDF), filename="bericht.pdf"))
    services.attach_datei(top, datei)
    db.session.commit()
    gast = make.einladung(sitzung)
    token = _token(app, gast)
    assert "bericht.pdf" in client.get(f"/sitzungen/antwort/{token}").get_data(as_text=True)
    response = client.get(f"/sitzungen/antwort/{token}/dateien/{datei.id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()
    other = make.sitzung(runde.gremium, status=SitzungStatus.EINGELADEN)
    foreign = _token(app, make.einladung(other))
    assert client.get(f"/sitzungen/antwort/{foreign}/dateien/{datei.id}").status_code == 404


def test_open_invitation_is_a_task_on_the_start_page(app, client, login, make, runde) -> None:
    sitzung = make.sitzung(
        runde.gremium,
        status=SitzungStatus.EINGELADEN,
        titel="Planungsrunde Juni",
        beginn=utcnow() + timedelta(days=2),
    )
    make.einladung(sitzung, runde.mitglieder[2])
    login(runde.mitglieder[2])
    page = client.get("/start").get_data(as_text=True)
    assert "Rückmeldung zur Sitzung „Planungsrunde Juni“" in page
    assert "/sitzungen/antwort/" in page
    login(runde.mitglieder[1])
    assert "Planungsrunde Juni" not in client.get("/start").get_data(as_text=True)
