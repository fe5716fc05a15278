"""The meeting pack: cover, agenda, the TOPs' PDFs in order, outline, "Seite x von y" on every
page; other and unreadable documents listed, never a 500; who may download it; no N+1."""

from __future__ import annotations

import io
import secrets
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from werkzeug.datastructures import FileStorage

from app.dateien.models import Datei
from app.dateien.services import PDF, store_upload
from app.extensions import db
from app.sitzungen import mappe, services
from app.sitzungen.blueprint import agenda_tops
from app.sitzungen.models import Sitzung
from app.stammdaten.models import Funktion, GremiumTyp
from tests.support.dateien import MINIMAL_DOCX, text_pdf, verschluesseltes_pdf

BEGINN = datetime(2027, 2, 25, 17, 0, tzinfo=UTC)  # Donnerstag, 18:00 in Hilden


def _hochladen(top, name: str, data: bytes) -> Datei:
    """A document through the real upload checks, attached to ``top``."""
    datei = store_upload(FileStorage(io.BytesIO(data), filename=name))
    services.attach_datei(top, datei)
    db.session.commit()
    return datei


def _ablegen(top, upload_dir: Path, name: str, data: bytes, content_type: str = PDF) -> Datei:
    """A stored document the upload checks would refuse today (older upload, damaged file)."""
    stored = secrets.token_hex(32)
    upload_dir.mkdir(parents=True, exist_ok=True)
    (upload_dir / stored).write_bytes(data)
    datei = Datei(
        original_name=name,
        stored_name=stored,
        content_type=content_type,
        size=len(data),
        sha256=secrets.token_hex(32),
    )
    db.session.add(datei)
    services.attach_datei(top, datei)
    db.session.commit()
    return datei


@pytest.fixture
def traeger(make):
    gremium = make.gremium(GremiumTyp.TRAEGERRUNDE, name="Trägerrunde Süd")
    vorsitz = make.user(name="Vera Vorsitz")
    make.mitgliedschaft(gremium, vorsitz, Funktion.VORSITZ)
    mitglied = make.user(name="Martin Mitglied")
    make.mitgliedschaft(gremium, mitglied)
    return gremium, vorsitz, mitglied


@pytest.fixture
def sitzung(ctx, make, traeger, upload_dir):
    gremium = traeger[0]
    sitzung = make.sitzung(
        gremium,
        titel="Trägerrunde im Februar",
        beginn=BEGINN,
        ort_name="Rathaus Hilden",
        ort_raum="Ratssaal",
        ort_adresse="Am Rathaus 1, 40721 Hilden",
    )
    bericht = make.top(sitzung, "Bericht der Sozialplanung", beschreibung="Zeile eins\nZeile zwei")
    _hochladen(bericht, "bericht.pdf", text_pdf("ANLAGE-A-1", "ANLAGE-A-2"))
    sonstiges = make.top(sitzung, "Unterlagen in anderen Formaten")
    _hochladen(sonstiges, "liste.docx", MINIMAL_DOCX)
    _ablegen(sonstiges, upload_dir, "kaputt.pdf", b"%PDF-1.4\nkein echtes PDF")
    _ablegen(sonstiges, upload_dir, "geheim.pdf", verschluesseltes_pdf())
    anfragen = make.top(sitzung, "Anfragen")
    _hochladen(anfragen, "antrag.pdf", text_pdf("ANLAGE-B"))
    make.top(sitzung, "Verschiedenes")
    return sitzung


def _pack(sitzung: Sitzung) -> mappe.Mappe:
    fresh = db.session.get(Sitzung, sitzung.id)
    return mappe.erstellen(fresh, agenda_tops(fresh))


def _texte(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def _gliederung(reader: PdfReader, eintraege=None) -> list:
    """The outline as [(title, page index), [children…], …]."""
    result = []
    for eintrag in reader.outline if eintraege is None else eintraege:
        if isinstance(eintrag, list):
            result.append(_gliederung(reader, eintrag))
        else:
            result.append((eintrag.title, reader.get_destination_page_number(eintrag)))
    return result


def test_pages_in_order_numbered_with_outline(ctx, sitzung) -> None:
    ergebnis = _pack(sitzung)
    texte = _texte(ergebnis.pdf)

    assert ergebnis.seiten == len(texte) == 5
    for nummer, text in enumerate(texte, 1):
        assert f"Seite {nummer} von 5" in text
    deckblatt, agenda, a1, a2, b = texte
    assert "Sitzungsmappe" in deckblatt and "Trägerrunde Süd" in deckblatt
    assert "hiermit laden wir Sie zur folgenden Sitzung ein" in deckblatt
    assert "Donnerstag, 25. Februar 2027, 18:00 bis 20:00 Uhr" in deckblatt
    assert "Rathaus Hilden" in deckblatt and "Raum: Ratssaal" in deckblatt
    assert "Am Rathaus 1, 40721 Hilden" in deckblatt
    assert agenda.index("TOP 1: Bericht der Sozialplanung") < agenda.index("TOP 4: Verschiedenes")
    assert "Zeile eins Zeile zwei" in agenda
    assert "Anlage: bericht.pdf (Seite 3–4)" in agenda
    assert "Anlage: antrag.pdf (Seite 5)" in agenda
    assert "nicht enthalten: liste.docx (Word-Datei, kein PDF)" in agenda
    assert "nicht enthalten: kaputt.pdf (PDF nicht lesbar)" in agenda
    assert "nicht enthalten: geheim.pdf (verschlüsselt)" in agenda
    assert ("ANLAGE-A-1" in a1, "ANLAGE-A-2" in a2, "ANLAGE-B" in b) == (True, True, True)
    assert [a.name for a in ergebnis.fehlend] == ["liste.docx", "kaputt.pdf", "geheim.pdf"]

    reader = PdfReader(io.BytesIO(ergebnis.pdf))
    assert _gliederung(reader) == [
        ("Einladung", 0),
        ("Tagesordnung", 1),
        ("TOP 1: Bericht der Sozialplanung", 2),
        [("bericht.pdf", 2)],
        ("TOP 2: Unterlagen in anderen Formaten", 1),
        ("TOP 3: Anfragen", 4),
        [("antrag.pdf", 4)],
        ("TOP 4: Verschiedenes", 1),
    ]
    assert reader.metadata.title.startswith("Sitzungsmappe: Trägerrunde Süd")


def test_rotated_and_odd_sized_pages_keep_content_and_get_numbers(ctx, sitzung) -> None:
    writer = PdfWriter(clone_from=io.BytesIO(text_pdf("QUER-90", "KOPF-180", "QUER-270")))
    for seite, drehung in zip(writer.pages, (90, 180, 270), strict=True):
        seite.rotation = drehung
    writer.add_blank_page(width=300, height=200)  # no content stream at all
    buffer = io.BytesIO()
    writer.write(buffer)
    top = db.session.get(Sitzung, sitzung.id).tagesordnungspunkte[-1]
    assert top.titel == "Verschiedenes"
    _hochladen(top, "gedreht.pdf", buffer.getvalue())

    texte = _texte(_pack(sitzung).pdf)

    assert len(texte) == 9
    assert [t.count("Seite") for t in texte[5:]] == [1, 1, 1, 1]
    inhalte = ("QUER-90", "KOPF-180", "QUER-270", "")
    for nummer, text, inhalt in zip(range(6, 10), texte[5:], inhalte, strict=True):
        assert f"Seite {nummer} von 9" in text and inhalt in text


def test_built_once_per_version(ctx, sitzung, monkeypatch) -> None:
    gebaut = []
    original = mappe._bauen
    monkeypatch.setattr(mappe, "_bauen", lambda s, t: gebaut.append(1) or original(s, t))
    erste = _pack(sitzung)
    assert _pack(sitzung) is erste and len(gebaut) == 1
    fresh = db.session.get(Sitzung, sitzung.id)
    fresh.tagesordnungspunkte[-1].titel = "Verschiedenes und Termine"
    db.session.commit()
    assert "TOP 4: Verschiedenes und Termine" in _texte(_pack(sitzung).pdf)[1]
    assert len(gebaut) == 2


def test_empty_agenda_and_online_meeting(ctx, make, traeger) -> None:
    sitzung = make.sitzung(
        traeger[0], beginn=BEGINN, ort_name=None, online_link="https://konferenz.example/raum"
    )
    texte = _texte(_pack(sitzung).pdf)
    assert "https://konferenz.example/raum" in texte[0]
    assert "Die Tagesordnung ist noch leer." in texte[-1]
    assert texte[-1].endswith(f"Seite {len(texte)} von {len(texte)}")


# --------------------------------------------------------------------------- download


URL = "/sitzungen/{}/sitzungsmappe.pdf"


def test_member_downloads_the_pack_from_the_meeting_page(client, login, sitzung, traeger) -> None:
    login(traeger[2])
    seite = client.get(f"/sitzungen/{sitzung.id}").get_data(as_text=True)
    assert f'href="{URL.format(sitzung.id)}" download>Sitzungsmappe (PDF) herunterladen' in seite
    # an estimate from the agenda alone: which PDFs cannot be read shows only the pack itself
    assert "Einladung, Tagesordnung und 4 PDF-Anlagen mit Seitenzahlen, etwa" in seite
    assert "nicht enthalten: 1 Anlage in anderem Format" in seite

    response = client.get(URL.format(sitzung.id))

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="sitzungsmappe-traegerrunde-sued-2027-02-25.pdf"'
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Seite 1 von 5" in _texte(response.data)[0]


def test_outsiders_get_403_or_404(client, login, make, sitzung) -> None:
    assert client.get(URL.format(sitzung.id)).status_code == 302  # to the login
    login(make.user(name="Otto Außen"))
    seite = client.get(f"/sitzungen/{sitzung.id}")
    assert seite.status_code == 403
    assert "Sitzungsmappe" not in seite.get_data(as_text=True)
    assert client.get(URL.format(sitzung.id)).status_code == 403
    assert client.get(URL.format(sitzung.id + 10_000)).status_code == 404
    assert client.get(URL.format("12345678901234567890")).status_code == 404


def test_public_meeting_and_invitees_may_download(client, login, make, sitzung) -> None:
    gast = make.user(name="Gisela Gast")
    make.einladung(sitzung, gast)
    login(gast)
    assert client.get(URL.format(sitzung.id)).status_code == 200
    fresh = db.session.get(Sitzung, sitzung.id)
    fresh.oeffentlich = True
    db.session.commit()
    login(make.user(name="Petra Public"))
    assert client.get(URL.format(sitzung.id)).status_code == 200


def test_reply_link_downloads_without_login(app, client, make, sitzung) -> None:
    einladung = make.einladung(sitzung, None, email="gast@extern.example")
    with app.test_request_context():
        token = services.reply_token(einladung)
    seite = client.get(f"/sitzungen/antwort/{token}").get_data(as_text=True)
    link = f"/sitzungen/antwort/{token}/sitzungsmappe.pdf"
    assert f'href="{link}" download>Sitzungsmappe (PDF) herunterladen' in seite
    response = client.get(link)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert client.get(f"/sitzungen/antwort/{token}x/sitzungsmappe.pdf").status_code == 400


def test_download_queries_do_not_grow_with_documents(
    ctx, client, login, make, traeger, query_counter
) -> None:
    login(traeger[1])
    gezaehlt = []
    for tops, dateien in ((1, 1), (4, 3)):
        sitzung = make.sitzung(traeger[0], beginn=BEGINN)
        for t in range(tops):
            top = make.top(sitzung, f"Punkt {t}")
            for d in range(dateien):
                _hochladen(top, f"anlage-{t}-{d}.pdf", text_pdf(f"T{t}D{d}"))
        client.get(URL.format(sitzung.id))  # warm-up (login session)
        db.session.close()
        with query_counter() as statements:
            response = client.get(URL.format(sitzung.id))
        assert response.status_code == 200
        gezaehlt.append(len(statements))
    assert gezaehlt[0] == gezaehlt[1] <= 8


def test_option_in_the_meeting_form(client, login, sitzung, traeger, csrf_token) -> None:
    login(traeger[1])
    url = f"/sitzungen/{sitzung.id}/bearbeiten"
    seite = client.get(url).get_data(as_text=True)
    assert "Sitzungsmappe der Einladung als PDF beifügen" in seite
    daten = {
        "csrf_token": csrf_token(client, url),
        "titel": "Trägerrunde im Februar",
        "beginn": "2027-02-25T18:00",
        "ende": "2027-02-25T20:00",
        "ort_name": "Rathaus Hilden",
        "erinnerung_tage": "3",
        "erinnerung_an": "offene",
        "zyklus_id": "",
        "phase": "",
        "mappe_beifuegen": "y",
    }
    assert client.post(url, data=daten).status_code == 303
    assert db.session.get(Sitzung, sitzung.id, populate_existing=True).mappe_beifuegen
