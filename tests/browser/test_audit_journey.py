"""Browser journey: the Stabsstelle edits an organisation and finds the change in the
Änderungsprotokoll (filter, entry, history on the object's page); 0 axe violations."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD
from tests.support.a11y import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def people(app, make):
    with app.app_context():
        stab = make.stabsstelle(email="stab@protokoll.example", name="Paula Protokoll")
        org = make.organisation(name="Caritas Hilden", kurzname="Caritas")
        return {"stab": stab.email, "org_id": org.id}


def test_stabsstelle_finds_a_change_in_the_log(app, live_server, page, people) -> None:
    page.goto(f"{live_server}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(people["stab"])
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server}/start")

    page.goto(f"{live_server}/stammdaten/organisationen/{people['org_id']}/bearbeiten")
    page.get_by_label("Name", exact=True).fill("Caritasverband Hilden")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"{live_server}/stammdaten/organisationen/{people['org_id']}")
    verlauf = page.get_by_role("region", name="Änderungsverlauf")
    assert "Caritasverband Hilden" in verlauf.inner_text()
    assert "Paula Protokoll" in verlauf.inner_text()
    assert_accessible(page)

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Änderungsprotokoll"
    ).click()
    page.wait_for_url(f"{live_server}/protokoll/")
    assert_accessible(page)
    page.get_by_label("Aktion").select_option(label="Geändert")
    page.get_by_label("Objektart").select_option(label="Organisation")
    page.get_by_role("button", name="Filtern").click()
    page.wait_for_url("**/protokoll/?**")
    row = page.get_by_role("row").filter(has_text="Caritasverband Hilden")
    assert "Paula Protokoll" in row.inner_text()
    assert_accessible(page)

    row.get_by_role("link").first.click()
    page.wait_for_url("**/protokoll/*")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Protokolleintrag")
    assert "Caritas Hilden" in page.inner_text("main")
    assert_accessible(page)

    page.goto(f"{live_server}/protokoll/?von=2030-02-01&bis=2030-01-01")
    assert "vor seinem Anfang" in page.inner_text("main")
    assert_accessible(page)
