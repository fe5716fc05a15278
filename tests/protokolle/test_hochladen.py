"""Uploading minutes: revisions, refused files (German messages), and who may do what."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from app.dateien.models import Datei
from app.extensions import db
from app.protokolle.models import Protokoll, ProtokollRevision, ProtokollStatus
from tests.protokolle.conftest import DOCX, HTML_AS_PDF, ODT, PDF, PNG


def _upload(client, csrf_token, sitzung_id: int, data: bytes, name: str):
    url = f"/protokolle/sitzung/{sitzung_id}"
    token = csrf_token(client, url)
    return client.post(
        f"{url}/hochladen",
        data={"csrf_token": token, "datei": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _approve(protokoll_id: int) -> None:
    db.session.get(Protokoll, protokoll_id).status = ProtokollStatus.FREIGEGEBEN
    db.session.commit()


def _revisions() -> int:
    return db.session.scalar(select(func.count()).select_from(ProtokollRevision))


@pytest.mark.parametrize(("data", "name"), [(PDF, "p.pdf"), (DOCX, "p.docx"), (ODT, "p.odt")])
def test_moderator_uploads_revisions_and_old_ones_stay(
    client, login, welt, csrf_token, upload_dir, data, name
) -> None:
    login(welt.moderator)
    assert _upload(client, csrf_token, welt.sitzung.id, data, name).status_code == 303
    assert _upload(client, csrf_token, welt.sitzung.id, PDF, "neu.pdf").status_code == 303
    protokoll = db.session.scalar(select(Protokoll).where(Protokoll.sitzung_id == welt.sitzung.id))
    db.session.refresh(protokoll)
    assert [r.nummer for r in protokoll.revisionen] == [2, 1]
    assert [r.datei.original_name for r in protokoll.revisionen] == ["neu.pdf", name]
    assert len(list(upload_dir.iterdir())) == 2
    body = client.get(f"/protokolle/sitzung/{welt.sitzung.id}").get_data(as_text=True)
    assert "Fassungen" in body and "neu.pdf" in body and name in body


def test_download_is_an_attachment_with_nosniff(client, login, welt, csrf_token) -> None:
    login(welt.moderator)
    _upload(client, csrf_token, welt.sitzung.id, PDF, "protokoll.pdf")
    revision = db.session.scalar(select(ProtokollRevision))
    response = client.get(f"/protokolle/sitzung/{welt.sitzung.id}/fassungen/{revision.id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()
    other = welt.sued_sitzung.id
    assert client.get(f"/protokolle/sitzung/{other}/fassungen/{revision.id}").status_code == 403


@pytest.mark.parametrize(
    ("data", "name", "status", "message"),
    [
        (b"MZ\x90\x00" + b"\x00" * 60, "protokoll.pdf", 400, "keinem erlaubten Dateityp"),
        (HTML_AS_PDF, "protokoll.pdf", 400, "keinem erlaubten Dateityp"),
        (PNG, "protokoll.png", 400, "keinem erlaubten Dateityp"),
        (PDF, "../../etc/passwd.pdf", 400, "Dateiname ist nicht zulässig"),
        (PDF, "..\\..\\boot.pdf", 400, "Dateiname ist nicht zulässig"),
        (b"", "leer.pdf", 400, "Die Datei ist leer"),
        (PDF + b"x" * 2048, "gross.pdf", 413, "Die Datei ist zu groß"),
    ],
)
def test_bad_files_are_refused_in_german(
    app, client, login, welt, csrf_token, upload_dir, monkeypatch, data, name, status, message
) -> None:
    monkeypatch.setitem(app.config, "DATEI_MAX_BYTES", 1024)
    login(welt.moderator)
    response = _upload(client, csrf_token, welt.sitzung.id, data, name)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert _revisions() == 0
    assert db.session.scalar(select(func.count()).select_from(Datei)) == 0
    assert not upload_dir.exists() or not any(upload_dir.iterdir())


def test_missing_file_is_refused(client, login, welt, csrf_token) -> None:
    login(welt.moderator)
    url = f"/protokolle/sitzung/{welt.sitzung.id}"
    response = client.post(f"{url}/hochladen", data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 400
    assert "Bitte wählen Sie eine Datei aus." in response.get_data(as_text=True)


def test_future_and_cancelled_meetings_take_no_minutes(
    client, login, welt, make, csrf_token
) -> None:
    login(welt.stab)
    kuenftig = make.sitzung(welt.nord)
    response = _upload(client, csrf_token, kuenftig.id, PDF, "p.pdf")
    assert response.status_code == 409
    assert "erst nach Beginn der Sitzung" in response.get_data(as_text=True)
    assert _revisions() == 0


def test_moderator_of_another_kreis_can_neither_upload_nor_read(
    app, client, login, welt, csrf_token, make
) -> None:
    make.protokoll(welt.sitzung)  # a draft
    fremd = login(welt.sued_moderator)
    url = f"/protokolle/sitzung/{welt.sitzung.id}"
    assert fremd.get(url).status_code == 403
    token = csrf_token(fremd, f"/protokolle/sitzung/{welt.sued_sitzung.id}")
    response = fremd.post(
        f"{url}/hochladen",
        data={"csrf_token": token, "datei": (io.BytesIO(PDF), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    assert fremd.post(f"{url}/freigeben", data={"csrf_token": token}).status_code == 403
    assert (
        fremd.post(
            f"{url}/impulse",
            data={"csrf_token": token, "titel": "x", "adressiert_an": "planungsrunde"},
        ).status_code
        == 403
    )
    assert _revisions() == 0
    assert fremd.get("/protokolle/sitzung/999999").status_code == 404


ACCESS = [
    # person, draft visible, approved visible, may upload
    ("stab", 200, 200, True),
    ("moderator", 200, 200, True),
    ("vorsitz", 200, 200, False),
    ("mitglied", 403, 200, False),
    ("sued_moderator", 403, 403, False),
    ("aussen", 403, 403, False),
]


@pytest.mark.parametrize(("person", "draft", "approved", "upload"), ACCESS)
def test_access_matrix(app, client, login, welt, make, person, draft, approved, upload) -> None:
    protokoll = make.protokoll(welt.sitzung)
    login(getattr(welt, person))
    url = f"/protokolle/sitzung/{welt.sitzung.id}"
    response = client.get(url)
    assert response.status_code == draft
    if draft == 200:
        assert ('action="' + url + '/hochladen"' in response.get_data(as_text=True)) == upload
    _approve(protokoll.id)
    assert client.get(url).status_code == approved


def test_public_meeting_minutes_only_when_approved_and_released(app, client, welt, make) -> None:
    oeffentlich = make.vergangene_sitzung(welt.sued, titel="Bürgerforum", oeffentlich=True)
    protokoll = make.protokoll(oeffentlich)
    url = f"/protokolle/sitzung/{oeffentlich.id}"
    assert client.get(url).headers["Location"].startswith("/anmelden")  # not yet approved
    _approve(protokoll.id)
    assert client.get(url).headers["Location"].startswith("/anmelden")  # not yet released
    db.session.get(Protokoll, protokoll.id).oeffentlich = True
    db.session.commit()
    response = client.get(url, follow_redirects=True)
    body = response.get_data(as_text=True)
    assert response.request.path == f"/oeffentlich/protokolle/{oeffentlich.id}"
    assert "Bürgerforum" in body and "Protokoll hochladen" not in body
    assert client.get(f"/protokolle/sitzung/{welt.sitzung.id}").status_code == 302


def test_list_shows_own_meetings_and_public_approved(client, login, welt, make) -> None:
    oeffentlich = make.vergangene_sitzung(welt.sued, titel="Bürgerforum Süd", oeffentlich=True)
    make.protokoll(oeffentlich, freigegeben=True)
    make.vergangene_sitzung(welt.sued, titel="Interne Runde Süd")
    login(welt.mitglied)
    body = client.get("/protokolle/").get_data(as_text=True)
    assert "SAK Nord März" in body and "Bürgerforum Süd" in body
    assert "Interne Runde Süd" not in body and "SAK Süd März" not in body


def test_list_is_kept_apart_per_reader_and_shows_a_new_meeting(client, login, welt, make):
    """The cached list belongs to one reader and ends with the next write."""
    login(welt.mitglied)
    assert "SAK Süd März" not in client.get("/protokolle/").get_data(as_text=True)
    login(welt.sued_moderator)
    assert "SAK Süd März" in client.get("/protokolle/").get_data(as_text=True)
    make.vergangene_sitzung(welt.sued, titel="SAK Süd April")
    assert "SAK Süd April" in client.get("/protokolle/").get_data(as_text=True)
    login(welt.mitglied)
    assert "SAK Süd April" not in client.get("/protokolle/").get_data(as_text=True)
