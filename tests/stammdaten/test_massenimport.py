"""Bulk import of people, organisations and memberships: preview, all or nothing, idempotent."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, update

from app.auth.models import User
from app.extensions import db
from app.mail.models import Mail
from app.stammdaten.models import Funktion, Gremium, GremiumTyp, Mitgliedschaft, Organisation

URL = "/stammdaten/import"
HEADER = "Name;E-Mail;Organisation;Gremium;Funktion;Kurzname;Art"
BEISPIEL = Path(__file__).resolve().parents[2] / "static" / "beispiele" / "stammdaten_import.csv"


@pytest.fixture(autouse=True)
def _uploads(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))


@pytest.fixture
def runde(make):
    return make.gremium(GremiumTyp.TRAEGERRUNDE, name="Trägerrunde")


def _csv(zeilen: list[str], encoding: str = "cp1252") -> bytes:
    return ("\r\n".join([HEADER, *zeilen]) + "\r\n").encode(encoding)


def _dreissig() -> list[str]:
    """30 people of three Träger, umlauts included (Windows-1252 in the file)."""
    return [
        f"Jürgen Müßig {i};person{i}@träger.example;Diakonie Süd {i % 3};Trägerrunde;"
        f"{'Vorsitz' if i == 0 else 'Mitglied'};DS{i % 3};Träger"
        for i in range(30)
    ]


def _hidden(body: str) -> dict[str, str]:
    return dict(
        re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"', body)
    ) | {
        name: value
        for value, name in re.findall(
            r'<input[^>]*type="hidden"[^>]*value="([^"]*)"[^>]*name="([^"]+)"', body
        )
    }


def _upload(client, csrf_token, data: bytes, name: str = "liste.csv"):
    token = csrf_token(client, URL)
    return client.post(
        URL,
        data={"csrf_token": token, "datei": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _confirm(client, preview, einladen: bool = False):
    fields = _hidden(preview.get_data(as_text=True))
    assert fields.get("referenz"), "keine Referenz auf die Datei in der Vorschau"
    if einladen:
        fields["einladen"] = "y"
    return client.post(f"{URL}/bestaetigen", data=fields)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _invitations() -> int:
    return db.session.scalar(select(func.count()).where(Mail.kind == "konto.einladung"))


def test_thirty_people_from_cp1252_csv(stab_client, csrf_token, runde) -> None:
    preview = _upload(stab_client, csrf_token, _csv(_dreissig()))
    body = preview.get_data(as_text=True)
    assert preview.status_code == 200, body
    assert "Windows-1252" in body
    assert "Jürgen Müßig 7" in body
    assert "wird angelegt" in body
    users_before = _count(User)
    response = _confirm(stab_client, preview)
    assert response.status_code == 303
    db.session.expire_all()
    assert _count(User) == users_before + 30
    assert (
        db.session.scalar(select(func.count()).where(Organisation.name.like("Diakonie Süd %"))) == 3
    )
    seats = db.session.scalars(select(Mitgliedschaft).where(Mitgliedschaft.gremium_id == runde.id))
    funktionen = sorted(m.funktion for m in seats)
    assert len(funktionen) == 30 and funktionen.count(Funktion.VORSITZ) == 1
    person = db.session.scalar(select(User).where(User.email == "person5@träger.example"))
    assert person.name == "Jürgen Müßig 5" and person.organisation.name == "Diakonie Süd 2"
    assert _invitations() == 0  # not asked for
    follow = stab_client.get(URL).get_data(as_text=True)
    assert "30 Personen, 3 Organisationen und 30 Mitgliedschaften angelegt" in follow


def test_xlsx_import_with_invitations_links_existing(stab_client, csrf_token, runde, make) -> None:
    awo = make.organisation(name="AWO Hilden")
    bekannt = make.user(email="bekannt@awo.example", name="Bea Bekannt", organisation=awo)
    book = Workbook()
    sheet = book.active
    sheet.append(["NAME", "e-mail", "Organisation", "Gremium", "Funktion"])
    sheet.append(["Bea Bekannt", "Bekannt@AWO.example", "awo hilden", "Trägerrunde", "Moderation"])
    sheet.append(["Nora Neu", "nora@awo.example", "AWO Hilden", "Trägerrunde", "Mitglied"])
    sheet.append(["Olaf Ohne", "olaf@stadt.example", None, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = _upload(stab_client, csrf_token, buffer.getvalue(), "liste.xlsx")
    body = preview.get_data(as_text=True)
    assert preview.status_code == 200, body
    assert "Vorhandene Person Bea Bekannt wird verknüpft" in body
    orgs_before = _count(Organisation)
    assert _confirm(stab_client, preview, einladen=True).status_code == 303
    db.session.expire_all()
    assert _count(Organisation) == orgs_before  # linked by name, case ignored
    assert db.session.scalar(select(func.count()).where(User.email == "bekannt@awo.example")) == 1
    seat = db.session.scalar(select(Mitgliedschaft).where(Mitgliedschaft.user_id == bekannt.id))
    assert seat.funktion == Funktion.MODERATION
    nora = db.session.scalar(select(User).where(User.email == "nora@awo.example"))
    assert nora.organisation_id == awo.id and nora.password_hash is None
    recipients = set(
        db.session.scalars(select(Mail.recipient).where(Mail.kind == "konto.einladung"))
    )
    assert recipients == {"nora@awo.example", "olaf@stadt.example"}  # only the new people


def test_one_bad_row_stores_nothing(stab_client, csrf_token, runde) -> None:
    zeilen = _dreissig()[:8]
    zeilen[5] = "Ohne Adresse;;Diakonie Süd 0;Trägerrunde;Mitglied;;"  # row 7 of the file
    zeilen[2] = "Gisela Gremium;gisela@x.example;;Unbekannter Kreis;Mitglied;;"
    zeilen[3] = "Fritz Funktion;fritz@x.example;;Trägerrunde;Kassenwart;;"
    users_before, orgs_before = _count(User), _count(Organisation)
    preview = _upload(stab_client, csrf_token, _csv(zeilen))
    body = preview.get_data(as_text=True)
    assert preview.status_code == 422
    assert "Zeile 7: E-Mail-Adresse fehlt." in body
    assert "Zeile 4: Gremium „Unbekannter Kreis“ ist unbekannt." in body
    assert "Zeile 5: Funktion „Kassenwart“ ist unbekannt" in body
    assert "3 Zeilen sind fehlerhaft" in body
    assert "es wird nichts gespeichert" in body
    assert 'name="referenz"' not in body  # no way to confirm
    db.session.expire_all()
    assert (_count(User), _count(Organisation)) == (users_before, orgs_before)


def test_conflict_found_at_confirmation_stores_nothing(
    stab_client, csrf_token, runde, make
) -> None:
    """The database changed after the preview: the confirmation refuses the whole file."""
    preview = _upload(stab_client, csrf_token, _csv(_dreissig()[:5]))
    assert preview.status_code == 200
    db.session.execute(update(Gremium).where(Gremium.id == runde.id).values(aktiv=False))
    db.session.commit()
    users_before = _count(User)
    response = _confirm(stab_client, preview, einladen=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Der Import wurde abgebrochen – es wurde nichts gespeichert" in body
    assert "Das Gremium „Trägerrunde“ ist deaktiviert." in body
    db.session.expire_all()
    assert _count(User) == users_before and _invitations() == 0


def test_reimport_changes_nothing(stab_client, csrf_token, runde) -> None:
    data = _csv(_dreissig()[:6])
    assert _confirm(stab_client, _upload(stab_client, csrf_token, data)).status_code == 303
    db.session.expire_all()
    counts = (_count(User), _count(Organisation), _count(Mitgliedschaft))
    preview = _upload(stab_client, csrf_token, data)
    body = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "wird angelegt" not in body and "bleibt unverändert" in body
    assert _confirm(stab_client, preview, einladen=True).status_code == 303
    db.session.expire_all()
    assert (_count(User), _count(Organisation), _count(Mitgliedschaft)) == counts
    assert _invitations() == 0


def test_duplicate_email_in_file(stab_client, csrf_token, runde, make) -> None:
    zweiter = make.gremium(GremiumTyp.PLANUNGSRUNDE, name="Planungsrunde")
    zeilen = [
        "Anna A;anna@x.example;;Trägerrunde;Mitglied;;",
        "Anna A;anna@x.example;;Planungsrunde;Gast;;",  # same person, another Gremium: fine
        "Anna A;ANNA@x.example;;Trägerrunde;Vorsitz;;",
        "Andere Anna;anna@x.example;;;;;",
    ]
    preview = _upload(stab_client, csrf_token, _csv(zeilen, "utf-8-sig"))
    body = preview.get_data(as_text=True)
    assert preview.status_code == 422
    assert "UTF-8 mit BOM" in body
    assert "Zeile 4: Die E-Mail-Adresse anna@x.example steht bereits in Zeile 2" in body
    assert "Zeile 5: Die E-Mail-Adresse anna@x.example steht bereits in Zeile 2 mit anderem" in body
    assert "Zeile 3:" not in body
    assert zweiter.id


def test_unreadable_file_and_missing_column(stab_client, csrf_token) -> None:
    response = _upload(stab_client, csrf_token, b"Name;Gremium\r\nA;B\r\n")
    assert response.status_code == 400
    assert "Der Datei fehlt die Spalte E-Mail." in response.get_data(as_text=True)
    response = _upload(stab_client, csrf_token, b"%PDF-1.4", "liste.pdf")
    assert response.status_code == 415
    response = stab_client.post(f"{URL}/bestaetigen", data={"referenz": "gefälscht"})
    assert response.status_code in (303, 400, 410)


def test_forged_or_foreign_reference_is_refused(
    app, stab_client, csrf_token, runde, make, login
) -> None:
    preview = _upload(stab_client, csrf_token, _csv(_dreissig()[:2]))
    fields = _hidden(preview.get_data(as_text=True))
    fields["referenz"] = fields["referenz"][:-3] + "xyz"
    response = stab_client.post(f"{URL}/bestaetigen", data=fields)
    assert response.status_code == 410
    assert "Bitte laden Sie die Datei erneut hoch" in response.get_data(as_text=True)
    db.session.expire_all()
    assert (
        db.session.scalar(select(func.count()).where(User.email.like("person%@träger.example")))
        == 0
    )


def test_non_stabsstelle_gets_403(client, login, make, csrf_token) -> None:
    """A Träger account gets 403 on the page and on both posts, even with a valid CSRF token."""
    login(make.traeger_user())
    assert client.get(URL).status_code == 403
    token = csrf_token(client, "/start")
    data = {"csrf_token": token, "datei": (io.BytesIO(_csv(_dreissig()[:2])), "liste.csv")}
    assert client.post(URL, data=data, content_type="multipart/form-data").status_code == 403
    response = client.post(f"{URL}/bestaetigen", data={"csrf_token": token, "referenz": "x"})
    assert response.status_code == 403


def test_preview_query_count_independent_of_rows(
    stab_client, csrf_token, runde, make, query_counter
) -> None:
    for i in range(30):  # half of them exist already and are members
        user = make.user(email=f"person{i}@träger.example")
        if i % 2:
            make.mitgliedschaft(runde, user)

    def count(n: int) -> int:
        data = _csv(_dreissig()[:n])
        token = csrf_token(stab_client, URL)
        db.session.close()
        with query_counter() as statements:
            response = stab_client.post(
                URL,
                data={"csrf_token": token, "datei": (io.BytesIO(data), "liste.csv")},
                content_type="multipart/form-data",
            )
        assert response.status_code == 200
        return len(statements)

    count(2)  # warm-up
    few, many = count(3), count(30)
    assert many <= few + 2, f"{few} Abfragen bei 3 Zeilen, {many} bei 30"


def test_example_file_is_linked_and_valid(stab_client, csrf_token, make) -> None:
    make.gremium(GremiumTyp.TRAEGERRUNDE, name="Trägerrunde Dezernat III")
    page = stab_client.get(URL).get_data(as_text=True)
    assert "Beispieldatei" in page and "beispiele/stammdaten_import.csv" in page
    preview = _upload(stab_client, csrf_token, BEISPIEL.read_bytes(), "beispiel.csv")
    assert preview.status_code == 200, preview.get_data(as_text=True)
