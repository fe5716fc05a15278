"""Browser journey: the Stabsstelle sets a Wirkungsziel on a demo measure and reads its
development beside the measure, in the cycle's list and in the Datenbasis overview. Axe 0."""

from __future__ import annotations

import pytest

from app.demo import DEMO_LOADERS, _load_optional
from app.extensions import db
from app.stammdaten.demo import DEMO_PASSWORD, load_demo_data
from tests.support.a11y import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(app):
    with app.app_context():
        load_demo_data()
        for loader in DEMO_LOADERS:
            _load_optional(loader)
        db.session.commit()


def test_target_set_and_reviewed(live_server, page, demo) -> None:
    base = live_server
    page.goto(f"{base}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill("stabsstelle@demo.hilden.example")
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{base}/start")
    page.get_by_role("link", name="Maßnahmen", exact=True).first.click()
    page.locator("main a[href*='/massnahmen/zyklus/']").first.click()
    assert page.get_by_role("columnheader", name="Wirkungsziele").is_visible()
    assert page.get_by_text("auf Kurs", exact=True).first.is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Offener Jugendtreff im Stadtbereich").click()
    assert page.get_by_role("heading", name="Wirkungsziele").is_visible()
    assert page.locator("svg[role=img]").first.is_visible()
    page.locator("summary", has_text="Wirkungsziel hinzufügen").click()
    page.get_by_label("Indikator").select_option(label="Betreuungsquote unter Dreijähriger")
    page.get_by_label("Gebiet").select_option(index=1)
    page.get_by_label("Basisjahr").fill("2022")
    page.get_by_label("Zielwert").fill("45,5")
    page.get_by_label("Zieljahr").fill("2027")
    page.get_by_label("Überprüfung am").fill("2027-06-30")
    assert_accessible(page)
    page.get_by_role("button", name="Wirkungsziel hinzufügen").click()
    assert page.get_by_text("Das Wirkungsziel wurde hinzugefügt.").is_visible()
    assert page.get_by_text("Für das Zieljahr 2027 liegt noch kein Wert vor.").first.is_visible()
    assert_accessible(page)
    page.goto(f"{base}/datenbasis/")
    assert page.get_by_role("heading", name="Wirkung der Maßnahmen").is_visible()
    assert_accessible(page)


def test_public_demo_report_shows_map_and_effects(live_server, page, demo) -> None:
    """The published demo report in the portal: the map and the chapter on the measures."""
    page.goto(f"{live_server}/sozialreport/")
    page.get_by_role("link", name="Sozialreport Hilden 2026 (Demo)").click()
    karte = page.locator("svg.karte__svg[role=img]")
    assert karte.count() == 1 and karte.is_visible()
    assert "Schematische Grenzen" in karte.text_content()
    assert page.get_by_role("heading", name="Wirkung der Maßnahmen").is_visible()
    assert page.get_by_text("Offener Jugendtreff im Stadtbereich").first.is_visible()
    assert_accessible(page)
    page.goto(f"{live_server}/oeffentlich/massnahmen/")
    page.get_by_label("Planungsfeld").select_option(label="Jugendhilfeplanung")
    page.get_by_role("button", name="Filtern").click()
    assert_accessible(page)
    page.get_by_role("link", name="Offener Jugendtreff im Stadtbereich").click()
    assert page.get_by_role("heading", name="Wirkungsziele").is_visible()
    assert page.locator("svg[role=img]").first.is_visible()
    assert_accessible(page)
    page.goto(f"{live_server}/oeffentlich/stadtbereiche/")
    assert page.locator("svg.karte__svg[role=img]").is_visible()
    page.locator("svg.karte__links a").first.click()  # an area of the map leads to its page
    page.wait_for_url("**/oeffentlich/stadtbereiche/*")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Stadtbereich")
    page.go_back()
    assert_accessible(page)
