"""Browser journey: the Stabsstelle uploads minutes as a PDF and finds a word from that file
through the search field in the header (German stemming), then follows the hit. Axe on every
page."""

from __future__ import annotations

import re

import pytest

from app.core.pdf import html_to_pdf
from app.stammdaten.models import GremiumTyp
from tests.factories import PASSWORD
from tests.support.a11y import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def people(app, make, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    with app.app_context():
        stab = make.stabsstelle(email="stab@suche.example", name="Stefanie Stab")
        runde = make.gremium(GremiumTyp.TRAEGERRUNDE, name="Trägerrunde")
        make.vergangene_sitzung(runde, titel="Trägerrunde im Oktober")
        return {"stab": stab.email}


def test_a_word_from_an_uploaded_minutes_pdf_is_found(page, live_server, people, tmp_path):
    page.goto(f"{live_server}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(people["stab"])
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server}/start")

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Protokolle"
    ).click()
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
    assert page.get_by_role("link", name="protokoll-oktober.pdf").is_visible()
