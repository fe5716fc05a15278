"""Browser journey: the Stabsstelle adds a planning field, tags an indicator, filters the
catalogue; a Planungsrunde member reads what each field contributes per Sozialraum. Axe 0."""

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


def _login(page, base: str, email: str) -> None:
    page.goto(f"{base}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{base}/start")


def test_fields_are_configured_used_and_read(live_server, page, demo) -> None:
    base = live_server
    _login(page, base, "stabsstelle@demo.hilden.example")
    page.get_by_role("link", name="Planungsfelder", exact=True).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Planungsfelder je Sozialraum"
    assert_accessible(page)
    page.get_by_role("link", name="Planungsfelder verwalten").click()
    assert_accessible(page)
    page.get_by_role("link", name="Planungsfeld hinzufügen").click()
    page.get_by_label("Name").fill("Wohnen")
    page.get_by_label("Beschreibung").fill("Wohnraum und Wohnumfeld")
    assert_accessible(page)
    page.get_by_role("button", name="Speichern").click()
    assert page.get_by_text("Das Planungsfeld „Wohnen“ wurde gespeichert.").is_visible()
    assert_accessible(page)

    page.goto(f"{base}/datenbasis/indikatoren")
    page.get_by_role("link", name="SGB-II-Quote").click()
    page.get_by_role("link", name="Indikator bearbeiten").click()
    page.get_by_label("Wohnen").check()
    assert_accessible(page)
    page.get_by_role("button", name="Speichern").click()
    assert page.get_by_text("Der Indikator „SGB-II-Quote“ wurde gespeichert.").is_visible()
    page.goto(f"{base}/datenbasis/indikatoren")
    page.get_by_label("Planungsfeld").select_option(label="Wohnen")
    page.get_by_role("button", name="Filtern").click()
    rows = page.locator("table.tabelle tbody tr")
    assert rows.count() == 1 and "SGB-II-Quote" in rows.first.inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Abmelden").click()

    _login(page, base, "jugendamt@demo.hilden.example")
    page.get_by_role("link", name="Planungsfelder", exact=True).first.click()
    matrix = page.get_by_role("table", name="Beiträge der Planungsfelder je Sozialraum")
    assert "Wohnen" in matrix.inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Stadtbereich Nord").click()
    assert page.get_by_role("heading", name="Jugendhilfeplanung", exact=True).is_visible()
    assert page.get_by_role("link", name="Offener Jugendtreff im Stadtbereich").count() == 1
    assert_accessible(page)
