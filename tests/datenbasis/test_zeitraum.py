"""The period of the charts (default: last five data years, GET control) and full downloads."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from app.datenbasis.models import Diagramm, Kapitel
from app.extensions import db


def _indikator_mit_reihe(make, raeume, jahre=range(2001, 2025)):
    ind = make.indikator()
    for jahr in jahre:
        make.indikatorwert(ind, raeume[0], jahr, 1000.5 + jahr)
        make.indikatorwert(ind, None, jahr, 2000.25 + jahr)
    make.indikatorwert(ind, raeume[1], 2024, None)  # "keine Angabe"
    db.session.commit()
    return ind


def _report(make, ind):
    report = make.sozialreport(status="planungsrunde")
    k = report.kapitel[0] if report.kapitel else Kapitel(report_id=report.id, position=1, titel="K")
    db.session.add(k)
    db.session.flush()
    db.session.add(Diagramm(kapitel_id=k.id, indikator_id=ind.id, art="zeitreihe"))
    db.session.commit()
    return report


def _jahre_in_tabelle(html: str) -> set[int]:
    return {j for j in range(1990, 2030) if f'<th scope="col">{j}</th>' in html}


def test_indicator_page_shows_last_five_years_by_default(client, login, make, stab, raeume):
    ind = _indikator_mit_reihe(make, raeume)
    login(stab)
    html = client.get(f"/datenbasis/indikatoren/{ind.id}").get_data(as_text=True)
    assert _jahre_in_tabelle(html) == set(range(2020, 2025))
    assert "Gezeigt: 2020 bis 2024." in html and "Daten liegen für 2001 bis 2024 vor." in html
    assert 'name="von"' in html and 'value="2020"' in html and 'value="2024"' in html
    assert f"/datenbasis/indikatoren/{ind.id}/werte.csv" in html


def test_indicator_period_is_chosen_by_get_form(client, login, make, stab, raeume):
    ind = _indikator_mit_reihe(make, raeume)
    login(stab)
    html = client.get(f"/datenbasis/indikatoren/{ind.id}?von=2003&bis=2006").get_data(as_text=True)
    assert _jahre_in_tabelle(html) == {2003, 2004, 2005, 2006}
    assert "Gezeigt: 2003 bis 2006." in html
    only_from = client.get(f"/datenbasis/indikatoren/{ind.id}?von=2021&bis=")
    assert _jahre_in_tabelle(only_from.get_data(as_text=True)) == {2021, 2022, 2023, 2024}


def test_reversed_or_foreign_period_is_a_german_400(client, login, make, stab, raeume):
    ind = _indikator_mit_reihe(make, raeume)
    login(stab)
    reversed_ = client.get(f"/datenbasis/indikatoren/{ind.id}?von=2010&bis=2005")
    assert reversed_.status_code == 400
    html = reversed_.get_data(as_text=True)
    assert "Das Endjahr darf nicht vor dem Anfangsjahr liegen." in html
    assert _jahre_in_tabelle(html) == set(range(2020, 2025))  # the default stays visible
    assert 'value="2010"' in html  # the input is kept
    text = client.get(f"/datenbasis/indikatoren/{ind.id}?von=zwanzig")
    assert text.status_code == 400
    far = client.get(f"/datenbasis/indikatoren/{ind.id}?von=99999999999")
    assert far.status_code == 400 and "zwischen 1900 und 2100" in far.get_data(as_text=True)


def test_report_page_shows_the_period_and_links_the_full_data(client, login, make, stab, raeume):
    ind = _indikator_mit_reihe(make, raeume)
    report = _report(make, ind)
    login(stab)
    html = client.get(f"/datenbasis/sozialreports/{report.id}").get_data(as_text=True)
    assert _jahre_in_tabelle(html) == set(range(2020, 2025))
    assert f"/datenbasis/sozialreports/{report.id}/daten.xlsx" in html
    chosen = client.get(f"/datenbasis/sozialreports/{report.id}?von=2001&bis=2002")
    assert _jahre_in_tabelle(chosen.get_data(as_text=True)) == {2001, 2002}


def test_csv_download_has_every_year_for_german_excel(client, login, make, stab, raeume):
    ind = _indikator_mit_reihe(make, raeume)
    login(stab)
    response = client.get(f"/datenbasis/indikatoren/{ind.id}/werte.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Indikator", "Einheit", "Gebiet", "Jahr", "Wert"]
    assert len(rows) == 1 + 24 * 2 + 1  # every year, area and the "keine Angabe" cell
    assert [ind.name, ind.einheit, raeume[0].name, "2001", "3001,5"] in rows
    assert [ind.name, ind.einheit, "Gesamtstadt", "2024", "4024,25"] in rows
    assert [ind.name, ind.einheit, raeume[1].name, "2024", "keine Angabe"] in rows


def test_xlsx_download_of_the_report_data(client, login, make, stab, raeume):
    ind = _indikator_mit_reihe(make, raeume)
    report = _report(make, ind)
    login(stab)
    response = client.get(f"/datenbasis/sozialreports/{report.id}/daten.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Indikator", "Einheit", "Gebiet", "Jahr", "Wert")
    assert (ind.name, ind.einheit, raeume[0].name, 2001, 3001.5) in rows
    assert len(rows) == 1 + 24 * 2 + 1


def test_downloads_keep_permissions(client, login, make, stab, raeume):
    ind = _indikator_mit_reihe(make, raeume)
    entwurf = make.sozialreport()  # a draft: hidden from everybody but the Stabsstelle
    assert client.get(f"/datenbasis/indikatoren/{ind.id}/werte.csv").status_code in (302, 401)
    login(make.traeger_user())
    assert client.get(f"/datenbasis/sozialreports/{entwurf.id}/daten.csv").status_code == 404
    assert client.get(f"/sozialreport/{entwurf.id}/daten.csv").status_code == 404
