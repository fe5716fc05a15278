"""Importing indicator values: a job checked and imported by the worker, all rows or none,
German reports naming row and column, German numbers read right, cp1252 files accepted."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook
from sqlalchemy import func, select

from app.datenbasis.models import Importdatei, ImportStatus, Indikatorwert
from app.extensions import db
from tests.datenbasis.conftest import job_id


def _count() -> int:
    return db.session.scalar(select(func.count(Indikatorwert.id)))


def _csv(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join(["indikator;sozialraum;jahr;wert", *lines]) + "\n").encode(encoding)


def _job(datei_id: int) -> Importdatei:
    return db.session.get(Importdatei, datei_id, populate_existing=True)


def _values(ind) -> dict[tuple[int | None, int], float | None]:
    return {
        (raum, jahr): wert
        for raum, jahr, wert in db.session.execute(
            select(Indikatorwert.sozialraum_id, Indikatorwert.jahr, Indikatorwert.wert).where(
                Indikatorwert.indikator_id == ind.id
            )
        )
    }


def test_upload_only_stores_the_file_and_the_job_page_shows_progress(
    client, login, make, stab, raeume, upload
) -> None:
    make.indikator("Quote")
    login(stab)
    response = upload("indikatorwerte", _csv("Quote;Bereich A;2023;7,5"))
    datei = _job(job_id(response))
    assert datei.status == ImportStatus.PRUEFUNG and datei.zeilen_gelesen == 0
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Die Datei wird geprüft" in page
    assert '<progress id="fortschritt-balken"' in page
    assert "Zeilen gelesen:" in page and "Fehler bisher:" in page
    assert "js/importfortschritt.js" in page
    stand = client.get(f"{response.headers['Location']}/stand").get_json()
    assert stand == {
        "status": "pruefung",
        "status_text": "wird geprüft",
        "laeuft": True,
        "zeilen": 0,
        "geschaetzt": None,
        "fehler": 0,
    }
    assert _count() == 0


def test_one_bad_row_imports_nothing_and_names_the_row(
    client, login, make, stab, raeume, upload, jobs
) -> None:
    make.indikator("SGB-II-Quote")
    login(stab)
    response = upload(
        "indikatorwerte",
        _csv(
            "SGB-II-Quote;Bereich A;2023;7,5",
            "SGB-II-Quote;Bereich B;2023;zwölf",
            "SGB-II-Quote;Gesamtstadt;2023;9,1",
        ),
    )
    datei_id = jobs.check(response)
    assert _job(datei_id).status == ImportStatus.FEHLERHAFT
    assert _job(datei_id).fehler_bisher == 1
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Prüfbericht: 1 Fehler – es wurde nichts importiert" in body
    assert "<td>3</td><td>wert</td><td>„zwölf“ ist keine Zahl" in body
    assert "Jetzt" not in body  # no confirmation button
    assert _count() == 0


def test_valid_file_is_previewed_with_parsed_values_then_imported(
    client, login, make, stab, raeume, upload, jobs, confirm
) -> None:
    ind = make.indikator("SGB-II-Quote")
    login(stab)
    response = upload(
        "indikatorwerte",
        _csv(
            "SGB-II-Quote;Bereich A;2023;7,5",
            "sgb-ii-quote;2;2023;1.234,5",
            "SGB-II-Quote;Gesamtstadt;2023;12.534",
            "SGB-II-Quote;Bereich C;2023;-",
        ),
    )
    datei_id = jobs.check(response)
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Jetzt 4 Zeilen importieren" in preview
    assert '<th scope="col">wert</th><th scope="col">Wert gelesen als</th>' in preview
    assert "<td>7,5</td><td>7,5</td>" in preview
    assert "<td>1.234,5</td><td>1.234,5</td>" in preview
    assert "<td>12.534</td><td>12.534</td>" in preview
    assert "<td>-</td><td>keine Angabe</td>" in preview
    assert "Dateiformat</dt><dd>UTF-8</dd>" in preview
    assert _count() == 0  # the check writes nothing
    result = confirm(datei_id)
    assert result.status_code == 303
    assert _job(datei_id).status == ImportStatus.IMPORTIERT
    assert _values(ind) == {
        (raeume[0].id, 2023): 7.5,
        (raeume[1].id, 2023): 1234.5,
        (None, 2023): 12534.0,
        (raeume[2].id, 2023): None,
    }
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Diese Datei wurde am" in done and "importiert" in done
    assert "ohne Wert („keine Angabe“: -, ., x, … oder leer)</dt><dd>1</dd>" in done


def test_thousands_dots_are_thousands_and_english_numbers_are_refused(
    client, login, make, stab, raeume, upload, jobs, confirm
) -> None:
    ind = make.indikator("Einwohner")
    login(stab)
    ok = upload(
        "indikatorwerte",
        _csv(
            "Einwohner;Bereich A;2021;12.534",
            "Einwohner;Bereich A;2022;1.234",
            "Einwohner;Bereich A;2023;10.050",
            "Einwohner;Gesamtstadt;2023;100.000",
        ),
    )
    confirm(jobs.check(ok))
    assert _values(ind) == {
        (raeume[0].id, 2021): 12534.0,
        (raeume[0].id, 2022): 1234.0,
        (raeume[0].id, 2023): 10050.0,
        (None, 2023): 100000.0,
    }
    english = upload("indikatorwerte", _csv("Einwohner;Bereich B;2023;1,234.5"))
    jobs.check(english)
    body = client.get(english.headers["Location"]).get_data(as_text=True)
    assert "„1,234.5“ ist keine Zahl in deutscher Schreibweise" in body
    assert "Gemeint ist vielleicht" in body and "„1.234,5“" in body


def test_missing_value_signs_are_kept_as_keine_angabe_and_counted(
    client, login, make, stab, raeume, upload, jobs, confirm
) -> None:
    ind = make.indikator("Quote")
    make.indikatorwert(ind, raeume[0], 2019, 4.0)  # replaced by "keine Angabe"
    login(stab)
    signs = ["-", ".", "x", "…", "", "–", "/"]
    lines = [f"Quote;Bereich A;{2019 + i};{sign}" for i, sign in enumerate(signs)]
    response = upload("indikatorwerte", _csv(*lines, "Quote;Bereich B;2019;3"))
    datei_id = jobs.check(response)
    assert _job(datei_id).status == ImportStatus.BEREIT
    assert _job(datei_id).bericht["keine_angabe"] == len(signs)
    confirm(datei_id)
    values = _values(ind)
    assert [values[(raeume[0].id, 2019 + i)] for i in range(len(signs))] == [None] * len(signs)
    assert values[(raeume[1].id, 2019)] == 3.0
    detail = client.get(f"/datenbasis/indikatoren/{ind.id}").get_data(as_text=True)
    assert "keine Angabe" in detail


def test_cp1252_file_from_german_excel_is_read_and_named(
    client, login, make, stab, upload, jobs, confirm
) -> None:
    sued = make.sozialraum(name="Süd", nummer=4)
    ind = make.indikator("Ausgaben je Einwohner (€)")
    login(stab)
    content = _csv(
        "Ausgaben je Einwohner (€);Süd;2023;1.234,5",
        "Ausgaben je Einwohner (€);Gesamtstadt;2023;987,25",
        encoding="cp1252",
    )
    assert b"\x80" in content and b"\xfc" in content  # € and ü as Windows-1252 writes them
    datei_id = jobs.check(upload("indikatorwerte", content))
    preview = client.get(f"/datenbasis/import/datei/{datei_id}").get_data(as_text=True)
    assert "Windows-1252 (Excel „CSV (Trennzeichen-getrennt)“)" in preview
    assert "<td>Süd</td>" in preview
    confirm(datei_id)
    assert _values(ind) == {(sued.id, 2023): 1234.5, (None, 2023): 987.25}


def test_utf8_with_bom_and_latin9_are_named(client, login, make, stab, raeume, upload, jobs):
    make.indikator("Quote")
    login(stab)
    for content, name in (
        (b"\xef\xbb\xbf" + _csv("Quote;Bereich A;2023;1"), "UTF-8 mit BOM"),
        (_csv("Quote;Bereich A;2023;1 €").replace("€".encode(), b"\xa4"), "ISO-8859-15"),
    ):
        datei_id = jobs.check(upload("indikatorwerte", content))
        assert _job(datei_id).kodierung.startswith(name)


def test_reimport_replaces_values_with_the_same_key(
    client, login, make, stab, raeume, upload, jobs, confirm
) -> None:
    ind = make.indikator("Quote")
    make.indikatorwert(ind, raeume[0], 2023, 1.0)
    login(stab)
    datei_id = jobs.check(
        upload("indikatorwerte", _csv("Quote;Bereich A;2023;2", "Quote;Bereich A;2024;3"))
    )
    assert "davon ersetzen vorhandene Daten</dt><dd>1</dd>" in client.get(
        f"/datenbasis/import/datei/{datei_id}"
    ).get_data(as_text=True)
    confirm(datei_id)
    assert sorted(db.session.execute(select(Indikatorwert.jahr, Indikatorwert.wert)).all()) == [
        (2023, 2.0),
        (2024, 3.0),
    ]


def test_confirming_twice_imports_once(
    client, csrf_token, login, make, stab, raeume, upload, jobs
) -> None:
    make.indikator("Quote")
    login(stab)
    datei_id = jobs.check(upload("indikatorwerte", _csv("Quote;Bereich A;2023;2")))
    url = f"/datenbasis/import/datei/{datei_id}"
    token = csrf_token(client, url)
    first = client.post(f"{url}/bestaetigen", data={"csrf_token": token})
    again = client.post(f"{url}/bestaetigen", data={"csrf_token": token})
    assert first.status_code == again.status_code == 303
    assert "wird bereits importiert" in client.get(url).get_data(as_text=True)
    assert jobs.run_import(datei_id) == "importiert"
    assert jobs.run_import(datei_id) == "skipped"  # a redelivered task writes nothing
    client.post(f"{url}/bestaetigen", data={"csrf_token": token})
    assert "bereits importiert" in client.get(url).get_data(as_text=True)
    assert _count() == 1


def test_import_checks_again_when_the_catalogue_changed(
    client, login, make, stab, raeume, upload, jobs, confirm
) -> None:
    ind = make.indikator("Quote")
    login(stab)
    datei_id = jobs.check(upload("indikatorwerte", _csv("Quote;Bereich A;2023;2")))
    db.session.delete(ind)
    db.session.commit()
    confirm(datei_id)
    assert _job(datei_id).status == ImportStatus.FEHLERHAFT
    assert "Unbekannter Indikator „Quote“" in client.get(
        f"/datenbasis/import/datei/{datei_id}"
    ).get_data(as_text=True)
    assert _count() == 0


def test_validation_names_every_problem(client, login, make, stab, raeume, upload, jobs) -> None:
    make.indikator("Quote")
    login(stab)
    response = upload(
        "indikatorwerte",
        _csv(
            "Unbekannt;Bereich A;2023;1",
            "Quote;Nirgendwo;2023;1",
            "Quote;Bereich A;zwanzig;1",
            "Quote;Bereich A;2023;9.1",
            "Quote;Bereich B;1800;1",
            "Quote;Bereich C;2023;1",
            "Quote;Bereich C;2023;2",
        ),
    )
    jobs.check(response)
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    for expected in (
        "<td>2</td><td>indikator</td><td>Unbekannter Indikator „Unbekannt“",
        "<td>3</td><td>sozialraum</td><td>Unbekannter Sozialraum „Nirgendwo“",
        "<td>4</td><td>jahr</td><td>„zwanzig“ ist keine Jahreszahl",
        "<td>5</td><td>wert</td><td>„9.1“ ist keine Zahl in deutscher Schreibweise",
        "<td>6</td><td>jahr</td><td>Das Jahr 1800 liegt außerhalb",
        "<td>8</td><td>jahr</td><td>Doppelter Wert: dieselbe Kombination steht schon in Zeile 7.",
    ):
        assert expected in body


def test_missing_column_is_reported(client, login, make, stab, upload, jobs) -> None:
    login(stab)
    response = upload("indikatorwerte", b"indikator;jahr;wert\nQuote;2023;1\n")
    jobs.check(response)
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Die Pflichtspalte „sozialraum“ fehlt" in body


def test_xlsx_import(client, login, make, stab, raeume, upload, jobs, confirm) -> None:
    ind = make.indikator("Quote")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Indikator", "Stadtbereich", "Jahr", "Wert"])
    sheet.append(["Quote", "Bereich A", 2022, 4.25])
    sheet.append(["Quote", "Gesamtstadt", 2022.0, 5])
    sheet.append(["Quote", "Bereich B", 2022, "1.234,5"])
    sheet.append(["Quote", "Bereich C", 2022, "x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    login(stab)
    datei_id = jobs.check(upload("indikatorwerte", buffer.getvalue(), "werte.xlsx"))
    preview = client.get(f"/datenbasis/import/datei/{datei_id}").get_data(as_text=True)
    assert "<td>4.25</td><td>4,25</td>" in preview  # Excel's number, shown the German way
    assert "Excel-Arbeitsmappe (.xlsx)" in preview
    confirm(datei_id)
    assert _values(ind) == {
        (raeume[0].id, 2022): 4.25,
        (None, 2022): 5.0,
        (raeume[1].id, 2022): 1234.5,
        (raeume[2].id, 2022): None,
    }


def test_row_limit_stops_reading(app, client, login, make, stab, raeume, upload, jobs) -> None:
    make.indikator("Quote")
    login(stab)
    lines = [f"Quote;Bereich A;{1900 + i};1" for i in range(6)]
    old = app.config["IMPORT_MAX_ZEILEN"]
    app.config["IMPORT_MAX_ZEILEN"] = 5
    try:
        datei_id = jobs.check(upload("indikatorwerte", _csv(*lines)))
        page = client.get(f"/datenbasis/import/datei/{datei_id}").get_data(as_text=True)
    finally:
        app.config["IMPORT_MAX_ZEILEN"] = old
    assert _job(datei_id).status == ImportStatus.FEHLERHAFT
    assert _job(datei_id).zeilen_gelesen == 5
    assert "Die Datei hat mehr als 5 Datenzeilen (Zeile 7)" in page


def test_no_route_reads_the_rows(
    client, csrf_token, login, make, stab, raeume, upload, jobs, monkeypatch
) -> None:
    """Upload, job page, progress and confirmation stay short: none of them parses the file."""
    from app.datenbasis import imports, parsing

    make.indikator("Quote")
    login(stab)
    datei_id = jobs.check(upload("indikatorwerte", _csv("Quote;Bereich A;2023;1")))

    def refuse(*_args, **_kwargs):
        raise AssertionError("eine Web-Anfrage liest die Zeilen der Datei")

    monkeypatch.setattr(parsing, "open_table", refuse)
    monkeypatch.setattr(imports, "open_table", refuse)
    second = upload("indikatorwerte", _csv("Quote;Bereich B;2023;1"))
    assert second.status_code == 303
    url = f"/datenbasis/import/datei/{datei_id}"
    assert client.get(url).status_code == 200
    assert client.get(f"{url}/stand").status_code == 200
    response = client.post(f"{url}/bestaetigen", data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 303
    assert _job(datei_id).status == ImportStatus.IMPORT


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notiz.txt", "kein Arbeitsblatt")
    return buffer.getvalue()


def _xlsx_with_broken_sheet() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "kaputt")
    return buffer.getvalue()


BAD_UPLOADS = [  # refused at once, nothing stored
    (b"", "werte.csv", "Die Datei ist leer."),
    (b"%PDF-1.7 irgendwas", "werte.pdf", "Dieser Dateityp wird nicht unterstützt"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "werte.csv", "keine CSV-Textdatei"),
    (b"indikator;wert\nQuote;1\x81\n", "werte.csv", "Zeichenkodierung der Datei wurde nicht"),
    (b"das ist keine excel-datei", "werte.xlsx", "keine gültige Excel-Datei"),
    (b"PK\x03\x04kaputt", "werte.xlsx", "beschädigt"),
    (_zip_without_workbook(), "werte.xlsx", "beschädigt"),
]
BAD_FILES = [  # found by the check in the worker
    (b"indikator;sozialraum;jahr;wert\n", "werte.csv", "keine Datenzeilen"),
    (_xlsx_with_broken_sheet(), "werte.xlsx", "beschädigt"),
    (
        b'indikator;sozialraum;jahr;wert\n"' + b"x" * 200_000,  # unclosed quote
        "werte.csv",
        "fehlerhaft aufgebaut",
    ),
]


def test_bad_uploads_get_a_german_message_and_4xx(client, login, make, stab, upload, jobs):
    login(stab)
    for content, filename, message in BAD_UPLOADS:
        response = upload("indikatorwerte", content, filename)
        assert 400 <= response.status_code < 500, (filename, response.status_code)
        assert message in response.get_data(as_text=True), filename
    assert db.session.scalar(select(func.count(Importdatei.id))) == 0
    for content, filename, message in BAD_FILES:
        datei_id = jobs.check(upload("indikatorwerte", content, filename))
        assert _job(datei_id).status == ImportStatus.FEHLERHAFT, filename
        page = client.get(f"/datenbasis/import/datei/{datei_id}").get_data(as_text=True)
        assert "Die Datei kann nicht gelesen werden – es wurde nichts importiert" in page
        assert message in page, filename
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
    assert client.get("/datenbasis/import/datei/999999").status_code == 404
    assert client.get("/datenbasis/import/datei/999999/stand").status_code == 404


def test_only_the_stabsstelle_sees_jobs(
    client, csrf_token, login, make, stab, mitglied, raeume, upload
) -> None:
    login(stab)
    datei_id = job_id(upload("indikatorwerte", _csv("Quote;Bereich A;2023;1")))
    url = f"/datenbasis/import/datei/{datei_id}"
    token = csrf_token(client, "/datenbasis/import/indikatorwerte")
    login(mitglied)
    assert client.get(url).status_code == 403
    assert client.get(f"{url}/stand").status_code == 403
    assert client.post(f"{url}/bestaetigen", data={"csrf_token": token}).status_code == 403
    assert client.get("/datenbasis/import/indikatorwerte").status_code == 403
