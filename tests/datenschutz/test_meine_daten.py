"""'Meine Daten' (Art. 15/20): requested and audited, built by the worker task, downloaded
only by the person with the link's token until it expires; their data and nobody else's."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta

from sqlalchemy import select, update

from app.audit.models import Aktion, AuditEintrag
from app.auth.models import User
from app.datenschutz.models import AuskunftStatus, Datenauskunft
from app.datenschutz.tasks import meine_daten
from app.extensions import db
from tests.support import fuzzwelt


def _csrf(client, url: str) -> str:
    body = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body).group(1)


def _request_and_build(client, user_id: int) -> Datenauskunft:
    response = client.post("/konto/meine-daten", data={"csrf_token": _csrf(client, "/konto/")})
    assert response.status_code == 303
    row = db.session.scalar(select(Datenauskunft).where(Datenauskunft.user_id == user_id))
    assert row.status == AuskunftStatus.ANGEFORDERT
    auskunft_id = row.id
    assert meine_daten(auskunft_id) is True
    assert meine_daten(auskunft_id) is False  # a redelivered task changes nothing
    return db.session.get(Datenauskunft, auskunft_id, populate_existing=True)


def _download_link(client) -> str:
    body = client.get("/konto/").get_data(as_text=True)
    match = re.search(r'href="(/konto/meine-daten/\d+/herunterladen\?schluessel=[^"]+)"', body)
    assert match, body
    return match.group(1).replace("&amp;", "&")


def test_demo_traeger_gets_their_answers_and_memberships_and_nobody_elses(
    client, login, ctx
) -> None:
    fuzzwelt.load_demo()
    awo = db.session.scalar(select(User).where(User.email == "awo@demo.traeger.example"))
    caritas = db.session.scalar(select(User).where(User.email == "caritas@demo.traeger.example"))
    login(awo)
    row = _request_and_build(client, awo.id)
    assert row.status == AuskunftStatus.FERTIG and row.laeuft_ab_at > row.fertig_at
    response = client.get(_download_link(client))
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    daten = json.loads(archive.read("meine-daten.json"))
    assert daten["Konto"][0]["email"] == "awo@demo.traeger.example"
    assert "password_hash" not in daten["Konto"][0] and "link_nonce" not in daten["Konto"][0]
    gremien = {m["gremium_id"] for m in daten["Mitgliedschaft"]}
    assert len(gremien) >= 2 and all(m["user_id"] == awo.id for m in daten["Mitgliedschaft"])
    assert daten["Antworten"] and {a["organisation"] for a in daten["Antworten"]} == {
        awo.organisation.name
    }
    assert all(r["user_id"] == awo.id for r in daten.get("LoginSession", []))
    assert all("token" not in r for r in daten.get("LoginSession", []))
    names = set(archive.namelist())
    assert {"csv/Mitgliedschaft.csv", "csv/Antworten.csv", "csv/Konto.csv"} <= names
    everything = b"".join(archive.read(n) for n in names).decode("utf-8", "replace")
    assert caritas.name not in everything and caritas.email not in everything
    assert "Caritas" not in json.dumps(daten["Antworten"], ensure_ascii=False)


def test_the_request_and_the_download_are_audited_without_the_token(client, login, make) -> None:
    user = make.traeger_user(name="Rita Recht")
    login(user)
    _request_and_build(client, user.id)
    link = _download_link(client)
    assert client.get(link).status_code == 200
    token = link.split("schluessel=")[1]
    entries = db.session.scalars(select(AuditEintrag).order_by(AuditEintrag.id)).all()
    [anfrage] = [e for e in entries if e.aktion == Aktion.DATENAUSKUNFT]
    assert anfrage.akteur_id == user.id and anfrage.objekt_id == str(user.id)
    [export] = [e for e in entries if e.aktion == Aktion.EXPORT]
    assert "Meine Daten" in export.hinweis and export.akteur_id == user.id
    assert not any(token in json.dumps(e.aenderungen or {}) + (e.hinweis or "") for e in entries)


def test_nobody_else_downloads_it_not_even_with_the_link(client, login, make) -> None:
    owner = make.traeger_user()
    login(owner)
    _request_and_build(client, owner.id)
    link = _download_link(client)
    for other in (make.traeger_user(), make.stabsstelle()):
        login(other)
        assert client.get(link).status_code == 403
        assert "schluessel" not in client.get("/konto/").get_data(as_text=True)
    login(owner)
    assert client.get(link.split("?")[0]).status_code == 404  # without the token
    assert client.get(link + "x").status_code == 404


def test_an_expired_link_is_refused(client, login, make) -> None:
    owner = make.traeger_user()
    login(owner)
    row = _request_and_build(client, owner.id)
    link = _download_link(client)
    db.session.execute(
        update(Datenauskunft)
        .where(Datenauskunft.id == row.id)
        .values(laeuft_ab_at=row.fertig_at - timedelta(seconds=1))
    )
    db.session.commit()
    response = client.get(link)
    assert response.status_code == 404 and "abgelaufen" in response.get_data(as_text=True)
    assert "abgelaufen" in client.get("/konto/").get_data(as_text=True)


def test_a_second_request_while_one_is_built_is_refused_in_german(client, login, make) -> None:
    owner = make.traeger_user()
    login(owner)
    token = _csrf(client, "/konto/")
    assert client.post("/konto/meine-daten", data={"csrf_token": token}).status_code == 303
    again = client.post(
        "/konto/meine-daten", data={"csrf_token": _csrf(client, "/konto/")}, follow_redirects=True
    )
    assert "bereits zusammengestellt" in again.get_data(as_text=True)
    assert len(db.session.scalars(select(Datenauskunft)).all()) == 1


def test_uploaded_files_are_in_the_zip(client, login, make, ctx) -> None:
    from werkzeug.datastructures import FileStorage

    from app.dateien.services import DOKUMENTE, store_upload
    from tests.support.dateien import MINIMAL_PDF

    owner = make.traeger_user()
    store_upload(
        FileStorage(io.BytesIO(MINIMAL_PDF), filename="konzept.pdf"), DOKUMENTE, uploaded_by=owner
    )
    db.session.commit()
    login(owner)
    _request_and_build(client, owner.id)
    archive = zipfile.ZipFile(io.BytesIO(client.get(_download_link(client)).data))
    [pdf] = [n for n in archive.namelist() if n.startswith("dateien/")]
    assert pdf.endswith("konzept.pdf") and archive.read(pdf) == MINIMAL_PDF


def test_account_page_query_count_does_not_grow_with_requests(
    client, login, make, query_counter
) -> None:
    owner = make.traeger_user()
    login(owner)

    def count() -> int:
        with query_counter() as statements:
            assert client.get("/konto/").status_code == 200
        return len(statements)

    db.session.add(Datenauskunft(user_id=owner.id, download_token="a" * 40))
    db.session.commit()
    few = count()
    for n in range(6):
        db.session.add(
            Datenauskunft(
                user_id=owner.id,
                download_token=f"{n}" * 40,
                status=AuskunftStatus.FEHLGESCHLAGEN,
            )
        )
    db.session.commit()
    assert count() == few
