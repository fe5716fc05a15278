"""Deleting an account (Art. 17): the name appears nowhere – pages, exports, OParl, the audit
log – while the organisation's answers remain; sessions, feeds and links end at once."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from sqlalchemy import func, select

from app.audit.models import Aktion, AuditEintrag
from app.auth.models import User
from app.beteiligung.models import Rueckmeldung, RueckmeldungAntwort, RueckmeldungStatus
from app.extensions import db
from app.sitzungen.models import KalenderAbo
from app.stammdaten.models import Organisation
from tests.oparl.test_api import crawl as oparl_crawl
from tests.support import fuzzwelt
from tests.support.crawl import crawl

NAME = "Anna Awo-Beispiel"
EMAIL = "awo@demo.traeger.example"


def _csrf(client, url: str) -> str:
    body = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body).group(1)


def _text_of(response) -> str:
    if response.mimetype in ("application/zip",) or response.data[:2] == b"PK":
        archive = zipfile.ZipFile(io.BytesIO(response.data))
        return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return response.get_data(as_text=True)


@pytest.fixture
def get_json(app):
    """OParl as an anonymous client reads it (as in tests/oparl)."""
    from tests.oparl.conftest import path_of

    base = app.config["BASE_URL"].rstrip("/")
    public = app.test_client()

    def get(url: str, status: int = 200) -> dict:
        response = public.get(path_of(url, base) if url.startswith("http") else url)
        assert response.status_code == status, (url, response.status_code)
        return response.get_json()

    return get


@pytest.fixture
def welt(app, ctx, make, client, login):
    fuzzwelt.load_demo()
    awo = db.session.scalar(select(User).where(User.email == EMAIL))
    awo.name_oeffentlich = True  # named in OParl and the portal before the deletion
    db.session.add(KalenderAbo(user_id=awo.id, token="feed-der-awo-" + "x" * 20))
    db.session.commit()
    stab = db.session.scalar(select(User).where(User.email == "stabsstelle@demo.hilden.example"))
    return awo, stab


def test_deleted_name_appears_nowhere_and_the_answers_remain(
    app, client, login, welt, get_json
) -> None:
    awo, stab = welt
    awo_id, org_id = awo.id, awo.organisation_id
    antworten = db.session.scalar(
        select(func.count(RueckmeldungAntwort.id))
        .join(Rueckmeldung)
        .where(Rueckmeldung.organisation_id == org_id)
    )
    assert antworten > 0
    # she logs in once (an audit event with her name) and keeps that session open
    own = app.test_client()
    login(awo, on_client=own)
    assert own.get("/start").status_code == 200
    assert NAME in _text_of(own.get("/konto/"))
    assert (
        client.get("/sitzungen/kalender/" + "feed-der-awo-" + "x" * 20 + ".ics").status_code == 200
    )

    assert NAME in str(
        oparl_crawl(get_json)
    )  # named in OParl before: the check below means something

    login(stab)
    page = client.get(f"/konten/{awo_id}/loeschen")
    assert page.status_code == 200 and NAME in page.get_data(as_text=True)
    wrong = client.post(
        f"/konten/{awo_id}/loeschen",
        data={"csrf_token": _csrf(client, f"/konten/{awo_id}/loeschen"), "bestaetigung": "x@y.z"},
    )
    assert wrong.status_code == 400 and "genau die E-Mail-Adresse" in wrong.get_data(as_text=True)
    done = client.post(
        f"/konten/{awo_id}/loeschen",
        data={"csrf_token": _csrf(client, f"/konten/{awo_id}/loeschen"), "bestaetigung": EMAIL},
    )
    assert done.status_code == 303
    db.session.expire_all()

    # access ends at once
    assert own.get("/start").status_code in (302, 401)
    assert (
        client.get("/sitzungen/kalender/" + "feed-der-awo-" + "x" * 20 + ".ics").status_code == 404
    )
    konto = db.session.get(User, awo_id)
    assert konto.name == f"Ehemaliges Konto {awo_id}" and not konto.aktiv
    assert konto.password_hash is None and konto.geloescht_at is not None

    # the organisation's answers remain, with the pseudonym
    assert (
        db.session.scalar(
            select(func.count(RueckmeldungAntwort.id))
            .join(Rueckmeldung)
            .where(Rueckmeldung.organisation_id == org_id)
        )
        == antworten
    )
    rm = db.session.scalar(
        select(Rueckmeldung).where(
            Rueckmeldung.organisation_id == org_id,
            Rueckmeldung.status == RueckmeldungStatus.EINGEREICHT,
        )
    )
    assert rm is not None
    assert db.session.get(Organisation, org_id).aktiv

    # the log records the deletion, not the name
    [event] = db.session.scalars(
        select(AuditEintrag).where(AuditEintrag.aktion == Aktion.KONTO_GELOESCHT)
    ).all()
    assert event.akteur_id == stab.id and event.objekt_id == str(awo_id)
    leftovers = db.session.scalars(
        select(AuditEintrag).where(
            AuditEintrag.akteur_name.contains(NAME)
            | AuditEintrag.objekt_label.contains(NAME)
            | AuditEintrag.hinweis.contains(NAME)
        )
    ).all()
    assert leftovers == []

    # every page the Stabsstelle reaches, the log, the exports
    adapter = app.url_map.bind("localhost")
    with app.test_request_context():
        from flask import url_for

        urls = [
            f"/stammdaten/benutzer/{awo_id}",
            "/stammdaten/benutzer",
            f"/protokoll/?akteur={awo_id}",
            "/protokoll/export.csv",
            "/protokoll/export.xlsx",
            f"/beteiligung/rueckmeldungen/{rm.id}",
            url_for("beteiligung.export_csv", bogen_id=rm.bogen_id),
            url_for("beteiligung.export_xlsx", bogen_id=rm.bogen_id),
            "/postausgang/",
        ]
    found = crawl(client, adapter, ["/start", *urls], per_endpoint=3, limit=300)
    assert len(found.pages) > 50
    for url, html in found.pages.items():
        assert NAME not in html and EMAIL not in html, url
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        text = _text_of(response)
        assert NAME not in text and EMAIL not in text, url

    # the public portal and OParl
    public = app.test_client()
    for url in ("/oeffentlich/", "/oparl/v1.1/body/people"):
        assert NAME not in public.get(url).get_data(as_text=True)
    for url, obj in oparl_crawl(get_json).items():
        assert NAME not in str(obj), url


def test_only_the_stabsstelle_deletes_others(client, login, make) -> None:
    victim = make.traeger_user()
    login(make.traeger_user())
    assert client.get(f"/konten/{victim.id}/loeschen").status_code == 403
    login(make.user())
    assert client.get(f"/konten/{victim.id}/loeschen").status_code == 403
    assert client.get("/konten/999999/loeschen").status_code in (403, 404)


def test_self_deletion_only_when_configured(app, client, login, make) -> None:
    person = make.traeger_user()
    login(person)
    assert client.get(f"/konten/{person.id}/loeschen").status_code == 403
    app.config["KONTO_SELBST_LOESCHEN"] = True
    try:
        assert "Mein Konto löschen" in client.get("/konto/").get_data(as_text=True)
        url = f"/konten/{person.id}/loeschen"
        done = client.post(
            url, data={"csrf_token": _csrf(client, url), "bestaetigung": person.email}
        )
        assert done.status_code == 303 and done.headers["Location"].endswith("/anmelden")
        assert client.get("/start").status_code in (302, 401)
    finally:
        app.config["KONTO_SELBST_LOESCHEN"] = False


def test_a_deleted_account_cannot_be_brought_back(client, login, make, ctx) -> None:
    from app.datenschutz.loeschung import delete_account
    from app.sitzungen.antworten import reply_token

    stab = make.stabsstelle()
    konto = make.traeger_user(name="Bert Bleibt-Weg")
    konto_id = konto.id
    token = reply_token(make.einladung(make.sitzung(), konto))
    assert client.get(f"/sitzungen/antwort/{token}").status_code == 200
    delete_account(db.session.get(User, konto_id), db.session.get(User, stab.id))
    db.session.commit()
    reply = client.get(f"/sitzungen/antwort/{token}")  # the invitation's reply link is dead
    assert reply.status_code == 400 and "gelöscht" in reply.get_data(as_text=True)
    login(stab)
    detail = client.get(f"/stammdaten/benutzer/{konto_id}").get_data(as_text=True)
    assert "wurde am" in detail and "Wieder aktivieren" not in detail and "Bearbeiten" not in detail
    url = f"/stammdaten/benutzer/{konto_id}/reaktivieren"
    response = client.post(url, data={"csrf_token": _csrf(client, url)}, follow_redirects=True)
    assert "gelöscht (DSGVO)" in response.get_data(as_text=True)
    url = f"/stammdaten/benutzer/{konto_id}/bearbeiten"
    response = client.post(url, data={"csrf_token": _csrf(client, url), "name": "Bert Bleibt-Weg"})
    assert response.status_code in (400, 409) and "gelöscht (DSGVO)" in response.get_data(
        as_text=True
    )
    assert not db.session.get(User, konto_id, populate_existing=True).aktiv
    assert db.session.get(User, konto_id).name == f"Ehemaliges Konto {konto_id}"
    assert client.get(f"/konten/{konto_id}/loeschen").status_code == 403
