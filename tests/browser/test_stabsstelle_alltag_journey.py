"""Browser journey, driven by visible German labels, axe on every page: the Stabsstelle imports
30 members of the Trägerrunde from an Excel file, plans the Trägerrunde's meetings for next year
as a series (preview, holidays skipped), opens the annual plan, sends a Rundschreiben to all
Träger, uploads minutes as a PDF and finds a word from that file through the search field in the
header, puts a TOP with a PDF on the agenda of a Trägerrunde meeting and downloads its meeting
pack, downloads an export. A Träger reads the Rundschreiben and its attachment."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from app.core.pdf import html_to_pdf
from app.stammdaten.models import GremiumTyp, OrganisationArt
from tests.factories import PASSWORD
from tests.support.a11y import assert_accessible
from tests.support.dateien import MINIMAL_PDF, text_pdf
from tests.support.massenimport import importieren, personen_datei

pytestmark = pytest.mark.browser


@pytest.fixture
def people(app, make, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    with app.app_context():
        stab = make.stabsstelle(email="stab@alltag.example", name="Stefanie Stab")
        runde = make.gremium(GremiumTyp.TRAEGERRUNDE, name="Trägerrunde")
        make.vergangene_sitzung(runde, titel="Trägerrunde im Oktober")
        awo = make.organisation(name="AWO Hilden", art=OrganisationArt.TRAEGER)
        anna = make.user(email="anna@awo.example", name="Anna AWO", organisation=awo)
        return {"stab": stab.email, "anna": anna.email}


def _page(browser):
    page = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin").new_page()
    page.set_default_timeout(15000)
    return page


def _login(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server}/start")


def _menu(page, name: str) -> None:
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name=name).click()


def _plan_series(page) -> None:
    _menu(page, "Sitzungen")
    page.get_by_role("link", name="Sitzungsreihe planen").click()
    assert_accessible(page)
    page.get_by_label("Gremium").select_option(label="Trägerrunde")
    page.get_by_label("Jahr").fill("2027")
    page.get_by_label("monatlich am n-ten Wochentag").check()
    page.get_by_label("Wochentag", exact=True).select_option(label="Donnerstag")
    page.get_by_label("Welcher Wochentag im Monat").select_option(label="am letzten")
    page.get_by_label("Beginn (Uhrzeit)").fill("18:00")
    page.get_by_label("Titel der Sitzungen").fill("Trägerrunde")
    page.get_by_label("Ort").fill("Rathaus Hilden, Ratssaal")
    page.get_by_role("button", name="Vorschau").click()
    assert page.get_by_text("11 Sitzungen werden angelegt, 1 Termin entfällt.").is_visible()
    assert page.get_by_role("cell", name="entfällt: Fronleichnam").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sitzungen anlegen").click()
    page.wait_for_url(re.compile(r".*/sitzungen/jahresplan\?jahr=2027&gremium=\d+$"))
    assert page.get_by_text("11 Sitzungen der Trägerrunde für 2027 angelegt").is_visible()
    assert page.get_by_role("table", name="Dezember 2027").is_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Als Excel (XLSX)").click()
    assert download.value.suggested_filename.startswith("sitzungsplan-2027")


def _send_circular(page, tmp_path) -> None:
    _menu(page, "Rundschreiben")
    assert_accessible(page)
    page.get_by_role("link", name="Neues Rundschreiben").click()
    assert_accessible(page)
    page.get_by_label("Betreff").fill("Termine der Trägerrunde 2027")
    page.get_by_label("Text", exact=True).fill("Die Trägerrunde tagt **jeden letzten Donnerstag**.")
    page.get_by_label("an alle Träger").check()
    anlage = tmp_path / "sitzungsplan-2027.pdf"
    anlage.write_bytes(MINIMAL_PDF)
    page.get_by_label("Anlagen").set_input_files(str(anlage))
    page.get_by_role("button", name="Rundschreiben senden").click()
    page.wait_for_url(re.compile(r".*/rundschreiben/\d+$"))
    assert page.get_by_text("geht an 31 Personen.").is_visible()  # Anna and the 30 imported
    assert page.get_by_role("cell", name="Anna AWO").is_visible()
    assert_accessible(page)


def _search_minutes(page, tmp_path) -> None:
    _menu(page, "Protokolle")
    page.get_by_role("link", name="Trägerrunde im Oktober").click()
    datei = tmp_path / "protokoll-oktober.pdf"
    datei.write_bytes(
        html_to_pdf("<h1>Protokoll</h1><p>Die Wohnungslosenhilfe bekommt neue Räume.</p>")
    )
    page.get_by_label("Protokolldatei").set_input_files(str(datei))
    page.get_by_role("button", name="Protokoll hochladen").click()
    assert page.get_by_text("Fassung 1 des Protokolls wurde gespeichert.").is_visible()
    page.get_by_role("search").first.get_by_label("Suche").fill("Wohnungslosenhilfen")
    page.get_by_role("button", name="Suchen").first.click()
    page.wait_for_url(re.compile(r".*/suche/\?q=Wohnungslosenhilfen$"))
    assert page.get_by_role("heading", name="Protokolle", level=2).is_visible()
    assert page.locator("mark", has_text="Wohnungslosenhilfe").first.is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Protokoll: Trägerrunde im Oktober").click()
    page.wait_for_url(re.compile(r".*/protokolle/sitzung/\d+$"))


def _meeting_pack(page, tmp_path) -> None:
    _menu(page, "Sitzungen")
    assert_accessible(page)
    page.get_by_role("link", name="Trägerrunde", exact=True).first.click()
    page.wait_for_url(re.compile(r".*/sitzungen/\d+$"))
    assert_accessible(page)
    page.get_by_role("link", name="Tagesordnung bearbeiten").click()
    assert_accessible(page)
    page.get_by_label("Titel des Tagesordnungspunkts").fill("Bericht zur Wohnraumversorgung")
    page.get_by_label("Beschreibung").fill("Vorstellung durch die Stabsstelle")
    bericht = tmp_path / "bericht-wohnraum.pdf"
    bericht.write_bytes(text_pdf("Wohnraumversorgung in Hilden: Bericht"))
    page.get_by_label("Anlage (optional)").set_input_files(str(bericht))
    page.get_by_role("button", name="Tagesordnungspunkt hinzufügen").click()
    assert page.get_by_text("Der Tagesordnungspunkt wurde hinzugefügt.").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Zurück zur Sitzung").click()
    assert page.get_by_text(
        "Einladung, Tagesordnung und 1 PDF-Anlage mit Seitenzahlen"
    ).is_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Sitzungsmappe (PDF) herunterladen").click()
    assert re.fullmatch(
        r"sitzungsmappe-traegerrunde-2027-\d\d-\d\d\.pdf", download.value.suggested_filename
    )
    data = download.value.path().read_bytes()
    seiten = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
    assert data.startswith(b"%PDF") and "Seite 1 von 3" in seiten[0]
    assert "Wohnraumversorgung in Hilden" in seiten[2] and "Seite 3 von 3" in seiten[2]


def _export(page) -> None:
    _menu(page, "Exporte")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Sitzungen mit Teilnahme als XLSX").click()
    assert download.value.suggested_filename.startswith("sitzungen-")


def test_stabsstelle_plans_writes_and_finds(browser, live_server, people, tmp_path) -> None:
    page = _page(browser)
    _login(page, live_server, people["stab"])
    importieren(page, live_server, personen_datei(tmp_path, "xlsx"))
    _plan_series(page)
    _send_circular(page, tmp_path)
    _search_minutes(page, tmp_path)
    _meeting_pack(page, tmp_path)
    _export(page)
    page.context.close()

    page = _page(browser)
    _login(page, live_server, people["anna"])
    _menu(page, "Rundschreiben")
    page.get_by_role("link", name="Termine der Trägerrunde 2027").click()
    assert page.locator("strong", has_text="jeden letzten Donnerstag").is_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="sitzungsplan-2027.pdf").click()
    assert download.value.suggested_filename == "sitzungsplan-2027.pdf"
    page.context.close()
