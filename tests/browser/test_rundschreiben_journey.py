"""Browser journey: the Stabsstelle sends a Rundschreiben with an attachment to all Träger; a
Träger reads it in the list "Rundschreiben" and downloads the attachment. Axe on every page."""

from __future__ import annotations

import re

import pytest

from app.stammdaten.models import OrganisationArt
from tests.factories import PASSWORD
from tests.support.a11y import assert_accessible
from tests.support.dateien import MINIMAL_PDF

pytestmark = pytest.mark.browser


@pytest.fixture
def people(app, make):
    with app.app_context():
        stab = make.stabsstelle(email="stab@rundschreiben.example", name="Stefanie Stab")
        awo = make.organisation(name="AWO Hilden", art=OrganisationArt.TRAEGER)
        anna = make.user(email="anna@awo.example", name="Anna AWO", organisation=awo)
        return {"stab": stab.email, "anna": anna.email}


def _login(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server}/start")


def test_circular_to_all_traeger(browser, live_server, people, tmp_path) -> None:
    page = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin").new_page()
    page.set_default_timeout(15000)
    _login(page, live_server, people["stab"])
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Rundschreiben"
    ).click()
    assert_accessible(page)
    page.get_by_role("link", name="Neues Rundschreiben").click()
    assert_accessible(page)
    page.get_by_label("Betreff").fill("Trägerrunde 2027")
    page.get_by_label("Text", exact=True).fill("Die Termine für **2027** stehen fest.")
    page.get_by_label("an alle Träger").check()
    anlage = tmp_path / "termine-2027.pdf"
    anlage.write_bytes(MINIMAL_PDF)
    page.get_by_label("Anlagen").set_input_files(str(anlage))
    page.get_by_role("button", name="Rundschreiben senden").click()
    page.wait_for_url(re.compile(r".*/rundschreiben/\d+$"))
    assert page.get_by_text("Das Rundschreiben „Trägerrunde 2027“ geht an 1 Person.").is_visible()
    assert page.get_by_role("cell", name="Anna AWO").is_visible()
    assert_accessible(page)
    page.context.close()

    page = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin").new_page()
    page.set_default_timeout(15000)
    _login(page, live_server, people["anna"])
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Rundschreiben"
    ).click()
    assert_accessible(page)
    page.get_by_role("link", name="Trägerrunde 2027").click()
    assert page.locator("strong", has_text="2027").is_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="termine-2027.pdf").click()
    assert download.value.suggested_filename == "termine-2027.pdf"
    page.context.close()
