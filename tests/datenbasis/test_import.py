"""Importing indicator values: all rows or none, German reports naming row and column."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook
from sqlalchemy import func, select

from app.datenbasis.models import Importdatei, Indikatorwert
from app.extensions import db


def _count() -> int:
    return db.session.scalar(select(func.count(Indikatorwert.id)))


def _csv(*lines: str) -> bytes:
    return ("\n".join(["indikator;sozialraum;jahr;wert", *lines]) + "\n").encode()


def _confirm(client, csrf_token, response):
    assert response.status_code == 303, response.get_data(as_text=True)
    preview_url = response.headers["Location"]
    token = csrf_token(client, preview_url)
    return client.post(f"{preview_url}/bestaetigen", data={"csrf_token": token})


def test_one_bad_row_imports_nothing_and_names_the_row(
    client, login, make, stab, raeume, upload
) -> None:
    make.indikator("SGB-II-Quote")
    login(stab)
    response = upload(
        "indikatorwerte",
        _csv(
            "SGB-II-Quote;Bereich A;2023;7,5",
            "SGB-II-Quote;Bereich B;2023;zwölf",
            "SGB-II-Quote;Gesamtstadt;2023;9.1",
        ),
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "es wurde nichts importiert" in body
    assert "<td>3</td><td>wert</td><td>„zwölf“ ist keine Zahl" in body
    assert _count() == 0
    assert db.session.scalar(select(func.count(Importdatei.id))) == 0


def test_valid_file_is_previewed_then_imported(
    client, csrf_token, login, make, stab, raeume, upload
) -> None:
    ind = make.indikator("SGB-II-Quote")
    login(stab)
    response = upload(
        "indikatorwerte",
        _csv(
            "SGB-II-Quote;Bereich A;2023;7,5",
            "sgb-ii-quote;2;2023;1.234,5",
            "SGB-II-Quote;Gesamtstadt;2023;9.1",
        ),
    )
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Jetzt 3 Zeilen importieren" in preview
    assert _count() == 0  # the preview writes nothing
    result = _confirm(client, csrf_token, response)
    assert result.status_code == 303
    rows = db.session.execute(
        select(Indikatorwert.sozialraum_id, Indikatorwert.wert)
        .where(Indikatorwert.indikator_id == ind.id)
        .order_by(Indikatorwert.wert)
    ).all()
    assert rows == [(raeume[0].id, 7.5), (None, 9.1), (raeume[1].id, 1234.5)]


def test_reimport_replaces_values_with_the_same_key(
    client, csrf_token, login, make, stab, raeume, upload
) -> None:
    ind = make.indikator("Quote")
    make.indikatorwert(ind, raeume[0], 2023, 1.0)
    login(stab)
    _confirm(
        client,
        csrf_token,
        upload("indikatorwerte", _csv("Quote;Bereich A;2023;2", "Quote;Bereich A;2024;3")),
    )
    assert sorted(db.session.execute(select(Indikatorwert.jahr, Indikatorwert.wert)).all()) == [
        (2023, 2.0),
        (2024, 3.0),
    ]


def test_confirming_twice_imports_once(
    client, csrf_token, login, make, stab, raeume, upload
) -> None:
    make.indikator("Quote")
    login(stab)
    response = upload("indikatorwerte", _csv("Quote;Bereich A;2023;2"))
    _confirm(client, csrf_token, response)
    again = _confirm(client, csrf_token, response)
    assert again.status_code == 303
    assert "bereits importiert" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert _count() == 1


def test_validation_names_every_problem(client, login, make, stab, raeume, upload) -> None:
    make.indikator("Quote")
    login(stab)
    body = upload(
        "indikatorwerte",
        _csv(
            "Unbekannt;Bereich A;2023;1",
            "Quote;Nirgendwo;2023;1",
            "Quote;Bereich A;zwanzig;1",
            "Quote;Bereich A;2023;",
            "Quote;Bereich B;1800;1",
            "Quote;Bereich C;2023;1",
            "Quote;Bereich C;2023;2",
        ),
    ).get_data(as_text=True)
    for expected in (
        "<td>2</td><td>indikator</td><td>Unbekannter Indikator „Unbekannt“",
        "<td>3</td><td>sozialraum</td><td>Unbekannter Sozialraum „Nirgendwo“",
        "<td>4</td><td>jahr</td><td>„zwanzig“ ist keine Jahreszahl",
        "<td>5</td><td>wert</td><td>Der Wert fehlt.",
        "<td>6</td><td>jahr</td><td>Das Jahr 1800 liegt außerhalb",
        "<td>8</td><td>jahr</td><td>Doppelter Wert: dieselbe Kombination steht schon in Zeile 7.",
    ):
        assert expected in body


def test_missing_column_is_reported(login, make, stab, upload) -> None:
    login(stab)
    response = upload("indikatorwerte", b"indikator;jahr;wert\nQuote;2023;1\n")
    assert response.status_code == 422
    assert "Die Pflichtspalte „sozialraum“ fehlt" in response.get_data(as_text=True)


def test_xlsx_import(client, csrf_token, login, make, stab, raeume, upload) -> None:
    make.indikator("Quote")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Indikator", "Stadtbereich", "Jahr", "Wert"])
    sheet.append(["Quote", "Bereich A", 2022, 4.25])
    sheet.append(["Quote", "Gesamtstadt", 2022.0, 5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    login(stab)
    _confirm(client, csrf_token, upload("indikatorwerte", buffer.getvalue(), "werte.xlsx"))
    assert sorted(db.session.execute(select(Indikatorwert.jahr, Indikatorwert.wert)).all()) == [
        (2022, 4.25),
        (2022, 5.0),
    ]


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notiz.txt", "kein Arbeitsblatt")
    return buffer.getvalue()


BAD_UPLOADS = [
    (b"", "werte.csv", "Die Datei ist leer."),
    (b"%PDF-1.7 irgendwas", "werte.pdf", "Dieser Dateityp wird nicht unterstützt"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "werte.csv", "keine CSV-Textdatei"),
    (
        "indikator;sozialraum;jahr;wert\nQuote;Süd;2023;1\n".encode("cp1252"),
        "werte.csv",
        "nicht UTF-8-kodiert",
    ),
    (b"indikator;sozialraum;jahr;wert\n", "werte.csv", "keine Datenzeilen"),
    (b"das ist keine excel-datei", "werte.xlsx", "keine gültige Excel-Datei"),
    (b"PK\x03\x04kaputt", "werte.xlsx", "beschädigt"),
    (_zip_without_workbook(), "werte.xlsx", "beschädigt"),
    (
        b'indikator;sozialraum;jahr;wert\n"' + b"x" * 200_000,  # unclosed quote
        "werte.csv",
        "fehlerhaft aufgebaut",
    ),
]


def test_bad_uploads_get_a_german_message_and_4xx(login, make, stab, upload) -> None:
    login(stab)
    for content, filename, message in BAD_UPLOADS:
        response = upload("indikatorwerte", content, filename)
        assert 400 <= response.status_code < 500, (filename, response.status_code)
        assert message in response.get_data(as_text=True), filename
    assert _count() == 0


def test_missing_file_is_400(client, csrf_token, login, stab) -> None:
    login(stab)
    token = csrf_token(client, "/datenbasis/import/indikatorwerte")
    response = client.post("/datenbasis/import/indikatorwerte", data={"csrf_token": token})
    assert response.status_code == 400
    assert "Bitte wählen Sie eine Datei aus." in response.get_data(as_text=True)


def test_unknown_import_kind_is_404(client, login, stab) -> None:
    login(stab)
    assert client.get("/datenbasis/import/unfug").status_code == 404
